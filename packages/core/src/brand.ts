/**
 * Built-in renderers and processors carry a brand, so `configure()` can tell
 * at run time that a chain ends in a processor that does not render.
 */
export const RENDERER_BRAND: unique symbol = Symbol.for("structlog.renderer");
export const PROCESSOR_BRAND: unique symbol = Symbol.for("structlog.processor");

/**
 * Marks `fn` as a renderer and returns it (for renderers outside core).
 *
 * @example
 * export const myRenderer = markRenderer((_l, _m, ed) => JSON.stringify(ed));
 */
export function markRenderer<F extends object>(fn: F): F {
  Object.defineProperty(fn, RENDERER_BRAND, { value: true });
  return fn;
}

/**
 * Marks `fn` as a processor that does not render, and returns it, so
 * `configure()` rejects a chain that ends with it.
 *
 * @example
 * export const addHost = markProcessor((_l, _m, ed) => Object.assign(ed, { host: "web-1" }));
 */
export function markProcessor<F extends object>(fn: F): F {
  Object.defineProperty(fn, PROCESSOR_BRAND, { value: true });
  return fn;
}
