/**
 * Turning arbitrary JavaScript values into safe output.
 *
 * Rules (documented in docs/values.md):
 * - Errors become pino-std-serializers' `err` shape: type, message, stack,
 *   own properties, `cause` and `aggregateErrors`, recursively.
 * - BigInt becomes its decimal string. A symbol or function that is a
 *   field of the event becomes its description (`"Symbol(x)"`,
 *   `"[Function: f]"`); nested deeper, it is left out, as JSON does.
 *   NaN and ±Infinity become `null`, as JSON does.
 * - Map becomes an object of its entries, Set an array, a Buffer or typed
 *   array `{ type, length, base64 }` (a Buffer) or an array of its numbers.
 * - A value seen again on its own path becomes `"[Circular]"`; nesting past
 *   {@link MAX_DEPTH} becomes `"[Max depth]"`.
 * - A getter, proxy trap or `toJSON` that throws becomes
 *   `"[Unserializable: <message>]"`.
 * - `undefined` object values are left out (as JSON does).
 */
import { inspect } from "node:util";
import { errWithCause } from "pino-std-serializers";

/** How deep {@link toJsonSafe} goes before writing `"[Max depth]"`. */
export const MAX_DEPTH = 64;
/** How many items of an array, Map or Set are kept; the rest are counted. */
export const MAX_ITEMS = 1000;

function describeThrow(e: unknown): string {
  try {
    return `[Unserializable: ${e instanceof Error ? e.message : String(e)}]`;
  } catch {
    return "[Unserializable]";
  }
}

/** Is `value` an Error, including errors from other realms? */
export function isError(value: unknown): value is Error {
  if (value instanceof Error) return true;
  try {
    return Object.prototype.toString.call(value) === "[object Error]";
  } catch {
    return false;
  }
}

/**
 * An Error in pino-std-serializers' `err` shape (with causes), made safe to
 * serialize. Never throws.
 *
 * @example
 * serializeError(new Error("boom", { cause: err }));
 */
export function serializeError(err: Error): Record<string, unknown> {
  let shaped: unknown;
  try {
    shaped = errWithCause(err);
  } catch {
    // Frozen errors, proxies or throwing getters: keep what can be read.
    shaped = {
      type: safeRead(() => err.name, "Error"),
      message: safeRead(() => err.message, ""),
      stack: safeRead(() => err.stack, undefined),
    };
  }
  return toJsonSafe(shaped, new Set(), 0, true) as Record<string, unknown>;
}

function safeRead<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback;
  }
}

/**
 * A copy of `value` that `JSON.stringify` can always render, following the
 * rules at the top of this file. Never throws.
 */
export function toJsonSafe(value: unknown, ancestors: Set<object> = new Set(), depth = 0, errorShaped = false): unknown {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      return Number.isFinite(value) ? value : null;
    case "bigint":
      return value.toString();
    // Described where they are a field of their own; left out when nested, as JSON does.
    case "symbol":
      return depth === 0 ? value.toString() : undefined;
    case "function":
      return depth === 0 ? `[Function: ${value.name || "anonymous"}]` : undefined;
    case "undefined":
      return undefined;
  }
  if (value === null) return null;
  const obj = value as object;
  if (ancestors.has(obj)) return "[Circular]";
  if (depth >= MAX_DEPTH) return "[Max depth]";
  try {
    if (!errorShaped && isError(obj)) return serializeError(obj);
    ancestors.add(obj);
    try {
      return convertObject(obj, ancestors, depth + 1);
    } finally {
      ancestors.delete(obj);
    }
  } catch (e) {
    return describeThrow(e);
  }
}

function convertObject(obj: object, ancestors: Set<object>, depth: number): unknown {
  if (Array.isArray(obj)) return convertItems(obj, obj.length, ancestors, depth);
  if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? null : obj.toISOString();
  if (obj instanceof Map) {
    const out: Record<string, unknown> = {};
    let n = 0;
    for (const [k, v] of obj) {
      if (n++ >= MAX_ITEMS) {
        out["[truncated]"] = `${obj.size - MAX_ITEMS} more entries`;
        break;
      }
      setOwn(out, typeof k === "string" ? k : String(toJsonSafe(k, ancestors, depth)), toJsonSafe(v, ancestors, depth));
    }
    return out;
  }
  if (obj instanceof Set) return convertItems([...obj].slice(0, MAX_ITEMS + 1), obj.size, ancestors, depth);
  if (Buffer.isBuffer(obj)) return { type: "Buffer", length: obj.length, base64: obj.subarray(0, 4096).toString("base64") };
  if (ArrayBuffer.isView(obj)) {
    const items = obj instanceof DataView ? [] : Array.from(obj as unknown as ArrayLike<number | bigint>);
    return convertItems(items, items.length, ancestors, depth);
  }
  const toJSON = (obj as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === "function") {
    const converted = toJSON.call(obj);
    if (converted === obj) return convertPlain(obj, ancestors, depth);
    ancestors.add(obj);
    return toJsonSafe(converted, ancestors, depth);
  }
  return convertPlain(obj, ancestors, depth);
}

function convertItems(items: ArrayLike<unknown>, size: number, ancestors: Set<object>, depth: number): unknown[] {
  const n = Math.min(items.length, MAX_ITEMS);
  const out = new Array<unknown>(n);
  for (let i = 0; i < n; i++) {
    const v = toJsonSafe(items[i], ancestors, depth);
    out[i] = v === undefined ? null : v;
  }
  if (size > MAX_ITEMS) out.push(`[${size - MAX_ITEMS} more items]`);
  return out;
}

function convertPlain(obj: object, ancestors: Set<object>, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(obj)) {
    let v: unknown;
    try {
      v = toJsonSafe((obj as Record<string, unknown>)[key], ancestors, depth);
    } catch (e) {
      v = describeThrow(e);
    }
    if (v !== undefined) setOwn(out, key, v);
  }
  return out;
}

function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

/**
 * Replaces top-level values that `JSON.stringify` would render wrongly or
 * throw on (Errors, Maps, Sets, BigInts, symbols, functions, Buffers), in
 * place. Cheap: one `typeof` per key for the usual strings and numbers.
 */
export function prepareTopLevel(eventDict: Record<string, unknown>): void {
  for (const key in eventDict) {
    const v = eventDict[key];
    const t = typeof v;
    if (t === "object") {
      if (v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) !== Object.prototype) {
        eventDict[key] = toJsonSafe(v);
      }
    } else if (t === "bigint" || t === "symbol" || t === "function") {
      eventDict[key] = toJsonSafe(v);
    }
  }
}

/**
 * `JSON.stringify` that never throws: the fast native path first, the full
 * {@link toJsonSafe} conversion when that throws (cycles, BigInt deep
 * inside, throwing getters, very deep nesting).
 *
 * @example
 * safeStringify({ a: 1n }); // '{"a":"1"}'
 */
export function safeStringify(eventDict: Record<string, unknown>): string {
  prepareTopLevel(eventDict);
  try {
    return JSON.stringify(eventDict);
  } catch {
    return JSON.stringify(toJsonSafe(eventDict)) ?? "null";
  }
}

// C0 controls, DEL, C1 controls (0x9b is a one-byte CSI) and the Unicode line
// separators: anything a terminal or a line-based reader could act on.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL_GLOBAL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const NAMED_ESCAPES: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f", "\v": "\\v" };

function escapeChar(c: string): string {
  const named = NAMED_ESCAPES[c];
  if (named !== undefined) return named;
  const code = c.charCodeAt(0);
  return code > 0xff ? `\\u${code.toString(16).toUpperCase()}` : `\\x${code.toString(16).toUpperCase().padStart(2, "0")}`;
}

/**
 * Escapes newlines, carriage returns, terminal escapes and other control
 * characters, so a value can never start a new line or drive a terminal.
 *
 * @example
 * escapeControl("a\nb\u001b[31m"); // "a\\nb\\x1B[31m"
 */
export function escapeControl(s: string): string {
  return CONTROL.test(s) ? s.replace(CONTROL_GLOBAL, escapeChar) : s;
}

const INSPECT_OPTIONS = { breakLength: Number.POSITIVE_INFINITY, compact: true, maxStringLength: 10_000, maxArrayLength: 100 } as const;

/**
 * A value in JavaScript's own notation, as `util.inspect` writes it, on one
 * line: the equivalent of Python's `repr()` for the text renderers. Errors
 * are written `[TypeError: message]`. Never throws.
 *
 * @example
 * repr("a b"); // "'a b'"
 */
export function repr(value: unknown): string {
  switch (typeof value) {
    case "number":
    case "boolean":
    case "undefined":
      return String(value);
    case "bigint":
      return `${value}n`;
  }
  if (value === null) return "null";
  try {
    if (isError(value)) return `[${escapeControl(value.name)}: ${escapeControl(value.message)}]`;
    return escapeControl(inspect(value, INSPECT_OPTIONS));
  } catch (e) {
    return describeThrow(e);
  }
}

/**
 * A value as plain text (Python's `str()`): strings as they are, everything
 * else as {@link repr}. Control characters are escaped.
 */
export function str(value: unknown): string {
  if (typeof value === "string") return escapeControl(value);
  return repr(value);
}
