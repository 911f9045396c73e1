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
 * - Outside any scope, bindings go to one process-wide scope.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { defineField, mergeFields } from "./fields.js";
import type { EventDict, Fields, Processor, WrappedLogger } from "./types.js";

/** One scope's variables. `keys` is kept beside `vars` so merging is a plain loop. */
interface Scope {
  vars: Record<string, unknown>;
  keys: string[];
}

const storage = new AsyncLocalStorage<Scope>();
const processScope: Scope = { vars: {}, keys: [] };

function currentScope(): Scope {
  return storage.getStore() ?? processScope;
}

function setVars(scope: Scope, vars: Record<string, unknown>): void {
  // A fresh object each time (copy-on-write): a caller holding the old one
  // from getContextVars() never sees it change.
  scope.vars = vars;
  scope.keys = Object.keys(vars);
}

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
 * @example
 * bindContextVars({ user_id: user.id });
 */
export function bindContextVars(fields: Fields): ContextToken {
  const scope = currentScope();
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
  return storage.run(newScope(fields), fn);
}

/** A scope that starts from the current one plus `fields` (for the HTTP integrations). */
export function newScope(fields: Fields): Scope {
  const vars = mergeFields(currentScope().vars, fields);
  return { vars, keys: Object.keys(vars) };
}

/** The storage behind the scopes, for integrations that must enter a scope from a hook. */
export const contextStorage: AsyncLocalStorage<Scope> = storage;

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
