/**
 * Renderers and processors carry a brand, so `configure()` can tell at run
 * time what TypeScript tells at compile time: that a chain ends in a
 * processor that does not render, or has a renderer before its end. The
 * built-in ones are branded; brand your own with these to get the same
 * checks (an unbranded function is taken for whatever its place says).
 */
import type { Processor, Renderer } from "./types.js";

export const RENDERER_BRAND: unique symbol = Symbol.for("structlog.renderer");
export const PROCESSOR_BRAND: unique symbol = Symbol.for("structlog.processor");

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
