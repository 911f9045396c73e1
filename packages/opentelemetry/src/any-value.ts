/**
 * Values as OpenTelemetry AnyValues: core's `toJsonSafe` makes any value
 * safe (cycles, BigInts, symbols, throwing getters, huge values), then the
 * keys the SDK cannot hold are renamed. The SDK copies a nested map with
 * `copy[key] = value`, so a `__proto__` key would set the copy's prototype
 * instead of a field, and it rejects a whole attribute whose nested map has
 * a `constructor` key (its plain-object test reads `obj.constructor`).
 */
import type { AnyValue } from "@opentelemetry/api-logs";
import { toJsonSafe } from "@structlog/core";

/** The name a key the SDK cannot hold is given: `[__proto__]`, `[constructor]`. */
export function renamedKey(key: string): string {
  return `[${key}]`;
}

function isUnsafeKey(key: string): boolean {
  return key === "__proto__" || key === "constructor";
}

/** `toJsonSafe`'s output with unsafe keys renamed and undefined map values left out. Copies only what changes. */
function fixKeys(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      const fixed = fixKeys(item);
      if (fixed !== item) {
        out ??= value.slice();
        out[i] = fixed;
      }
    }
    return out ?? value;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  let changed = false;
  const fixedValues = new Array<unknown>(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const v = obj[key];
    const fixed = fixKeys(v);
    fixedValues[i] = fixed;
    if (fixed !== v || fixed === undefined || isUnsafeKey(key)) changed = true;
  }
  if (!changed) return value;
  const out: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (fixedValues[i] === undefined) continue;
    out[isUnsafeKey(key) ? renamedKey(key) : key] = fixedValues[i];
  }
  return out;
}

/**
 * `value` as an AnyValue (strings cut at `maxStringLength`), or `undefined`
 * for a value JSON would leave out. Never throws.
 *
 * @example
 * toAnyValue({ n: 1n, tags: new Set(["a"]) }, 32_768); // { n: "1", tags: ["a"] }
 */
export function toAnyValue(value: unknown, maxStringLength: number): AnyValue | undefined {
  return fixKeys(toJsonSafe(value, maxStringLength)) as AnyValue | undefined;
}
