/**
 * core's run-time brands (`Symbol.for`, so they are the same symbols core
 * uses): `configure()` rejects a chain whose last step is branded as a
 * processor that does not render.
 */
const RENDERER_BRAND = Symbol.for("structlog.renderer");
const PROCESSOR_BRAND = Symbol.for("structlog.processor");

/** Marks `fn` as a renderer and returns it. */
export function markRenderer<F extends object>(fn: F): F {
  Object.defineProperty(fn, RENDERER_BRAND, { value: true });
  return fn;
}

/** Marks `fn` as a processor that does not render, and returns it. */
export function markProcessor<F extends object>(fn: F): F {
  Object.defineProperty(fn, PROCESSOR_BRAND, { value: true });
  return fn;
}
