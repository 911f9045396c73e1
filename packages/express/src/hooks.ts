/**
 * Where the middleware attaches to Express's request and response: their
 * `emit` (so listeners run in the request's scope), `req.route` (so the
 * route pattern is caught while Express still knows its mount path) and
 * `res.write`/`res.end` (so the body size of a streamed response is known).
 *
 * The hooks go on the app's own request and response prototypes
 * (`app.request`, `app.response`, Express's documented extension points),
 * once per app, rather than on every request: in CPU profiles of the
 * benchmark server (`node --cpu-prof bench/express-server.js structlog`),
 * the stores that add properties to each request and response object were
 * the largest part of the middleware's own time. A request the middleware
 * did not see has no state and goes straight through. Objects that are not
 * an Express app's (a bare router on `http`) get the same hooks as own
 * properties.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Request } from "express";
import { bindUserId, type Emit, type RequestState, type Route, stateOf } from "./request-state.js";

function emitIn(state: RequestState, emit: Emit, target: object, args: unknown[]): boolean {
  // Already in the scope (the usual case), run() calls straight through.
  return state.scope.run(Reflect.apply, emit, target, args) as boolean;
}

function byteLength(chunk: unknown, encoding: unknown): number {
  if (typeof chunk === "string") return Buffer.byteLength(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8");
  if (chunk instanceof Uint8Array) return chunk.byteLength;
  return 0;
}

function countWrite(res: ServerResponse, args: unknown[]): void {
  const state = stateOf(res.req);
  if (state === undefined) return;
  state.bytes += byteLength(args[0], args[1]);
  state.bodyCounted = true;
}

function countEnd(res: ServerResponse, args: unknown[]): void {
  const state = stateOf(res.req);
  if (state === undefined || res.writableEnded) return;
  state.bytes += typeof args[0] === "function" ? 0 : byteLength(args[0], args[1]);
  state.bodyCounted = true;
}

function setRoute(req: Request, value: Route): void {
  const state = stateOf(req);
  if (state === undefined) {
    // Not a request the middleware saw: an ordinary property, as Express expects.
    Object.defineProperty(req, "route", { value, writable: true, enumerable: true, configurable: true });
    return;
  }
  state.route = value;
  state.routeBase = req.baseUrl ?? "";
  // A route matched: the app-level middleware (authentication) has run, so
  // the route's lines can carry user_id, as on Fastify (asked again at the end if unknown yet).
  if (value !== undefined && !state.userIdBound && state.options.getUserId !== undefined) state.scope.run(bindUserId, state, req);
}

const routeAccessor: PropertyDescriptor = {
  configurable: true,
  enumerable: true,
  get(this: Request): Route {
    return stateOf(this)?.route;
  },
  set(this: Request, value: Route) {
    setRoute(this, value);
  },
};

/** Marks our hook methods, so a hook whose parent is also a hook only passes the call on. */
const HOOK: unique symbol = Symbol("structlog.express.hook");

function isHook(fn: unknown): boolean {
  return (fn as { [HOOK]?: true } | undefined)?.[HOOK] === true;
}

/** A method as an own, writable property: apps and middleware (compression) can still replace it per request. */
function method(value: (...args: never[]) => unknown): PropertyDescriptor {
  Object.defineProperty(value, HOOK, { value: true });
  return { value, writable: true, enumerable: false, configurable: true };
}

/** The request and response prototypes {@link installHooks} hooked (or found hooked) last. */
const lastHooked: { req: object | undefined; res: object | undefined } = { req: undefined, res: undefined };

/** Prototypes that have the hooks, or inherit them. */
const hooked = new WeakSet<object>();

/**
 * Hooks `proto` unless it inherits the hooks already: Express re-parents a
 * mounted sub-app's `request`/`response` onto its parent app's, so a
 * sub-app of a hooked app is covered as it is.
 */
function hookOnce(proto: object, hook: (proto: object) => void): void {
  if (hooked.has(proto)) return;
  hooked.add(proto);
  for (let p = Object.getPrototypeOf(proto) as object | null; p !== null; p = Object.getPrototypeOf(p) as object | null) {
    if (hooked.has(p)) return;
  }
  hook(proto);
}

/** An Express app's `app.request`/`app.response`: Express makes them with an own `app`. */
function isAppPrototype(proto: object | null): proto is object {
  return proto !== null && Object.hasOwn(proto, "app") && typeof (proto as { app?: unknown }).app === "function";
}

function hookRequestPrototype(proto: object): void {
  // Looked up at call time, so a later change to Express's own request is still honoured.
  const parent = Object.getPrototypeOf(proto) as IncomingMessage;
  Object.defineProperties(proto, {
    emit: method(function emit(this: IncomingMessage, ...args: unknown[]): boolean {
      const state = stateOf(this);
      const next = parent.emit as Emit;
      return state === undefined || isHook(next) ? (Reflect.apply(next, this, args) as boolean) : emitIn(state, next, this, args);
    }),
    route: routeAccessor,
  });
}

function hookResponsePrototype(proto: object): void {
  const parent = Object.getPrototypeOf(proto) as ServerResponse;
  Object.defineProperties(proto, {
    emit: method(function emit(this: ServerResponse, ...args: unknown[]): boolean {
      const state = stateOf(this.req);
      const next = parent.emit as Emit;
      return state === undefined || isHook(next) ? (Reflect.apply(next, this, args) as boolean) : emitIn(state, next, this, args);
    }),
    write: method(function write(this: ServerResponse, ...args: unknown[]): boolean {
      const next = parent.write;
      if (!isHook(next)) countWrite(this, args);
      return Reflect.apply(next, this, args) as boolean;
    }),
    end: method(function end(this: ServerResponse, ...args: unknown[]): ServerResponse {
      const next = parent.end;
      if (!isHook(next)) countEnd(this, args);
      return Reflect.apply(next, this, args) as ServerResponse;
    }),
  });
}

function reqEmitInScope(this: IncomingMessage, ...args: unknown[]): boolean {
  const state = stateOf(this) as RequestState;
  return emitIn(state, state.reqEmit as Emit, this, args);
}

function resEmitInScope(this: ServerResponse, ...args: unknown[]): boolean {
  const state = stateOf(this.req) as RequestState;
  return emitIn(state, state.resEmit as Emit, this, args);
}

function countedWrite(this: ServerResponse, ...args: unknown[]): boolean {
  countWrite(this, args);
  return Reflect.apply((stateOf(this.req) as RequestState).write as ServerResponse["write"], this, args) as boolean;
}

function countedEnd(this: ServerResponse, ...args: unknown[]): ServerResponse {
  countEnd(this, args);
  return Reflect.apply((stateOf(this.req) as RequestState).end as ServerResponse["end"], this, args) as ServerResponse;
}

/** The same hooks as own properties of one request and response, for objects that are not an Express app's. */
function hookInstances(req: Request, res: ServerResponse, state: RequestState): void {
  state.reqEmit = req.emit as Emit;
  state.resEmit = res.emit as Emit;
  state.write = res.write;
  state.end = res.end;
  req.emit = reqEmitInScope as IncomingMessage["emit"];
  res.emit = resEmitInScope as ServerResponse["emit"];
  res.write = countedWrite as ServerResponse["write"];
  res.end = countedEnd as ServerResponse["end"];
  state.route = (req as { route?: Route }).route;
  Object.defineProperty(req, "route", routeAccessor);
}

/**
 * Makes `req`'s and `res`'s events run in the request's scope, and tracks
 * the route and the body size. Node emits a request's `data`/`end` (a body
 * arriving in several packets) and an aborted request's `close` from the
 * socket's async context, which is not the request's: without the hook,
 * body parsers that read the stream themselves (raw-body before 2.5,
 * busboy/multer, hand-written ones) and `close` listeners would log without
 * the request's ids. With `state` undefined (a second mount of the
 * middleware, in a sub-app), only hooks that sub-app's prototypes.
 */
export function installHooks(req: Request, res: ServerResponse, state: RequestState | undefined): void {
  const reqProto = Object.getPrototypeOf(req) as object | null;
  const resProto = Object.getPrototypeOf(res) as object | null;
  // The usual case: the same app as the last request, whose prototypes are hooked already.
  if (reqProto === lastHooked.req && resProto === lastHooked.res) return;
  if (isAppPrototype(reqProto) && isAppPrototype(resProto)) {
    hookOnce(reqProto, hookRequestPrototype);
    hookOnce(resProto, hookResponsePrototype);
    lastHooked.req = reqProto;
    lastHooked.res = resProto;
    return;
  }
  if (state !== undefined) hookInstances(req, res, state);
}
