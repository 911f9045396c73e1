/**
 * The request line (`request_completed`) and the optional start line, as
 * Fastify measures a request; written by the shared pipeline of
 * `@structlog/core/http`, in the request's scope, so they carry
 * `request_id`, `user_id` and whatever else the request bound.
 */
import { pathOf, type RequestOutcome, serializeRequest, serializeResponse } from "@structlog/core/http";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { FastifyPipeline } from "./options.js";
import type { RequestState } from "./state.js";

/** Fastify's error for a route's `handlerTimeout`. */
const HANDLER_TIMEOUT = "FST_ERR_HANDLER_TIMEOUT";

/** Binds `user_id` from `getUserId(request)` in the current scope, once it gives one. Call inside the request's scope. */
export function bindUserId(state: RequestState, request: FastifyRequest, pipeline: FastifyPipeline): void {
  if (state.userIdBound) return;
  state.userIdBound = pipeline.bindUserId(request);
}

function responseSize(reply: FastifyReply): number | undefined {
  // Fastify keeps the headers it sends with writeHead() on the reply, not on the raw response.
  const length = reply.getHeader("content-length") ?? reply.raw.getHeader("content-length");
  if (length === undefined) return undefined;
  const n = typeof length === "number" ? length : Number(length);
  return Number.isFinite(n) ? n : undefined;
}

function errorCode(error: unknown): unknown {
  return typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
}

/**
 * Writes the request line, once. `incomplete`: the response closed before
 * it finished (the client went away, a timeout, or a streamed reply failed).
 */
export function writeRequestLine(
  state: RequestState,
  request: FastifyRequest,
  reply: FastifyReply,
  pipeline: FastifyPipeline,
  incomplete: boolean,
): void {
  if (state.written) return;
  state.written = true;
  // A skipped request gets no line, but its log control (if any) still ends in the pipeline.
  if (state.skip && state.scope.control === undefined) return;
  if (!state.skip) state.scope.run(bindUserId, state, request, pipeline);
  const error = state.error ?? state.streamError;
  const timedOut = state.timedOut || errorCode(error) === HANDLER_TIMEOUT;
  const outcome: RequestOutcome = {
    method: request.method,
    path: pathOf(request.url),
    route: state.route,
    statusCode: reply.raw.statusCode,
    durationMs: reply.elapsedTime,
    responseSize: incomplete ? undefined : responseSize(reply),
    remoteAddress: state.remoteAddress,
    error,
    // The client went away (a timeout or a failed stream says so instead).
    aborted: !timedOut && (state.aborted || (incomplete && state.streamError === undefined)),
    timedOut,
  };
  pipeline.writeRequestLine({
    logger: state.logger,
    scope: state.scope,
    req: request,
    res: reply,
    outcome,
    skipped: state.skip,
    // Made only when asked: most apps never log headers.
    headers: pipeline.options.logHeaders
      ? (redact) => ({
          req: serializeRequest(request as unknown as Record<string, unknown>, redact),
          res: serializeResponse({ headersSent: true, statusCode: reply.statusCode, getHeaders: () => reply.getHeaders() }, redact),
        })
      : undefined,
  });
}

/** Writes the start line (`logRequestStarted`). */
export function writeStartLine(state: RequestState, request: FastifyRequest, pipeline: FastifyPipeline): void {
  if (state.skip) return;
  const fields: Record<string, unknown> = { method: request.method, path: pathOf(request.url) };
  if (state.route !== undefined) fields.route = state.route;
  if (state.remoteAddress !== undefined) fields.remote_address = state.remoteAddress;
  pipeline.writeStartLine(state.logger, state.scope, fields);
}
