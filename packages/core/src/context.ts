/**
 * Context variables: fields that every log line in the current scope carries,
 * without passing a logger around. Built on `AsyncLocalStorage`.
 *
 * Semantics (see docs/contextvars.md):
 * - A *scope* opens with `boundContextVars(fields, fn)` (or the HTTP
 *   integrations, once per request). It starts with a copy of the enclosing
 *   scope's variables plus `fields`.
 * - `bindContextVars()` inside a scope changes that scope: every later line
 *   of the scope sees the value, including lines from timers, promise
 *   callbacks and `finish`/`close` listeners created earlier in the scope.
 * - Scopes never see each other's bindings, and a nested scope's bindings
 *   end with it: the enclosing scope keeps its values.
 * - Outside any scope, bindings go to one process-wide scope, until an HTTP
 *   integration is set up. From then on a bind outside every scope is
 *   refused and reported once: while requests are served, such a bind comes
 *   from code that runs before the request's scope opened (middleware
 *   mounted before the integration) or from background work, and it would
 *   otherwise reach the lines of every request and of the background.
 * - A request scope (the HTTP integrations') starts with the process-wide
 *   values bound before the integration was set up, plus the request's own.
 */
import { AsyncLocalStorage, AsyncResource } from "node:async_hooks";
import { defineField, mergeFields } from "./fields.js";
import { note } from "./report.js";
import type { ScopeControl } from "./scope-hook.js";
import type { EventDict, Fields, Processor, WrappedLogger } from "./types.js";

/**
 * One scope's variables. `keys` is kept beside `vars` so merging is a plain
 * loop. `control` is the scope's log control (scope-control.ts), inherited
 * by the scopes opened inside it.
 */
interface Scope {
  vars: Record<string, unknown>;
  keys: string[];
  control?: ScopeControl | undefined;
}

const storage = new AsyncLocalStorage<Scope>();
const processScope: Scope = { vars: {}, keys: [] };

function currentScope(): Scope {
  return storage.getStore() ?? processScope;
}

/**
 * The HTTP integrations set up and not closed, each with what to tell a user
 * who binds outside every scope. While any is, such a bind is refused.
 */
const integrations = new Map<object, string>();

/**
 * @internal Marks an HTTP integration as set up, with the fix to name when
 * something binds outside every scope (e.g. "mount structlogMiddleware()
 * before the middleware that binds"). Returns the function that ends it.
 */
export function integrationServing(fix: string): () => void {
  const key = {};
  integrations.set(key, fix);
  return () => {
    integrations.delete(key);
  };
}

/** The scope a bind goes to: the current one, or none when it would be process-wide while an integration serves. */
function scopeToBind(fields: Fields): Scope | undefined {
  const scope = storage.getStore();
  if (scope !== undefined || integrations.size === 0) return scope ?? processScope;
  const fixes = [...new Set(integrations.values())].join("; ");
  note(
    "bindContextVars() outside any scope",
    `bindContextVars() outside every scope while an HTTP integration is serving was refused (keys: ${Object.keys(fields).join(", ")}): ` +
      `a process-wide value would reach other requests' lines. Fix: ${fixes}; for background work, ` +
      "run it in boundContextVars(fields, fn); for fields every line carries, bind them before setting up the integration",
  );
  return undefined;
}

function setVars(scope: Scope, vars: Record<string, unknown>): void {
  // A fresh object each time (copy-on-write): a caller holding the old one
  // from getContextVars() never sees it change.
  scope.vars = vars;
  scope.keys = Object.keys(vars);
}

/** The scope of a refused bind's token: resetting it changes nothing that is read. */
const refusedScope: Scope = { vars: {}, keys: [] };

/** Returned by {@link bindContextVars}; pass it to {@link resetContextVars} to undo that bind. */
export interface ContextToken {
  readonly scope: object;
  readonly previous: ReadonlyMap<string, { readonly had: boolean; readonly value: unknown }>;
}

/**
 * Binds `fields` in the current scope (process-wide outside any scope).
 * Returns a token that {@link resetContextVars} uses to restore the values
 * these keys had before.
 *
 * Outside every scope while an HTTP integration is set up, nothing is bound
 * and the call is reported once on stderr (see docs/contextvars.md).
 *
 * @example
 * bindContextVars({ user_id: user.id });
 */
export function bindContextVars(fields: Fields): ContextToken {
  const scope = scopeToBind(fields);
  if (scope === undefined) return { scope: refusedScope, previous: new Map() };
  const previous = new Map<string, { had: boolean; value: unknown }>();
  for (const key of Object.keys(fields)) {
    previous.set(key, { had: Object.hasOwn(scope.vars, key), value: scope.vars[key] });
  }
  setVars(scope, mergeFields(scope.vars, fields));
  return { scope, previous };
}

/**
 * Restores the values that the keys of a {@link bindContextVars} call had
 * before it, in the scope where that call was made.
 *
 * @example
 * const token = bindContextVars({ step: "charge" });
 * try { await charge(); } finally { resetContextVars(token); }
 */
export function resetContextVars(token: ContextToken): void {
  const scope = token.scope as Scope;
  const vars = mergeFields(scope.vars);
  for (const [key, { had, value }] of token.previous) {
    if (had) defineField(vars, key, value);
    else delete vars[key];
  }
  setVars(scope, vars);
}

/**
 * Removes `keys` from the current scope. Missing keys are ignored.
 *
 * @example
 * unbindContextVars("user_id");
 */
export function unbindContextVars(...keys: string[]): void {
  const scope = currentScope();
  const vars = mergeFields(scope.vars);
  for (const key of keys) delete vars[key];
  setVars(scope, vars);
}

/**
 * Removes every variable from the current scope.
 *
 * @example
 * clearContextVars();
 */
export function clearContextVars(): void {
  setVars(currentScope(), {});
}

/**
 * A copy of the current scope's variables.
 *
 * @example
 * getContextVars(); // { request_id: "…", user_id: 42 }
 */
export function getContextVars(): Record<string, unknown> {
  return mergeFields(currentScope().vars);
}

/**
 * The context a log call from `logger` would carry: the scope's variables
 * with the logger's own bound values winning.
 *
 * @example
 * getMergedContextVars(log.bind({ a: 1 }));
 */
export function getMergedContextVars(logger: { readonly context: Fields }): Record<string, unknown> {
  return mergeFields(currentScope().vars, logger.context);
}

/**
 * Runs `fn` in a new scope that starts with the enclosing scope's variables
 * plus `fields`. Works with sync and async `fn`; the enclosing scope's values
 * are untouched by anything bound inside.
 *
 * @example
 * await boundContextVars({ job_id: job.id }, () => processJob(job));
 */
export function boundContextVars<T>(fields: Fields, fn: () => T): T {
  const parent = currentScope();
  const vars = mergeFields(parent.vars, fields);
  // A nested scope keeps the enclosing scope's log control (scope-control.ts).
  return storage.run({ vars, keys: Object.keys(vars), control: parent.control }, fn);
}

/**
 * Not public API: the log control of the current scope (scope-control.ts): read by
 * every logging call while a control scope is open somewhere.
 */
export function currentControl(): ScopeControl | undefined {
  return storage.getStore()?.control;
}

/** @internal Runs `fn` in a new scope with a copy of the current scope's variables and `control` as its control. */
export function runWithControl<T>(control: ScopeControl, fn: () => T): T {
  const vars = mergeFields(currentScope().vars);
  return storage.run({ vars, keys: Object.keys(vars), control }, fn);
}

/**
 * Wraps `fn` so that it always runs in the scope that is current now, the
 * scope of the caller, whoever calls it later. For callbacks handed to a
 * queue created outside the request (a connection pool, a module-level
 * EventEmitter), which would otherwise run in the scope of whichever request
 * made the queue call them. Built on `AsyncResource.bind`.
 *
 * @example
 * pool.query(sql, contextvars.bindToScope((err, rows) => log.info("rows_loaded", { n: rows.length })));
 */
export function bindToScope<F extends (...args: never[]) => unknown>(fn: F): F {
  return AsyncResource.bind(fn as unknown as (...args: unknown[]) => unknown) as unknown as F;
}

/**
 * A request's scope, opened by an HTTP integration: the only handle on the
 * storage that leaves this module. It starts with the process-wide values
 * plus `fields`, whatever scope is current where it is opened.
 */
export class RequestScope {
  readonly #scope: Scope;

  constructor(fields: Fields) {
    const vars = mergeFields(processScope.vars, fields);
    this.#scope = { vars, keys: Object.keys(vars) };
  }

  /** Runs `fn` with up to three arguments in this scope (straight through when it is current already). */
  run<R>(fn: () => R): R;
  run<A, R>(fn: (a: A) => R, a: A): R;
  run<A, B, R>(fn: (a: A, b: B) => R, a: A, b: B): R;
  run<A, B, C, R>(fn: (a: A, b: B, c: C) => R, a: A, b: B, c: C): R;
  run(fn: (a?: unknown, b?: unknown, c?: unknown) => unknown, a?: unknown, b?: unknown, c?: unknown): unknown {
    // Fixed arity, no rest arguments: this runs for every event a request's req and res emit.
    if (storage.getStore() === this.#scope) return fn(a, b, c);
    return storage.run(this.#scope, fn, a, b, c);
  }

  /**
   * Makes this scope current for the rest of the synchronous execution and
   * everything it starts (`AsyncLocalStorage.enterWith`). For a framework
   * hook that runs before any of the app's code but cannot wrap it (Fastify's
   * `genReqId`). The scope stays on the caller's async resource until it is
   * entered over or {@link leaveRequestScope} is called there.
   */
  enter(): void {
    storage.enterWith(this.#scope);
  }

  /** Is this scope the current one? */
  isCurrent(): boolean {
    return storage.getStore() === this.#scope;
  }

  /** A copy of the scope's variables, wherever it is called. */
  vars(): Record<string, unknown> {
    return mergeFields(this.#scope.vars);
  }

  /**
   * @internal The request's log control (scope-control.ts), if it has one:
   * every logger in the scope, and in the scopes opened inside it, follows it.
   * Set once by the request pipeline, before the app's handler runs.
   */
  get control(): ScopeControl | undefined {
    return this.#scope.control;
  }

  set control(control: ScopeControl | undefined) {
    this.#scope.control = control;
  }
}

/**
 * Leaves whatever scope {@link RequestScope.enter} left on the current async
 * resource: for the start of a connection's next request, before anything
 * of it runs.
 */
export function leaveRequestScope(): void {
  if (storage.getStore() !== undefined) storage.enterWith(undefined as unknown as Scope);
}

/**
 * Starts the storage's async tracking now, before any request. Until the
 * storage is first used, Node tracks no async context: a callback scheduled
 * before then (Fastify's ready() callback that runs an early inject(), a
 * test runner's promise) runs on the one shared top-level resource, and
 * the first {@link RequestScope.enter} there would put that request's scope
 * on everything untracked. Called when an integration builds its pipeline.
 */
export function trackRequestScopes(): void {
  storage.run({ vars: {}, keys: [] }, () => undefined);
}

/**
 * Runs `fn` so that a scope {@link RequestScope.enter} makes current during
 * it stays current only until `fn` returns: then the caller's own scope (or
 * none) is current again, for the rest of the caller and everything it
 * starts afterwards. What `fn` starts after the enter keeps the request's
 * scope. For a dispatch that runs a request synchronously on the caller's
 * async context, such as Fastify's `inject()`, whose `genReqId` would
 * otherwise leave that request's scope on the caller.
 *
 * @example
 * const response = confineRequestScopes(() => dispatch(req, res));
 */
export function confineRequestScopes<R>(fn: () => R): R {
  // Not storage.run(current, fn): run() with the store that is current already does nothing, restores nothing.
  const before = storage.getStore();
  try {
    return fn();
  } finally {
    if (storage.getStore() !== before) storage.enterWith(before as Scope);
  }
}

/**
 * Runs `fn` in a new request scope holding the process-wide values plus
 * `fields` (not the variables of the scope it is called from: a request is
 * not part of whatever work happened to accept it).
 *
 * @example
 * runInRequestScope({ request_id: id }, () => handle(req, res));
 */
export function runInRequestScope<R>(fields: Fields, fn: () => R): R {
  return new RequestScope(fields).run(fn);
}

/**
 * The current scope's variables, not copied, for the compiled chain
 * (compiled-chain.ts): a scope's variables object is never changed in place
 * (each change makes a new one), so its identity says when they changed.
 */
export function currentContextVars(): Readonly<Record<string, unknown>> {
  return (storage.getStore() ?? processScope).vars;
}

/**
 * Processor: adds the current scope's variables to the event dict. A key the
 * event already has (bound to the logger or passed in the call) wins.
 *
 * @example
 * configure({ processors: [mergeContextVars, jsonRenderer()] });
 */
export const mergeContextVars: Processor = (_logger: WrappedLogger, _method: string, eventDict: EventDict) => {
  const scope = storage.getStore() ?? processScope;
  const keys = scope.keys;
  if (keys.length === 0) return eventDict;
  const vars = scope.vars;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (!Object.hasOwn(eventDict, key)) defineField(eventDict, key, vars[key]);
  }
  return eventDict;
};
