/**
 * Copying fields between plain objects, fast and safely.
 *
 * `Object.assign` is used rather than object spread: on Node 20's V8 a
 * spread of a non-literal object is about ten times slower than
 * `Object.assign` (bench/README.md), and this runs on every log call. But
 * `Object.assign` *sets* properties, so a `__proto__` key (from
 * `JSON.parse`, say) would change the target's prototype; such sources take
 * the slow path, which defines the key as a plain field.
 */

/** Sets `key` as an own property, even when it is `__proto__`. */
export function defineField(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/** Copies `source`'s own enumerable fields onto `target` and returns `target`. */
export function assignFields<T extends Record<string, unknown>>(target: T, source: Readonly<Record<string, unknown>>): T {
  if (!Object.hasOwn(source, "__proto__")) return Object.assign(target, source);
  for (const key of Object.keys(source)) defineField(target, key, source[key]);
  return target;
}

/** A new plain object with the fields of `a`, then `b` (later wins). */
export function mergeFields(a: Readonly<Record<string, unknown>>, b?: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out = assignFields({}, a);
  return b === undefined ? out : assignFields(out, b);
}
