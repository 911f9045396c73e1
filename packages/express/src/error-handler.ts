/**
 * `structlogErrorHandler()`: logs an error with its request's context, then
 * passes it on to Express (or answers the client itself, by option).
 */
import { STATUS_CODES } from "node:http";
import { getLogger, type Logger } from "@structlog/core";
import { levelForOutcome } from "@structlog/core/http";
import type { ErrorRequestHandler, Request, Response } from "express";
import { type ResolvedErrorHandlerOptions, resolveErrorHandlerOptions, type StructlogErrorHandlerOptions } from "./options.js";
import { bindUserId, type RequestState, stateOf } from "./request-state.js";

function readProperty(value: unknown, key: string): unknown {
  if (value === null || (typeof value !== "object" && typeof value !== "function")) return undefined;
  try {
    return (value as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

/**
 * The status an error asks for, as Express's default handler reads it:
 * `err.status` or `err.statusCode` when it is a 4xx or 5xx, else 500.
 */
export function errorStatus(err: unknown): number {
  const status = readProperty(err, "status") ?? readProperty(err, "statusCode");
  return typeof status === "number" && Number.isInteger(status) && status >= 400 && status <= 599 ? status : 500;
}

/** An error of a request the middleware did not see: its own line, as there is no request line to carry it. */
function logError(o: ResolvedErrorHandlerOptions, err: unknown, status: number): void {
  const logger: Logger = o.logger ?? getLogger("http");
  // 4xx (a malformed JSON body, say) is the client's mistake: a warning, not an error.
  logger[levelForOutcome({ statusCode: status })](o.event, { err, status_code: status });
}

/** Answers with a small JSON body: the status text, the message only when the error says it is safe to show, and the request id. */
function respond(err: unknown, req: Request, res: Response, status: number, state: RequestState | undefined): void {
  for (const name of res.getHeaderNames()) {
    if (name.startsWith("content-")) res.removeHeader(name);
  }
  const headers = readProperty(err, "headers");
  if (headers !== null && typeof headers === "object" && errorStatus(err) === status) {
    for (const [name, value] of Object.entries(headers)) {
      try {
        res.setHeader(name, value as string | string[]);
      } catch {
        // A header Node refuses (bad characters): the response goes on without it.
      }
    }
  }
  const body: Record<string, unknown> = { error: STATUS_CODES[status] ?? "Error" };
  // http-errors marks 4xx errors `expose: true`: their message is meant for the client.
  const message = readProperty(err, "message");
  if (readProperty(err, "expose") === true && typeof message === "string") body.message = message;
  if (state !== undefined) body.request_id = state.requestId;
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader("content-type", "application/json; charset=utf-8");
  res.setHeader("content-length", Buffer.byteLength(text));
  res.setHeader("x-content-type-options", "nosniff");
  res.end(req.method === "HEAD" ? undefined : text);
}

/**
 * Express error-handling middleware: hands the error to the request line,
 * so the request's one `request_completed` line carries it as `err`
 * (rendered in pino-std-serializers' `err` shape, with its stack), at
 * `error` for 5xx and `warning` for 4xx, as the Fastify plugin's does. For a
 * request `structlogMiddleware()` did not see, it writes its own line
 * (`request_failed`, or `event`). Then it passes the error on with
 * `next(err)` to Express's default handler, which shows no stack trace when
 * `NODE_ENV=production`, or, with `respond: true`, answers with a JSON body
 * that never has one. Mount it after your routes.
 *
 * @example
 * app.use(structlogMiddleware());
 * app.get("/", () => { throw new Error("boom"); });
 * app.use(structlogErrorHandler({ respond: true }));
 */
export function structlogErrorHandler(options?: StructlogErrorHandlerOptions): ErrorRequestHandler {
  const o = resolveErrorHandlerOptions(options);
  // Four parameters: that is how Express tells an error handler from middleware.
  return function structlogErrorHandler(err, req, res, next): void {
    const state = stateOf(req);
    const status = errorStatus(err);
    if (state === undefined) logError(o, err, status);
    else {
      // The first error is the cause; a second handler up the chain sees the same one.
      state.error ??= err;
      state.scope.run(bindUserId, state, req);
    }
    // Once headers are out, only Express's default handler can end the request (it closes the connection).
    if (!o.respond || res.headersSent) {
      next(err);
      return;
    }
    respond(err, req, res, status, state);
  };
}
