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
 * - Oversized values are cut, saying how much: strings past the renderer's
 *   `maxStringLength` (`"…...[N more characters]"`), arrays, Maps and Sets
 *   past {@link MAX_ITEMS} items, and past {@link MAX_NODES} values or
 *   {@link MAX_CHARS} characters in one walk, `"[Truncated]"`.
 */
import { errWithCause } from "pino-std-serializers";

/** How deep {@link toJsonSafe} goes before writing `"[Max depth]"`. */
export const MAX_DEPTH = 64;
/** How many items of an array, Map or Set are kept; the rest are counted. */
export const MAX_ITEMS = 1000;
/** How many values one walk of {@link toJsonSafe} visits; past it, objects become `"[Truncated]"`. */
export const MAX_NODES = 100_000;
/** How many characters of strings and keys one walk writes; past it, strings become `"[Truncated]"`. */
export const MAX_CHARS = 16 * 1024 * 1024;
/** The renderers' default `maxStringLength`: longer strings are cut (see {@link truncateString}). */
export const DEFAULT_MAX_STRING_LENGTH = 32_768;

/**
 * `s` cut to its first `max` characters (UTF-16 code units, never half a
 * surrogate pair), followed by how many were cut. Shorter strings are
 * returned as they are.
 *
 * @example
 * truncateString("abcdef", 2); // "ab...[4 more characters]"
 */
export function truncateString(s: string, max: number): string {
  if (s.length <= max) return s;
  let end = max;
  const last = s.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${s.slice(0, end)}...[${s.length - end} more characters]`;
}

/**
 * Checks a renderer's `maxStringLength` option and returns it (or the
 * default). `Infinity` turns truncation off.
 */
export function resolveMaxStringLength(value: unknown, where: string): number {
  if (value === undefined) return DEFAULT_MAX_STRING_LENGTH;
  if (value === Number.POSITIVE_INFINITY || (typeof value === "number" && Number.isInteger(value) && value >= 1)) return value;
  throw new TypeError(`${where}: maxStringLength must be a whole number of at least 1, or Infinity for no limit.`);
}

/** `[Unserializable: <message>]` for a value whose reading threw `e`. Never throws. */
export function describeThrow(e: unknown): string {
  try {
    return `[Unserializable: ${e instanceof Error ? e.message : String(e)}]`;
  } catch {
    return "[Unserializable]";
  }
}

/** Is `value` an Error, including errors from other realms? */
export function isError(value: unknown): value is Error {
  // Both checks run code of the value's (a proxy trap, a Symbol.toStringTag
  // getter), which may throw; a value that cannot say is not an Error.
  try {
    return value instanceof Error || Object.prototype.toString.call(value) === "[object Error]";
  } catch {
    return false;
  }
}

/** The state of one walk: the objects on the current path, the values left to visit, the string limit. */
interface Walk {
  readonly ancestors: Set<object>;
  readonly maxString: number;
  nodes: number;
  chars: number;
}

function newWalk(maxString: number): Walk {
  return { ancestors: new Set(), maxString, nodes: 0, chars: 0 };
}

/** A string or key cut to the walk's limit, counted against its budget of characters. */
function walkString(s: string, state: Walk): string {
  const out = s.length > state.maxString ? truncateString(s, state.maxString) : s;
  state.chars += out.length;
  return state.chars > MAX_CHARS ? "[Truncated]" : out;
}

/**
 * An Error in pino-std-serializers' `err` shape (with causes), made safe to
 * serialize. Never throws.
 *
 * @example
 * serializeError(new Error("boom", { cause: err }));
 */
export function serializeError(err: Error): Record<string, unknown> {
  return errorShape(err, newWalk(DEFAULT_MAX_STRING_LENGTH));
}

function errorShape(err: Error, state: Walk): Record<string, unknown> {
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
  const out = walk(shaped, state, 0, true);
  return typeof out === "object" && out !== null && !Array.isArray(out)
    ? (out as Record<string, unknown>)
    : { type: "Error", message: String(out) };
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
 * rules at the top of this file, with strings cut at `maxStringLength`.
 * Never throws.
 *
 * @example
 * toJsonSafe({ n: 1n, self: circular }); // { n: "1", self: "[Circular]" }
 */
export function toJsonSafe(value: unknown, maxStringLength = DEFAULT_MAX_STRING_LENGTH): unknown {
  return walk(value, newWalk(maxStringLength), 0, false);
}

/**
 * {@link toJsonSafe} for an event dict: its own fields are walked as they
 * are, so a field named `toJSON` is a field, not the line's serializer.
 */
export function toJsonSafeRecord(eventDict: Record<string, unknown>, maxStringLength = DEFAULT_MAX_STRING_LENGTH): Record<string, unknown> {
  const state = newWalk(maxStringLength);
  state.ancestors.add(eventDict);
  return convertPlain(eventDict, state, 0);
}

function walk(value: unknown, state: Walk, depth: number, errorShaped: boolean): unknown {
  switch (typeof value) {
    case "string":
      return walkString(value, state);
    case "boolean":
      return value;
    case "number":
      return Number.isFinite(value) ? value : null;
    case "bigint":
      return value.toString();
    // Described where they are a field of their own; left out when nested, as JSON does.
    case "symbol":
      return depth === 0 ? walkString(value.toString(), state) : undefined;
    case "function":
      return depth === 0 ? walkString(`[Function: ${safeRead(() => value.name, "") || "anonymous"}]`, state) : undefined;
    case "undefined":
      return undefined;
  }
  if (value === null) return null;
  const obj = value as object;
  if (state.ancestors.has(obj)) return "[Circular]";
  if (depth >= MAX_DEPTH) return "[Max depth]";
  // Shared (not circular) references can make a small object graph
  // exponentially large when written out; a budget of visits bounds the work.
  if (++state.nodes > MAX_NODES) return "[Truncated]";
  try {
    if (!errorShaped && isError(obj)) return errorShape(obj, state);
    state.ancestors.add(obj);
    try {
      return convertObject(obj, state, depth + 1);
    } finally {
      state.ancestors.delete(obj);
    }
  } catch (e) {
    return describeThrow(e);
  }
}

function convertObject(obj: object, state: Walk, depth: number): unknown {
  if (Array.isArray(obj)) return convertItems(obj, obj.length, state, depth);
  if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? null : obj.toISOString();
  if (obj instanceof Map) {
    const out: Record<string, unknown> = {};
    let n = 0;
    for (const [k, v] of obj) {
      if (n++ >= MAX_ITEMS) {
        out["[truncated]"] = `${obj.size - MAX_ITEMS} more entries`;
        break;
      }
      setOwn(out, walkString(typeof k === "string" ? k : String(walk(k, state, depth, false)), state), walk(v, state, depth, false));
    }
    return out;
  }
  if (obj instanceof Set) return convertItems(firstItems(obj), obj.size, state, depth);
  if (Buffer.isBuffer(obj)) return { type: "Buffer", length: obj.length, base64: obj.subarray(0, 4096).toString("base64") };
  if (ArrayBuffer.isView(obj)) {
    if (obj instanceof DataView) return [];
    const typed = obj as unknown as { length: number; subarray(start: number, end: number): ArrayLike<number | bigint> };
    return convertItems(Array.from(typed.subarray(0, MAX_ITEMS)), typed.length, state, depth);
  }
  const toJSON = (obj as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === "function") {
    const converted = toJSON.call(obj);
    if (converted === obj) return convertPlain(obj, state, depth);
    state.ancestors.add(obj);
    return walk(converted, state, depth, false);
  }
  return convertPlain(obj, state, depth);
}

function firstItems(set: Set<unknown>): unknown[] {
  const items: unknown[] = [];
  for (const item of set) {
    if (items.length >= MAX_ITEMS) break;
    items.push(item);
  }
  return items;
}

function convertItems(items: ArrayLike<unknown>, size: number, state: Walk, depth: number): unknown[] {
  const n = Math.min(items.length, MAX_ITEMS);
  const out = new Array<unknown>(n);
  for (let i = 0; i < n; i++) {
    const v = walk(items[i], state, depth, false);
    out[i] = v === undefined ? null : v;
  }
  if (size > MAX_ITEMS) out.push(`[${size - MAX_ITEMS} more items]`);
  return out;
}

function convertPlain(obj: object, state: Walk, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(obj)) {
    let v: unknown;
    try {
      v = walk((obj as Record<string, unknown>)[key], state, depth, false);
    } catch (e) {
      v = describeThrow(e);
    }
    if (v !== undefined) setOwn(out, walkString(key, state), v);
  }
  return out;
}

function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

/** How many nested values {@link isSmallPlain} looks at before sending a value down the careful path. */
const SCAN_BUDGET = 1000;

/**
 * Is `value` a small tree of plain objects, arrays and primitives that
 * `JSON.stringify` renders exactly as {@link toJsonSafe} would: no string
 * over the limit, no array over {@link MAX_ITEMS}, no BigInt, no `toJSON`,
 * no class instance, shallower than {@link MAX_DEPTH}, at most
 * {@link SCAN_BUDGET} values? Reads each value once; a value that throws
 * while being read is not plain.
 */
function isSmallPlain(root: object, maxString: number): boolean {
  let budget = SCAN_BUDGET;
  const scan = (value: object, depth: number): boolean => {
    if (depth >= MAX_DEPTH) return false;
    let items: ArrayLike<unknown>;
    if (Array.isArray(value)) {
      if (value.length > MAX_ITEMS) return false;
      items = value;
    } else {
      if (Object.getPrototypeOf(value) !== Object.prototype || typeof (value as { toJSON?: unknown }).toJSON === "function") return false;
      items = Object.values(value);
    }
    budget -= items.length;
    if (budget < 0) return false;
    for (let i = 0; i < items.length; i++) {
      const v = items[i];
      switch (typeof v) {
        case "string":
          if (v.length > maxString) return false;
          break;
        case "object":
          if (v !== null && !scan(v, depth + 1)) return false;
          break;
        case "bigint":
          return false;
      }
    }
    return true;
  };
  try {
    return scan(root, 0);
  } catch {
    return false;
  }
}

/**
 * Replaces, in place, the top-level values that `JSON.stringify` would
 * render wrongly, throw on, or take unbounded time over: Errors, Maps, Sets,
 * BigInts, symbols, functions, Buffers, class instances, strings over the
 * limit, and objects or arrays that are large, deep or hold any of these.
 * Cheap for the usual fields: one `typeof` per key, a length check per
 * string, a short scan per small object.
 */
export function prepareTopLevel(eventDict: Record<string, unknown>, maxStringLength = DEFAULT_MAX_STRING_LENGTH): void {
  for (const key in eventDict) {
    const v = eventDict[key];
    switch (typeof v) {
      case "string":
        if (v.length > maxStringLength) eventDict[key] = truncateString(v, maxStringLength);
        break;
      case "object":
        if (v !== null && !isSmallPlain(v, maxStringLength)) eventDict[key] = toJsonSafe(v, maxStringLength);
        break;
      case "bigint":
      case "symbol":
      case "function":
        eventDict[key] = toJsonSafe(v, maxStringLength);
        break;
    }
  }
}

// DEL, the C1 controls (0x9b is a one-byte CSI) and the Unicode line
// separators: JSON.stringify leaves them raw, and a terminal showing the log
// (tail -f) or a line-based reader may act on them. JSON.stringify already
// escapes C0 (including ESC), quotes and backslashes.
const JSON_RAW = /[\u007f-\u009f\u2028\u2029]/;
const JSON_RAW_GLOBAL = /[\u007f-\u009f\u2028\u2029]/g;
const jsonEscape = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;

/**
 * A JSON text with DEL, C1 controls and U+2028/U+2029 written as `\uXXXX`
 * escapes: the same JSON value, with no character a terminal or a
 * line-based reader could act on. (In JSON text these can only occur inside
 * strings, where the escape means the same character.)
 */
export function escapeJsonControls(json: string): string {
  // Most lines are ASCII, which one native count of UTF-8 bytes tells (five
  // times cheaper than the regular expression); in ASCII only DEL can occur.
  const suspect = Buffer.byteLength(json) === json.length ? json.includes("\u007f") : JSON_RAW.test(json);
  return suspect ? json.replace(JSON_RAW_GLOBAL, jsonEscape) : json;
}

/**
 * `JSON.stringify` that never throws and always writes one line: the fast
 * native path first (after {@link prepareTopLevel}), the full
 * {@link toJsonSafe} conversion when that throws (cycles, BigInt deep
 * inside, throwing getters); DEL, C1 controls and U+2028/U+2029 escaped.
 * Strings longer than `maxStringLength` are cut.
 *
 * @example
 * safeStringify({ a: 1n }); // '{"a":"1"}'
 */
export function safeStringify(eventDict: Record<string, unknown>, maxStringLength = DEFAULT_MAX_STRING_LENGTH): string {
  let json: string | undefined;
  try {
    prepareTopLevel(eventDict, maxStringLength);
    json = JSON.stringify(eventDict);
  } catch {
    // Past prepareTopLevel, only what it cannot see cheaply throws here: a
    // cycle or a BigInt inside a small object, a throwing getter or toJSON.
  }
  json ??= JSON.stringify(toJsonSafeRecord(eventDict, maxStringLength));
  return escapeJsonControls(json);
}
