/**
 * The matched route's pattern and `logLevel`, read once per request at
 * onRequest. `request.routeOptions` builds a new object of a dozen fields
 * (and asks the router about version constraints) on every read; both
 * values live on Fastify's route context, which the request holds under a
 * symbol its types do not declare. The symbol is found on the first
 * request; a Fastify without it gets `routeOptions`, which has the same
 * two fields.
 */
import type { FastifyRequest } from "fastify";

/** What the plugin reads of a route: Fastify's route context (lib/context.js) or `request.routeOptions`. */
export interface RouteContext {
  /** `url`: the route pattern (`/orders/:id`); undefined for a 404. */
  readonly config?: { readonly url?: string } | null;
  /** The route's `logLevel`; empty or undefined: inherit. */
  readonly logLevel?: string;
}

function isRouteContext(value: unknown): value is RouteContext {
  return typeof value === "object" && value !== null && "logLevel" in value && "config" in value;
}

/** A reader for one registration's requests (one Fastify module, so one symbol). */
export function routeReader(): (request: FastifyRequest) => RouteContext {
  let symbol: symbol | null | undefined;
  return function readRoute(request) {
    const fields = request as unknown as Record<symbol, unknown>;
    if (symbol === undefined) {
      symbol = Object.getOwnPropertySymbols(request).find((s) => s.description === "fastify.context" && isRouteContext(fields[s])) ?? null;
    }
    if (symbol !== null) {
      const context = fields[symbol];
      if (isRouteContext(context)) return context;
    }
    return request.routeOptions as RouteContext;
  };
}
