/**
 * `structlogMiddleware()`: opens the request's context scope, sets up
 * `req.log`, and writes the canonical request line once the response is done.
 */
import type { ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";
import { type Fields, getLogger, type Logger } from "@structlog/core";
import {
  acceptRequestId,
  contextStorage,
  generateRequestId,
  levelForOutcome,
  newScope,
  pathOf,
  type RequestOutcome,
  report,
  requestOutcomeFields,
  serializeRequest,
  serializeResponse,
} from "@structlog/core/http";
import type { Request, RequestHandler, Response } from "express";
import { installHooks } from "./hooks.js";
import { type ResolvedMiddlewareOptions, resolveMiddlewareOptions, type StructlogMiddlewareOptions } from "./options.js";
import { bindUserId, RequestState, setState, stateOf } from "./request-state.js";

/** The longest id a `generateRequestId` option may return. */
const MAX_GENERATED_ID_LENGTH = 1024;

/**
 * The request id: a safe incoming header value, else one from the
 * `generateRequestId` option, else a random UUID. An unsafe value (too long,
 * control characters, quotes, JSON) is never logged and never echoed.
 */
function intakeRequestId(req: Request, o: ResolvedMiddlewareOptions): string {
  if (o.trustRequestId) {
    const incoming = acceptRequestId(req.headers[o.requestIdHeader], o.requestIdMaxLength);
    if (incoming !== undefined) return incoming;
  }
  if (o.generateRequestId === undefined) return generateRequestId();
  try {
    const made: unknown = o.generateRequestId(req);
    const id = acceptRequestId(typeof made === "number" || typeof made === "bigint" ? String(made) : made, MAX_GENERATED_ID_LENGTH);
    if (id !== undefined) return id;
    report("structlogMiddleware() generateRequestId", new TypeError("it returned an unsafe id; ids use letters, digits and -_.:+=/@~"));
  } catch (e) {
    report("structlogMiddleware() generateRequestId", e);
  }
  return generateRequestId();
}

/**
 * The client address. With Express's "trust proxy" setting on, `req.ip`
 * (the address the proxies vouch for); otherwise, the default, the socket's
 * address, which is what `req.ip` would return, without parsing
 * X-Forwarded-For on every request.
 */
function remoteAddressOf(req: Request): string | undefined {
  try {
    const trustProxy = (req.app?.settings as Record<string, unknown> | undefined)?.["trust proxy"];
    return trustProxy === undefined || trustProxy === false ? req.socket?.remoteAddress : (req.ip ?? req.socket?.remoteAddress);
  } catch {
    return req.socket?.remoteAddress;
  }
}

/** The Content-Length header, for a response whose body the hooks did not count. */
function contentLengthOf(res: Response): number | undefined {
  const value = Number(res.getHeader("content-length"));
  return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

function addFields(target: Record<string, unknown>, extra: Fields | undefined): void {
  if (extra === null || typeof extra !== "object") return;
  for (const key of Object.keys(extra)) {
    Object.defineProperty(target, key, { value: extra[key], enumerable: true, writable: true, configurable: true });
  }
}

/** Writes the request line. Runs inside the request's scope, from a `finish` or `close` listener: it must not throw. */
function writeRequestLine(state: RequestState, req: Request, res: Response): void {
  const o = state.options;
  try {
    bindUserId(state, req);
    const outcome: RequestOutcome = {
      method: req.method,
      path: state.path,
      route: state.routePattern(req),
      statusCode: res.statusCode,
      durationMs: performance.now() - state.start,
      responseSize: state.bodyCounted ? state.bytes : contentLengthOf(res),
      remoteAddress: state.remoteAddress,
      // `close` before the response was flushed: the client went away (or the socket was destroyed).
      aborted: !res.writableFinished,
    };
    const fields = requestOutcomeFields(outcome, o.logRemoteAddress);
    if (o.customFields !== undefined) {
      try {
        addFields(fields, o.customFields(req, res));
      } catch (e) {
        report("structlogMiddleware() customFields", e);
      }
    }
    if (o.logHeaders) {
      // The request-id header too: a hostile id must not reach the log through the headers either.
      const redact = {
        redactHeaders: o.redactHeaders,
        censor: o.censor,
        requestIdHeader: o.requestIdHeader,
        requestIdMaxLength: o.requestIdMaxLength,
      };
      fields.req = serializeRequest(req, redact);
      fields.res = serializeResponse(res as ServerResponse, redact);
    }
    state.logger[levelForOutcome(outcome)](o.completedEvent, fields);
  } catch (e) {
    report("structlogMiddleware() request line", e);
  }
}

/**
 * The `finish` and `close` listener (one shared function: no closure per
 * request). Whichever event comes first removes both, so the line is
 * written exactly once.
 */
function onResponseDone(this: Response): void {
  this.removeListener("finish", onResponseDone);
  this.removeListener("close", onResponseDone);
  const state = stateOf(this.req);
  if (state !== undefined) contextStorage.run(state.scope, writeRequestLine, state, this.req, this);
}

function isSkipped(o: ResolvedMiddlewareOptions, req: Request, path: string): boolean {
  if (o.ignorePaths.has(path)) return true;
  if (o.skip === undefined) return false;
  try {
    return o.skip(req) === true;
  } catch (e) {
    report("structlogMiddleware() skip", e);
    return false;
  }
}

/**
 * Express middleware (Express 4 and 5) that gives every line logged while a
 * request is handled the request's id (and `user_id`, once the app binds
 * it), sets `req.log`, echoes the id on the response, and writes one
 * `request_completed` line per request. Mount it first, and
 * {@link structlogErrorHandler} last. The options object is only read.
 *
 * @example
 * const app = express();
 * app.use(structlogMiddleware({ getUserId: (req) => req.user?.id }));
 * app.get("/orders/:id", (req, res) => {
 *   req.log.info("order_loaded", { order_id: req.params.id });
 *   res.json({ id: req.params.id });
 * });
 * app.use(structlogErrorHandler());
 */
export function structlogMiddleware(options?: StructlogMiddlewareOptions): RequestHandler {
  const o = resolveMiddlewareOptions(options);
  const base: Logger = o.logger ?? getLogger(o.loggerName);
  const idKey = o.requestIdKey;

  return function structlogMiddleware(req, res, next): void {
    const existing = stateOf(req);
    if (existing !== undefined) {
      // Mounted twice (an app and a sub-app): the first one owns the request; the sub-app gets the hooks.
      installHooks(req, res, undefined);
      contextStorage.run(existing.scope, next);
      return;
    }
    const start = performance.now();
    const id = intakeRequestId(req, o);
    if (o.responseIdHeader !== false) res.setHeader(o.responseIdHeader, id);
    const idField = { [idKey]: id };
    const scope = newScope(idField);
    const state = new RequestState(o, scope, id, base.bind(idField), start);
    setState(req, state);
    // An own property, not a prototype getter: a sub-app mounted on a router swaps the prototype, never own properties.
    req.log = state.logger;
    installHooks(req, res, state);

    const path = pathOf(req.originalUrl ?? req.url);
    state.path = path;
    if (!isSkipped(o, req, path)) {
      if (o.logRemoteAddress) state.remoteAddress = remoteAddressOf(req);
      res.on("finish", onResponseDone);
      res.on("close", onResponseDone);
      if (o.logRequestStarted) contextStorage.run(scope, () => state.logger.info(o.startedEvent, { method: req.method, path }));
    }
    contextStorage.run(scope, next);
  };
}
