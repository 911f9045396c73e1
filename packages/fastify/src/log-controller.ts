/**
 * `StructlogLogController`: Fastify's `LogController` (Fastify 5.12) with
 * Fastify's per-request lines handed to the plugin.
 *
 * Fastify writes "incoming request", "request completed", "request errored",
 * its default error handler's line and "Route GET:/nope not found" through
 * its log controller. For a request the plugin handles, its one
 * `request_completed` line already says all of that (status, duration, `err`),
 * so the controller writes nothing. For a request the plugin does not handle
 * (a route outside the context it was registered in, or an app that uses
 * `withStructlog()` but never registered it), Fastify's own lines are
 * written, as events through structlog, and the missing registration is
 * noted once. The lines that are not about the request's outcome (a failed
 * `writeHead`, a status code's serializer that threw, a request refused while
 * closing) stay, as events with fields.
 */
import { type LogMethod, note } from "@structlog/core";
import fastify, { type FastifyBaseLogger, type FastifyReply, type FastifyRequest } from "fastify";
import { kRegistered, stateOf } from "./state.js";

/** The options of Fastify's `LogController` (Fastify does not export their type's name). */
type LogControllerOptions = NonNullable<ConstructorParameters<typeof fastify.LogController>[0]>;

/** Fastify before 5.12 has no `LogController`: then constructing the controller says so. */
class NoLogController {
  constructor(_options?: LogControllerOptions) {
    throw new TypeError(
      "@structlog/fastify: withStructlog() needs Fastify 5.12 or later (its LogController); update fastify, or register structlogPlugin alone.",
    );
  }
}

type Base = typeof fastify.LogController;
const Base: Base = (fastify as { LogController?: Base }).LogController ?? (NoLogController as unknown as Base);

/** Does the plugin write the request line for this request? */
function handled(request: FastifyRequest): boolean {
  return stateOf(request) !== null;
}

/** Says once that the app uses withStructlog() without the plugin where this request ran. */
function noteUnregistered(request: FastifyRequest): void {
  note(
    "fastify-unregistered",
    "Fastify(withStructlog()) is in use, but @structlog/fastify's plugin is not registered in the context of " +
      `${request.method} ${request.routeOptions.url ?? request.url} (seen first), so Fastify's own request lines are written for it. ` +
      "Register it before your routes: await app.register(structlogPlugin).",
  );
}

function warn(log: FastifyBaseLogger): LogMethod {
  return log.warn as unknown as LogMethod;
}

function error(log: FastifyBaseLogger): LogMethod {
  return log.error as unknown as LogMethod;
}

/**
 * Fastify's `LogController` for structlog: the plugin's request line is the
 * only line per request. `withStructlog()` installs it; extend it to change
 * one of Fastify's lines, and pass it as `withStructlog(options, { logController })`.
 *
 * @example
 * class Quiet extends StructlogLogController {
 *   override serviceUnavailable(): void {} // no line for requests refused while closing
 * }
 * const app = Fastify(withStructlog({}, { logController: new Quiet() }));
 */
export class StructlogLogController extends Base {
  /** `requestIdLogLabel` defaults to `request_id`, the key the plugin binds the id under. */
  constructor(options: LogControllerOptions = {}) {
    super({ requestIdLogLabel: "request_id", ...options });
  }

  override incomingRequest(request: FastifyRequest, reply: FastifyReply, metadata?: Record<string, unknown>): void {
    // Before the plugin's hooks: whether it will handle the request is known from the instance.
    if (kRegistered in request.server) return;
    noteUnregistered(request);
    super.incomingRequest(request, reply, metadata);
  }

  override requestCompleted(
    err: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
    metadata?: Record<string, unknown>,
  ): void {
    if (handled(request)) return;
    // Not seen by the plugin (not registered here, or an earlier hook ended the request): Fastify's line, so it is logged once.
    super.requestCompleted(err, request, reply, metadata);
  }

  override defaultErrorLog(err: Error, request: FastifyRequest, reply: FastifyReply, metadata?: Record<string, unknown>): void {
    // The request line carries `err`, at the level of the status code.
    if (handled(request)) return;
    super.defaultErrorLog(err, request, reply, metadata);
  }

  override routeNotFound(request: FastifyRequest, reply: FastifyReply, metadata?: Record<string, unknown>): void {
    // The request line says it: status_code 404, no route.
    if (handled(request)) return;
    super.routeNotFound(request, reply, metadata);
  }

  override streamError(err: Error, request: FastifyRequest, reply: FastifyReply, metadata?: Record<string, unknown>): void {
    // The plugin sees the stream's error and puts it on the request line.
    if (handled(request)) return;
    super.streamError(err, request, reply, metadata);
  }

  override writeHeadError(err: Error, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return;
    warn(reply.log)("response_write_head_failed", { err });
  }

  override serializerError(err: Error, request: FastifyRequest, reply: FastifyReply, metadata: { statusCode: number }): void {
    if (this.isLogDisabled(request)) return;
    error(reply.log)("response_serializer_failed", { err, status_code: metadata.statusCode });
  }

  override serviceUnavailable(logger: FastifyBaseLogger): void {
    (logger.info as unknown as LogMethod)("request_refused_server_closing", { status_code: 503 });
  }
}
