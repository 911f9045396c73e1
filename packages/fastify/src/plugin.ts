/**
 * The Fastify plugin: request ids, a context scope per request, the request
 * logger on `request.log`, and one canonical line per request.
 */
import type { IncomingMessage } from "node:http";
import { leaveRequestScope } from "@structlog/core/http";
import type { FastifyInstance, FastifyPluginCallback, FastifyRequest, RouteOptions } from "fastify";
import fp from "fastify-plugin";
import { confineInject } from "./inject.js";
import { type LifecycleHooks, lifecycleHooks } from "./lifecycle.js";
import type { FastifyLogger } from "./logger.js";
import { appHasGenReqId, type PluginSettings, resolvePluginOptions, type StructlogFastifyOptions } from "./options.js";
import { kRegistered, kState, stateOf } from "./state.js";
import { checkAppLogger, usesStructlogLogController } from "./with-structlog.js";

const NAME = "@structlog/fastify";

/** Fastify's `genReqId` getter, which its type definitions do not declare. */
function fastifyGenReqId(fastify: FastifyInstance): (req: IncomingMessage) => string {
  const current = (fastify as unknown as { genReqId?: unknown }).genReqId;
  if (typeof current === "function") return current as (req: IncomingMessage) => string;
  return () => {
    throw new Error("this Fastify version does not expose its genReqId");
  };
}

function appendHook<T>(existing: T | readonly T[] | undefined, hook: T): T[] {
  if (existing === undefined) return [hook];
  return Array.isArray(existing) ? [...existing, hook] : [existing as T, hook];
}

function prependHook<T>(existing: T | readonly T[], hook: T): T[] {
  return Array.isArray(existing) ? [hook, ...existing] : [hook, existing as T];
}

/** Marks an instance whose onRequestAbort hooks the plugin's comes before. */
const kAbortReentry = Symbol("@structlog/fastify.abort-reentry");

type AbortHook = LifecycleHooks["onRequestAbort"];

/**
 * The plugin's onRequestAbort hook, only where the app has one of its own.
 * With any onRequestAbort hook, Fastify adds a `close` listener (a closure)
 * to every request; the plugin needs none of its own to write an aborted
 * request's line (the response's `close` does). An app's onRequestAbort
 * hook runs from the socket's `close`, outside the request's scope: the
 * plugin's hook, added just before it in the same instance, re-enters the
 * scope first. `addHook` is wrapped where the plugin is registered, so the
 * instances inside it inherit the wrapper; route-level hooks get it in onRoute.
 */
function reenterBeforeAbortHooks(fastify: FastifyInstance, hook: AbortHook): void {
  const original = fastify.addHook as (this: FastifyInstance, name: string, fn: unknown) => FastifyInstance;
  const addHook = function addHook(this: FastifyInstance, name: string, fn: unknown): FastifyInstance {
    if (name === "onRequestAbort" && fn !== hook && !Object.hasOwn(this, kAbortReentry)) {
      Object.defineProperty(this, kAbortReentry, { value: true });
      original.call(this, "onRequestAbort", hook);
    }
    return original.call(this, name, fn);
  };
  Object.defineProperty(fastify, "addHook", { value: addHook, writable: true, configurable: true });
}

function checkFastifyOptions(fastify: FastifyInstance): void {
  const requestIdHeader = fastify.initialConfig.requestIdHeader;
  if (typeof requestIdHeader === "string" && requestIdHeader !== "") {
    throw new TypeError(
      `${NAME}: Fastify({ requestIdHeader: ${JSON.stringify(requestIdHeader)} }) takes the header's value unchecked, so a hostile ` +
        `value would become request.id. Remove requestIdHeader from Fastify's options and pass ` +
        `{ requestIdHeader: ${JSON.stringify(requestIdHeader)} } to ${NAME} instead, which accepts only safe ids.`,
    );
  }
}

/** Can the server's sockets time out (`connectionTimeout`, or a timeout set on the server before registration)? */
function socketsTimeOut(fastify: FastifyInstance): boolean {
  const timeout = (fastify.server as { timeout?: unknown } | undefined)?.timeout;
  return typeof timeout !== "number" || timeout > 0;
}

const structlogFastify: FastifyPluginCallback<StructlogFastifyOptions> = (fastify, options, done) => {
  // Registered here or in an enclosing context already: every request of
  // this context is handled once, by the first registration.
  if (fastify.hasDecorator(kRegistered)) return done();
  let settings: PluginSettings;
  try {
    checkFastifyOptions(fastify);
    checkAppLogger(fastify);
    settings = resolvePluginOptions(options, fastifyGenReqId(fastify), appHasGenReqId(fastify));
  } catch (e) {
    return done(e as Error);
  }
  const hooks = lifecycleHooks(settings, !usesStructlogLogController(fastify));
  const { rootLogger, options: resolved } = settings;

  fastify.decorate(kRegistered, true);
  fastify.decorateRequest(kState, null);
  fastify.decorateRequest("logger", {
    getter(this: FastifyRequest): FastifyLogger {
      // Before the plugin's onRequest (an earlier onRequest hook), a logger for the request is made on the spot.
      return stateOf(this)?.logger ?? rootLogger.child({ [resolved.requestIdKey]: this.id });
    },
  });
  fastify.setGenReqId(hooks.genReqId);
  // genReqId leaves the request's scope on the connection (lifecycle.ts); the next request leaves it first.
  fastify.server.prependListener("request", leaveRequestScope);
  // inject() dispatches on the caller's context: the scope must not stay there (inject.ts).
  confineInject(fastify);
  fastify.addHook("onClose", (_instance, closed) => {
    fastify.server.removeListener("request", leaveRequestScope);
    settings.pipeline.close();
    closed();
  });

  fastify.addHook("onRequest", hooks.onRequest);
  fastify.addHook("preParsing", hooks.preParsing);
  fastify.addHook("preValidation", hooks.preValidation);
  fastify.addHook("preHandler", hooks.preHandler);
  fastify.addHook("onSend", hooks.onSend);
  fastify.addHook("onError", hooks.onError);
  // With any onTimeout hook, Fastify does work on every request (an object
  // on the socket, a "timeout" listener added and removed). The hook only
  // ever runs when sockets time out: Fastify({ connectionTimeout }), which
  // sets the server's timeout before any plugin is registered.
  if (socketsTimeOut(fastify)) fastify.addHook("onTimeout", hooks.onTimeout);
  reenterBeforeAbortHooks(fastify, hooks.onRequestAbort);
  fastify.addHook("onResponse", hooks.onResponse);
  fastify.addHook("onRoute", (route: RouteOptions) => {
    route.preHandler = appendHook(route.preHandler, hooks.routePreHandler);
    if (route.onRequestAbort !== undefined) route.onRequestAbort = prependHook(route.onRequestAbort, hooks.onRequestAbort);
  });
  done();
};

/**
 * The structlog plugin for Fastify 5. Each request gets a `request_id` (a
 * safe incoming `x-request-id`, or a new UUID), echoed on the response; a
 * context scope that every hook, the handler and all code they call log
 * into; `request.log` (and the typed `request.logger`) as a structlog
 * logger; and one `request_completed` line, written when the response ends,
 * carrying `user_id` once the app binds it.
 *
 * The scope opens in `genReqId`, before any hook, so hooks added before the
 * plugin run inside it too; registering it first also gives them the
 * structlog `request.log`.
 *
 * @example
 * await app.register(structlogPlugin, { ignorePaths: ["/health"] });
 * app.addHook("preHandler", async (request) => {
 *   structlog.contextvars.bindContextVars({ user_id: (await authenticate(request)).id });
 * });
 */
export const structlogPlugin = fp(structlogFastify, { name: NAME, fastify: "5.x" });
