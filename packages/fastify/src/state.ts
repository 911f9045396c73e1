/**
 * What the plugin keeps for one request: the saved async context to re-enter
 * in hooks that Fastify runs elsewhere, the request logger, and what the
 * request line needs to know at the end.
 */
import type { AsyncResource } from "node:async_hooks";
import type { RequestScope } from "@structlog/core/http";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { FastifyLogger } from "./logger.js";

/** The request decoration holding a {@link RequestState}. A symbol: it is not the app's business. */
export const kState: unique symbol = Symbol("@structlog/fastify.state");

/** Marks an instance the plugin is registered on, so a second registration does nothing. */
export const kRegistered: unique symbol = Symbol.for("@structlog/fastify.registered");

/** Per-request state. A class, so every instance has the same shape. */
export class RequestState {
  /** The async context saved at onRequest, with the request's scope in it. */
  resource: AsyncResource | undefined = undefined;
  /** The request's scope, opened in genReqId (or at onRequest when another genReqId ran). */
  readonly scope: RequestScope;
  /** The request logger: `request.log`, `request.logger` (and what `reply.log` writes through). */
  readonly logger: FastifyLogger;
  /** The route pattern (`/orders/:id`); undefined for a 404. */
  readonly route: string | undefined;
  /** The client address, read at the start: a socket that is gone has none. */
  remoteAddress: string | undefined = undefined;
  /** No request line for this request (`skip`, `ignorePaths`). */
  skip = false;
  /** The error a handler, hook or parser produced (from onError). */
  error: unknown = undefined;
  /** The error of a streamed reply that failed after its headers were sent. */
  streamError: unknown = undefined;
  timedOut = false;
  aborted = false;
  /** `getUserId` gave a user; it is not asked again. */
  userIdBound = false;
  /** The request line is written (exactly once). */
  written = false;

  /** The request and its reply, for the response's `close` listener (one function for all requests). */
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;

  constructor(scope: RequestScope, logger: FastifyLogger, route: string | undefined, request: FastifyRequest, reply: FastifyReply) {
    this.scope = scope;
    this.logger = logger;
    this.route = route;
    this.request = request;
    this.reply = reply;
  }
}

/** The state of a request, or `null` when the plugin's onRequest has not run for it. */
export function stateOf(request: FastifyRequest): RequestState | null {
  return (request as unknown as { [kState]: RequestState | null })[kState] ?? null;
}

/** Stores the state on the request. */
export function setState(request: FastifyRequest, state: RequestState): void {
  (request as unknown as { [kState]: RequestState | null })[kState] = state;
}
