/**
 * What the middleware keeps per request, and the helpers that read it. The
 * state is kept on `req` under a symbol, which `Object.keys`, `for...in` and
 * `JSON.stringify` do not list, rather than in a WeakMap keyed by `req`: the
 * hooks read it on every event `req` and `res` emit, and under callgrind
 * (bench/express-instructions.js) the WeakMap's inserts and lookups cost
 * more than the property does.
 */
import type { ServerResponse } from "node:http";
import type { Logger } from "@structlog/core";
import type { RequestScope } from "@structlog/core/http";
import type { Request } from "express";
import type { ExpressPipeline, ResolvedMiddlewareOptions } from "./options.js";

/** An `emit` method. */
export type Emit = (event: string | symbol, ...args: unknown[]) => boolean;
/** What Express puts in `req.route`. */
export type Route = { readonly path?: unknown } | undefined;

/** The middleware's record of one request. */
export class RequestState {
  readonly pipeline: ExpressPipeline;
  readonly options: ResolvedMiddlewareOptions;
  readonly scope: RequestScope;
  readonly requestId: string;
  readonly logger: Logger;
  /** `performance.now()` when the middleware saw the request. */
  readonly start: number;
  /** The URL path without the query string, as the request arrived. */
  path = "";
  /** `ignorePaths` or `skip` said: no request line (the request's log control, if any, still ends with the response). */
  skipped = false;
  remoteAddress: string | undefined;
  /** Body bytes handed to `res.write`/`res.end`. */
  bytes = 0;
  /** Did the `res.write`/`res.end` hooks see the body? (Not in a sub-app whose prototypes have no hooks.) */
  bodyCounted = false;
  /** `req.route`, and `req.baseUrl` when Express set it (a router restores `baseUrl` on the way out). */
  route: Route;
  routeBase = "";
  /** The error structlogErrorHandler() saw (the first one): the request line carries it as `err`. */
  error: unknown;
  /** The request line's listener has run: the line is written once. */
  ended = false;
  /** `getUserId` gave a user; it is not asked again. */
  userIdBound = false;
  /** The methods the per-request hooks stand in for (hooks.ts; unused with the prototype hooks). */
  reqEmit: Emit | undefined;
  resEmit: Emit | undefined;
  write: ServerResponse["write"] | undefined;
  end: ServerResponse["end"] | undefined;

  constructor(pipeline: ExpressPipeline, scope: RequestScope, requestId: string, logger: Logger, start: number) {
    this.pipeline = pipeline;
    this.options = pipeline.options;
    this.scope = scope;
    this.requestId = requestId;
    this.logger = logger;
    this.start = start;
  }

  /**
   * The route pattern (`/orders/:id`, mount path included), when Express
   * matched a route. `req` is read when the hook did not see the route (it
   * was set before the middleware ran, or in a sub-app without the hooks).
   */
  routePattern(req: Request): string | undefined {
    const route = this.route ?? (req as { route?: Route }).route;
    const path = route?.path;
    if (path === undefined) return undefined;
    const base = this.route === undefined ? (req.baseUrl ?? "") : this.routeBase;
    if (Array.isArray(path)) return path.map((p) => join(base, String(p))).join(",");
    return join(base, String(path));
  }
}

function join(base: string, path: string): string {
  if (base === "") return path;
  return path === "/" ? base : base + path;
}

const STATE: unique symbol = Symbol("structlog.express.state");

interface WithState {
  [STATE]?: RequestState;
}

/** The state the middleware left on `req`, if it ran. */
export function stateOf(req: object | undefined): RequestState | undefined {
  return (req as WithState | undefined)?.[STATE];
}

/** Records the state of `req`. */
export function setState(req: object, state: RequestState): void {
  (req as WithState)[STATE] = state;
}

/**
 * The id `structlogMiddleware()` gave this request (the one echoed on the
 * response), or `undefined` if the middleware did not see it.
 *
 * @example
 * app.get("/jobs", (req, res) => {
 *   queue.push({ job: "export", request_id: requestIdOf(req) });
 *   res.sendStatus(202);
 * });
 */
export function requestIdOf(req: object): string | undefined {
  return stateOf(req)?.requestId;
}

/**
 * Binds `user_id` from the `getUserId(req)` option in the current scope,
 * once it knows the user. A throwing `getUserId` is reported once on
 * stderr; the request goes on.
 */
export function bindUserId(state: RequestState, req: Request): void {
  if (!state.userIdBound) state.userIdBound = state.pipeline.bindUserId(req);
}
