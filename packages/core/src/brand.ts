/**
 * Renderers and processors carry a brand, so `configure()` can tell at run
 * time what TypeScript tells at compile time: that a chain ends in a
 * processor that does not render, or has a renderer before its end; and
 * factories carry one that says how to call them, so that a factory passed
 * uncalled (`jsonRenderer` for `jsonRenderer()`) is caught there too. The
 * built-in ones are branded; brand your own with these to get the same
 * checks (an unbranded function is taken for whatever its place says).
 */
import type { Processor, Renderer } from "./types.js";

export const RENDERER_BRAND: unique symbol = Symbol.for("structlog.renderer");
export const PROCESSOR_BRAND: unique symbol = Symbol.for("structlog.processor");
export const FACTORY_BRAND: unique symbol = Symbol.for("structlog.factory");

function brand<F extends object>(fn: F, symbol: symbol, name: string | undefined): F {
  Object.defineProperty(fn, symbol, { value: true });
  // Factories return arrow functions, which have no name of their own; the
  // name is what configure() errors and failure reports call the step.
  if (name !== undefined) Object.defineProperty(fn, "name", { value: name });
  return fn;
}

/**
 * Marks `fn` as a renderer (named `name`, if given) and returns it.
 *
 * @example
 * const eventOnly = markRenderer((_l, _m, ed) => String(ed.event), "eventOnly");
 */
export function markRenderer<F extends Renderer<unknown>>(fn: F, name?: string): F {
  return brand(fn, RENDERER_BRAND, name);
}

/**
 * Marks `fn` as a processor that does not render (named `name`, if given),
 * and returns it.
 *
 * @example
 * const addHost = markProcessor((_l, _m, ed) => Object.assign(ed, { host: "web-1" }), "addHost");
 */
export function markProcessor<F extends Processor>(fn: F, name?: string): F {
  return brand(fn, PROCESSOR_BRAND, name);
}

/** Is `fn` a branded renderer? */
export function isRenderer(fn: unknown): boolean {
  return typeof fn === "function" && (fn as unknown as Record<symbol, unknown>)[RENDERER_BRAND] === true;
}

/** Is `fn` a branded processor (one that does not render)? */
export function isProcessor(fn: unknown): boolean {
  return typeof fn === "function" && (fn as unknown as Record<symbol, unknown>)[PROCESSOR_BRAND] === true;
}

/**
 * Marks `factory`, a function that makes a processor or renderer, so that
 * `configure()` rejects it passed uncalled, showing `call`, how to call it.
 * Returns `factory`.
 *
 * @example
 * export function addHost(options = {}) { return markProcessor((_l, _m, ed) => ed, "addHost"); }
 * markFactory(addHost, "addHost()");
 */
export function markFactory<F extends (...args: never[]) => unknown>(factory: F, call: string): F {
  Object.defineProperty(factory, FACTORY_BRAND, { value: call });
  return factory;
}

/** How to call `fn`, when it is a factory marked by {@link markFactory}; otherwise `undefined`. */
export function factoryCall(fn: unknown): string | undefined {
  if (typeof fn !== "function") return undefined;
  const call = (fn as unknown as Record<symbol, unknown>)[FACTORY_BRAND];
  return typeof call === "string" ? call : undefined;
}
