/**
 * The canonical request line (`request_completed`), and the optional start
 * line. Both are written by the request logger, inside the request's scope,
 * so they carry `request_id`, `user_id` and whatever else the request bound.
 */
import { contextvars, type Fields } from "@structlog/core";
import {
  levelForOutcome,
  pathOf,
  type RequestOutcome,
  type ResolvedHttpLoggingOptions,
  report,
  requestOutcomeFields,
  serializeRequest,
  serializeResponse,
} from "@structlog/core/http";
import type { FastifyReply, FastifyRequest } from "fastify";
import { redactOptions } from "./options.js";
import type { RequestState } from "./state.js";

type Options = ResolvedHttpLoggingOptions<FastifyRequest, FastifyReply>;

/** Fastify's error for a route's `handlerTimeout`. */
const HANDLER_TIMEOUT = "FST_ERR_HANDLER_TIMEOUT";

/** Calls a user callback of the logging path; one that throws is reported once and treated as returning nothing. */
export function callSafely<T>(name: string, fn: () => T): T | undefined {
  try {
    return fn();
  } catch (e) {
    report(`@structlog/fastify ${name}`, e);
    return undefined;
  }
}

/**
 * Binds `user_id` from `getUserId(request)` in the current scope, once it
 * gives one. Call inside the request's scope.
 */
export function bindUserId(state: RequestState, request: FastifyRequest, options: Options): void {
  const getUserId = options.getUserId;
  if (getUserId === undefined || state.userIdBound) return;
  const userId = callSafely("getUserId", () => getUserId(request));
  if (userId === undefined || userId === null) return;
  state.userIdBound = true;
  contextvars.bindContextVars({ user_id: userId });
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

/** `req` and `res` for `logHeaders`, headers redacted (a rejected request-id header too, so it is never logged raw). */
function headerFields(request: FastifyRequest, reply: FastifyReply, options: Options): Record<string, unknown> {
  const redact = redactOptions(options);
  return {
    req: serializeRequest(request as unknown as Record<string, unknown>, redact),
    res: serializeResponse({ headersSent: true, statusCode: reply.statusCode, getHeaders: () => reply.getHeaders() }, redact),
  };
}

/**
 * Writes the request line, once. `incomplete`: the response closed before
 * it finished (the client went away, a timeout, or a streamed reply failed).
 * Call inside the request's scope.
 */
export function writeRequestLine(
  state: RequestState,
  request: FastifyRequest,
  reply: FastifyReply,
  options: Options,
  incomplete: boolean,
): void {
  if (state.written) return;
  state.written = true;
  if (state.skip) return;
  bindUserId(state, request, options);
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
  // The scope's variables go on the line itself, so it carries them even
  // in a chain without mergeContextVars.
  const fields: Record<string, unknown> = Object.assign(
    contextvars.getContextVars(),
    requestOutcomeFields(outcome, options.logRemoteAddress),
  );
  if (options.logHeaders) Object.assign(fields, headerFields(request, reply, options));
  const customFields = options.customFields;
  if (customFields !== undefined) {
    const extra = callSafely("customFields", () => customFields(request, reply));
    if (typeof extra === "object" && extra !== null) assignOwn(fields, extra);
  }
  // A response cut short by a failing stream is a server error, whatever status was already sent.
  const level = incomplete && state.streamError !== undefined ? "error" : levelForOutcome(outcome);
  state.logger[level](options.completedEvent, fields);
}

/** Writes the start line (`logRequestStarted`). Call inside the request's scope. */
export function writeStartLine(state: RequestState, request: FastifyRequest, options: Options): void {
  if (state.skip) return;
  const fields: Record<string, unknown> = { method: request.method, path: pathOf(request.url) };
  if (state.route !== undefined) fields.route = state.route;
  if (state.remoteAddress !== undefined) fields.remote_address = state.remoteAddress;
  state.logger.info(options.startedEvent, fields);
}

function assignOwn(target: Record<string, unknown>, source: Fields): void {
  for (const key of Object.keys(source)) {
    Object.defineProperty(target, key, { value: source[key], enumerable: true, writable: true, configurable: true });
  }
}
