/**
 * Checking the options of this package's factories: a misspelt or wrongly
 * typed option is a configuration mistake, so it throws at once, saying what
 * to change, instead of being ignored. The unknown-option check is core's,
 * so a ported snake_case name gets the camelCase one here too.
 */
import { checkOptions as checkCoreOptions } from "@structlog/core";

/** Throws when `options` is not an object or has a key outside `known` (their values are checked by the caller). */
export function checkOptions(options: unknown, where: string, known: readonly string[]): void {
  checkCoreOptions(where, options, Object.fromEntries(known.map((key) => [key, "checked by the caller"])));
}

/** Throws unless `value` is undefined or a non-empty string (a key name). */
export function checkKey(value: unknown, where: string, name: string): void {
  if (value !== undefined && (typeof value !== "string" || value === "" || value === "__proto__")) {
    throw new TypeError(`${where}: ${name} must be a non-empty key name, e.g. "trace_id" or "trace.id".`);
  }
}

/** The `maxStringLength` option: a whole number of at least 1, or Infinity. Default 32,768, as core's renderers. */
export function resolveMaxStringLength(value: unknown, where: string): number {
  if (value === undefined) return 32_768;
  if (value === Number.POSITIVE_INFINITY || (typeof value === "number" && Number.isInteger(value) && value >= 1)) return value;
  throw new TypeError(`${where}: maxStringLength must be a whole number of at least 1, or Infinity for no limit.`);
}
