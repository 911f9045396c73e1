/**
 * Copying fields between plain objects, fast and safely.
 *
 * `Object.assign` is used rather than object spread: on Node 20's V8 a
 * spread of a non-literal object is about ten times slower than
 * `Object.assign` (bench/README.md), and this runs on every log call. But
 * `Object.assign` *sets* properties, so a `__proto__` key (from
 * `JSON.parse`, say) would change the target's prototype; such sources take
 * the slow path, which defines the key as a plain field.
 *
 * Fields from the caller (a log call's, `bind()`'s) are cut to their first
 * {@link MAX_FIELDS}, with `structlog_truncated` saying how many were left
 * out: copying (and later rendering) 100,000 fields would stall the event
 * loop for seconds. Counting the keys costs one `Object.keys` per call,
 * cheap for the usual few fields. Copies of an event dict are not cut.
 */
import { MAX_FIELDS } from "./limits.js";

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

/**
 * {@link assignFields} for fields from the caller: at most
 * {@link MAX_FIELDS} of them, and a `structlog_truncated` field saying how
 * many more there were.
 */
export function assignCallerFields<T extends Record<string, unknown>>(target: T, source: Readonly<Record<string, unknown>>): T {
  const keys = Object.keys(source);
  if (keys.length <= MAX_FIELDS) return assignFields(target, source);
  for (let i = 0; i < MAX_FIELDS; i++) defineField(target, keys[i] as string, source[keys[i] as string]);
  (target as Record<string, unknown>).structlog_truncated = `${keys.length - MAX_FIELDS} more fields (over ${MAX_FIELDS})`;
  return target;
}

/** A new plain object with the fields of `a`, then the caller's fields `b` (later wins; see {@link assignCallerFields}). */
export function mergeFields(a: Readonly<Record<string, unknown>>, b?: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out = assignFields({}, a);
  return b === undefined ? out : assignCallerFields(out, b);
}
