/**
 * `structlogMiddleware()`: opens the request's context scope, sets up
 * `req.log`, and writes the canonical request line once the response is done.
 */
import type { ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";
import { getLogger, type Logger } from "@structlog/core";
import { pathOf, type RequestOutcome, serializeRequest, serializeResponse } from "@structlog/core/http";
import type { Request, RequestHandler, Response } from "express";
import { installHooks } from "./hooks.js";
import { resolveMiddlewareOptions, type StructlogMiddlewareOptions } from "./options.js";
import { bindUserId, RequestState, setState, stateOf } from "./request-state.js";

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

/** Writes the request line, from the `close` listener, through the shared pipeline (it never throws). */
function writeRequestLine(state: RequestState, req: Request, res: Response): void {
  const pipeline = state.pipeline;
  if (!state.skipped && !state.userIdBound && state.options.getUserId !== undefined) state.scope.run(bindUserId, state, req);
  const outcome: RequestOutcome = {
    method: req.method,
    path: state.path,
    route: state.routePattern(req),
    statusCode: res.statusCode,
    durationMs: performance.now() - state.start,
    responseSize: state.bodyCounted ? state.bytes : contentLengthOf(res),
    remoteAddress: state.remoteAddress,
    // What a handler threw or passed to next(), as structlogErrorHandler() saw it.
    error: state.error,
    // `close` before the response was flushed: the client went away (or the socket was destroyed).
    aborted: !res.writableFinished,
  };
  pipeline.writeRequestLine({
    logger: state.logger,
    scope: state.scope,
    req,
    res,
    outcome,
    skipped: state.skipped,
    // Made only when asked: most apps never log headers.
    headers: pipeline.options.logHeaders
      ? (redact) => ({ req: serializeRequest(req, redact), res: serializeResponse(res as ServerResponse, redact) })
      : undefined,
  });
}

/**
 * The `close` listener (one shared function: no closure per request). Node
 * emits a response's `close` once, whatever ends it: on the tick after
 * `finish` for a response sent in full, or when the socket goes first (the
 * client went away). Listening for `close` alone writes the line exactly
 * once (and `ended` guards against a second `close` emitted by hand), with one
 * listener to add and none to remove: under callgrind
 * (bench/express-instructions.js) a `finish` listener beside it, added and
 * removed on every request, cost about 35k instructions a request.
 */
function onResponseClose(this: Response): void {
  const state = stateOf(this.req);
  if (state === undefined || state.ended) return;
  state.ended = true;
  writeRequestLine(state, this.req, this);
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
  const pipeline = resolveMiddlewareOptions(options);
  const o = pipeline.options;
  const base: Logger = o.logger ?? getLogger(o.loggerName);
  const idKey = o.requestIdKey;

  return function structlogMiddleware(req, res, next): void {
    const existing = stateOf(req);
    if (existing !== undefined) {
      // Mounted twice (an app and a sub-app): the first one owns the request; the sub-app gets the hooks.
      installHooks(req, res, undefined);
      existing.scope.run(next as () => void);
      return;
    }
    const start = performance.now();
    const id = pipeline.requestId(req.headers, req);
    if (o.responseIdHeader !== false) res.setHeader(o.responseIdHeader, id);
    const scope = pipeline.openScope(id);
    const state = new RequestState(pipeline, scope, id, base.bind({ [idKey]: id }), start);
    setState(req, state);
    // An own property, not a prototype getter: a sub-app mounted on a router swaps the prototype, never own properties.
    req.log = state.logger;
    installHooks(req, res, state);

    const path = pathOf(req.originalUrl ?? req.url);
    state.path = path;
    // Every logger in the request's scope follows its control (docs/request-control.md).
    pipeline.openControl(scope, req);
    state.skipped = pipeline.isSkipped(req, path);
    // A skipped request gets no line, but its control (if any) still ends with the response.
    if (!state.skipped || scope.control !== undefined) {
      if (o.logRemoteAddress && !state.skipped) state.remoteAddress = remoteAddressOf(req);
      res.on("close", onResponseClose);
      if (o.logRequestStarted && !state.skipped) pipeline.writeStartLine(state.logger, scope, { method: req.method, path });
    }
    scope.run(next as () => void);
  };
}
