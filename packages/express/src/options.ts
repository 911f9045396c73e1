/**
 * The options of the middleware and the error handler: their types, and
 * their checking at setup time (a wrong option throws with what to change;
 * the caller's object is only read, never changed).
 */
import type { Logger } from "@structlog/core";
import {
  createRequestPipeline,
  type HttpLoggingOptions,
  type RequestPipeline,
  type ResolvedHttpLoggingOptions,
  rejectUnknownOptions,
  resolveHttpOptions,
} from "@structlog/core/http";
import type { Request, Response } from "express";

/**
 * Options of {@link structlogMiddleware}, all optional: the options the
 * Fastify plugin takes too, with Express's request and response types.
 */
export interface StructlogMiddlewareOptions extends HttpLoggingOptions<Request, Response> {}

/** The middleware's options, checked, with defaults filled in. */
export type ResolvedMiddlewareOptions = ResolvedHttpLoggingOptions<Request, Response>;

/** The middleware's request pipeline (core/http). */
export type ExpressPipeline = RequestPipeline<Request, Response>;

/** What the refusal of a bind outside every scope tells an Express user. */
const SCOPE_FIX =
  "mount structlogMiddleware() before the middleware that binds (app.use(structlogMiddleware()) first), " +
  "so that it runs inside the request's scope";

/** Options of {@link structlogErrorHandler}, all optional. */
export interface StructlogErrorHandlerOptions {
  /**
   * `false` (the default): log, then pass the error on with `next(err)`, to
   * your next error handler or Express's default one. `true`: log, then
   * answer the client with a small JSON body (`{ error, message?, request_id }`)
   * that never contains a stack trace. Once headers are sent the error is
   * always passed on, as Express requires.
   */
  readonly respond?: boolean;
  /** Event of the error line written for a request `structlogMiddleware()` did not see (its own requests carry the error on their request line). Default `"request_failed"`. */
  readonly event?: string;
  /**
   * Logger for errors of requests the middleware did not see. Requests it
   * saw are logged through their own logger (`req.log`). Default
   * `getLogger("http")`.
   */
  readonly logger?: Logger;
}

/** {@link StructlogErrorHandlerOptions}, checked, with defaults filled in. */
export interface ResolvedErrorHandlerOptions {
  readonly respond: boolean;
  readonly event: string;
  readonly logger: Logger | undefined;
}

/**
 * Checks the middleware's options and makes its pipeline; throws a
 * `TypeError` that says what to change. Misspelt options are rejected
 * rather than ignored.
 */
export function resolveMiddlewareOptions(options: StructlogMiddlewareOptions | undefined): ExpressPipeline {
  const where = "structlogMiddleware()";
  if (options !== undefined && (options === null || typeof options !== "object")) {
    throw new TypeError(`${where}: options must be an object, e.g. structlogMiddleware({ requestIdHeader: "x-request-id" }).`);
  }
  if (options !== undefined) rejectUnknownOptions(options, where);
  const resolved = resolveHttpOptions<Request, Response>(options ?? {}, where);
  return createRequestPipeline<Request, Response>(resolved, { where, scopeFix: SCOPE_FIX, generate: resolved.generateRequestId });
}

const ERROR_HANDLER_KEYS = ["respond", "event", "logger"] as const;

/** Checks the error handler's options; throws a `TypeError` that says what to change. */
export function resolveErrorHandlerOptions(options: StructlogErrorHandlerOptions | undefined): ResolvedErrorHandlerOptions {
  const where = "structlogErrorHandler()";
  const o = options ?? {};
  if (o === null || typeof o !== "object") throw new TypeError(`${where}: options must be an object, e.g. { respond: true }.`);
  for (const key of Object.keys(o)) {
    if (!(ERROR_HANDLER_KEYS as readonly string[]).includes(key)) {
      throw new TypeError(`${where}: unknown option ${JSON.stringify(key)}; the options are ${ERROR_HANDLER_KEYS.join(", ")}.`);
    }
  }
  if (o.respond !== undefined && typeof o.respond !== "boolean") throw new TypeError(`${where}: respond must be true or false.`);
  if (o.event !== undefined && (typeof o.event !== "string" || o.event === "")) {
    throw new TypeError(`${where}: event must be a non-empty string, e.g. "request_failed".`);
  }
  if (o.logger !== undefined && (o.logger === null || typeof o.logger !== "object" || typeof o.logger.error !== "function")) {
    throw new TypeError(`${where}: logger must be a structlog logger (getLogger()).`);
  }
  return Object.freeze({ respond: o.respond ?? false, event: o.event ?? "request_failed", logger: o.logger });
}
