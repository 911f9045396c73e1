/**
 * The request lifecycle hooks.
 *
 * The scope opens in `genReqId`, which Fastify calls for every request
 * (404s included) before any hook, whatever order the app registered its
 * hooks and plugins in: `enterWith` makes it current for the rest of that
 * call, so the app's earliest onRequest hook (an auth hook added before
 * the plugin) already binds into the request's scope. The scope is left on
 * the connection's async resource afterwards; the server's `request`
 * listener that the plugin prepends leaves it before the next request on
 * that connection runs anything. When another `genReqId` ran (a plugin
 * called `setGenReqId`), onRequest opens the scope instead.
 *
 * At onRequest an `AsyncResource` is created inside the scope.
 * Fastify runs later hooks from whatever event moved the request on: body
 * data from the socket, the response's `finish`, a socket timeout, the
 * request's `close`, or an app hook that called `done` from a callback of its
 * own. Those run in the context of whoever emitted them, not the request's.
 * So each hook below, when the request's scope is not the current one,
 * re-enters the saved resource and calls `done` inside it: the app's hooks
 * after it, the handler and everything they start then run in the request's
 * scope (and in the other async-local stores of onRequest, an OpenTelemetry
 * context say). This is the technique of `@fastify/request-context`.
 * Callback-style hooks, because an async hook's continuation would run in
 * the context that resolved its promise.
 *
 * Most hooks find the scope current already (the stage before ran in it and
 * Fastify went on synchronously, or from a promise or an event emitted in
 * it), and then call `done` directly: re-entering costs an async-context
 * switch per hook per request. The scope is current only where the
 * request's own context flowed, so the other stores are the request's too;
 * the one place the scope is current without the rest of onRequest's
 * context is the connection's parser, where genReqId entered it, and the
 * parser's body events are bound to the resource (preParsing).
 */
import { AsyncResource } from "node:async_hooks";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Readable } from "node:stream";
import { pathOf, type RequestScope } from "@structlog/core/http";
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from "fastify";
import type { PluginSettings } from "./options.js";
import { ReplyLogger } from "./reply-logger.js";
import { bindUserId, writeRequestLine, writeStartLine } from "./request-line.js";
import { routeReader } from "./route.js";
import { RequestState, setState, stateOf } from "./state.js";

type Done = HookHandlerDoneFunction;

/** The hooks of one registration, closed over its settings. */
export interface LifecycleHooks {
  genReqId(req: IncomingMessage): string;
  onRequest(request: FastifyRequest, reply: FastifyReply, done: Done): void;
  preParsing(request: FastifyRequest, reply: FastifyReply, payload: Readable, done: (err?: Error | null, body?: Readable) => void): void;
  preValidation(request: FastifyRequest, reply: FastifyReply, done: Done): void;
  preHandler(request: FastifyRequest, reply: FastifyReply, done: Done): void;
  routePreHandler(request: FastifyRequest, reply: FastifyReply, done: Done): void;
  onSend(request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (err?: Error | null, payload?: unknown) => void): void;
  onError(request: FastifyRequest, reply: FastifyReply, error: Error, done: () => void): void;
  onTimeout(request: FastifyRequest, reply: FastifyReply, done: Done): void;
  onRequestAbort(request: FastifyRequest, done: Done): void;
  onResponse(request: FastifyRequest, reply: FastifyReply, done: Done): void;
}

/** Does the request have a body to stream? */
function hasBody(raw: IncomingMessage): boolean {
  const length = raw.headers["content-length"];
  return (length !== undefined && length !== "0") || raw.headers["transfer-encoding"] !== undefined;
}

function isStream(payload: unknown): payload is Readable {
  return typeof payload === "object" && payload !== null && typeof (payload as Readable).pipe === "function";
}

/** What the raw response's `close` listener needs, on the response. */
const kClosing = Symbol("@structlog/fastify.closing");
type ClosingResponse = ServerResponse & {
  [kClosing]?: RequestState | undefined;
};

/** Calls `done` in the request's context: directly when its scope is current (the usual case), else inside the saved resource. */
function resume(state: RequestState, done: () => void): void {
  const resource = state.resource;
  if (resource === undefined || state.scope.isCurrent()) done();
  else resource.runInAsyncScope(done);
}

/** Builds the hooks for one registration; `wrapReplyLog`: Fastify may write its request lines on `reply.log`. */
export function lifecycleHooks(settings: PluginSettings, wrapReplyLog = true): LifecycleHooks {
  const { options, rootLogger, pipeline } = settings;
  const { requestIdKey, responseIdHeader } = options;
  const readRoute = routeReader();
  const mayBeSkipped = options.ignorePaths.size !== 0 || options.skip !== undefined;
  /**
   * The scope genReqId opened for a raw request, until onRequest takes it: a
   * property of this registration's own, cheaper per request than a WeakMap.
   */
  const kOpened = Symbol("@structlog/fastify.opened");
  type Opened = IncomingMessage & { [kOpened]?: RequestScope | undefined };

  /** Calls `done` inside the request's context, or as is when the plugin has no state for the request. */
  function reenter(request: FastifyRequest, done: () => void): void {
    const state = stateOf(request);
    if (state === null) done();
    else resume(state, done);
  }

  /** onRequest's part inside the scope: the resource later hooks re-enter, the start line, and on to the next hook. */
  function start(state: RequestState, request: FastifyRequest, done: Done): void {
    state.resource = new AsyncResource("@structlog/fastify:request");
    if (options.logRequestStarted) writeStartLine(state, request, pipeline);
    done();
  }

  function complete(state: RequestState, request: FastifyRequest, reply: FastifyReply, incomplete: boolean, done?: Done): void {
    writeRequestLine(state, request, reply, pipeline, incomplete);
    done?.();
  }

  /** The raw response's `close`: writes the line of a response that closed before it finished. */
  function onClose(this: ClosingResponse): void {
    const state = this[kClosing];
    if (state === undefined) return;
    this[kClosing] = undefined;
    if (!state.written && !this.writableFinished) state.resource?.runInAsyncScope(complete, null, state, state.request, state.reply, true);
  }

  return {
    genReqId(req) {
      const id = pipeline.requestId(req.headers, req);
      const scope = pipeline.openScope(id);
      (req as Opened)[kOpened] = scope;
      scope.enter();
      return id;
    },

    onRequest(request, reply, done) {
      const id = request.id;
      const route = readRoute(request);
      const level = route.logLevel;
      const logger = rootLogger.child({ [requestIdKey]: id }, level ? { level } : undefined);
      const raw = request.raw as Opened;
      const scope = raw[kOpened] ?? pipeline.openScope(id);
      raw[kOpened] = undefined;
      const state = new RequestState(scope, logger, route.config?.url, request, reply);
      // Here, where the route is known: its logLevel reaches every logger of the request, not only request.log.
      pipeline.openControl(scope, request, level);
      // Without ignorePaths or skip, no request is skipped: the path is not cut out of the URL for nothing.
      if (mayBeSkipped) state.skip = pipeline.isSkipped(request, pathOf(request.url));
      if (options.logRemoteAddress) state.remoteAddress = request.ip;
      setState(request, state);
      request.log = logger;
      // Fastify's own request lines go to its logger (reply-logger.ts); with
      // StructlogLogController it writes none for this request: no wrapper needed.
      reply.log = wrapReplyLog ? new ReplyLogger(logger, reply.log, reply) : logger;
      if (responseIdHeader !== false) reply.header(responseIdHeader, id);
      // The backstop for a response that never finishes (client gone, socket
      // destroyed, streamed reply failed): Fastify runs no onResponse then.
      // One listener for every request, the state on the response: no closure per request.
      const res = reply.raw as ClosingResponse;
      res[kClosing] = state;
      res.on("close", onClose);
      // run() unless genReqId's enter is still current: an earlier hook may have called done() from a callback of its own.
      if (scope.isCurrent()) start(state, request, done);
      else scope.run(start, state, request, done);
    },

    preParsing(request, _reply, payload, done) {
      const state = stateOf(request);
      const resource = state?.resource;
      if (state === null || resource === undefined) return done();
      // Body events come from the socket; emitting them in the request's
      // context keeps body parsers, `data` listeners and everything after
      // the body in the scope.
      if (hasBody(request.raw) && !Object.hasOwn(payload, "emit")) payload.emit = resource.bind(payload.emit) as Readable["emit"];
      resume(state, done);
    },

    preValidation(request, _reply, done) {
      reenter(request, done);
    },

    preHandler(request, _reply, done) {
      reenter(request, done);
    },

    // Route-level, so it runs after the app's own preHandler hooks: after
    // authentication (getUserId), and the handler starts in the request's
    // context even when one of those hooks resumed from another.
    routePreHandler(request, _reply, done) {
      const state = stateOf(request);
      if (state === null) return done();
      if (options.getUserId !== undefined) state.scope.run(bindUserId, state, request, pipeline);
      resume(state, done);
    },

    onSend(request, _reply, payload, done) {
      const state = stateOf(request);
      if (state?.resource === undefined) return done();
      if (isStream(payload)) {
        // Fastify handles the error; the request line needs to know it.
        payload.once("error", (err: unknown) => {
          state.streamError ??= err;
        });
      }
      resume(state, done);
    },

    onError(request, _reply, error, done) {
      const state = stateOf(request);
      if (state !== null) state.error = error;
      reenter(request, done);
    },

    onTimeout(request, _reply, done) {
      const state = stateOf(request);
      if (state !== null) state.timedOut = true;
      reenter(request, done);
    },

    onRequestAbort(request, done) {
      const state = stateOf(request);
      if (state !== null) state.aborted = true;
      reenter(request, done);
    },

    onResponse(request, reply, done) {
      const state = stateOf(request);
      if (state?.resource === undefined) return done();
      if (state.scope.isCurrent()) complete(state, request, reply, false, done);
      else state.resource.runInAsyncScope(complete, null, state, request, reply, false, done);
    },
  };
}
