/**
 * The safe walker: turns any JavaScript value into one that `JSON.stringify`
 * renders without throwing, at a bounded cost.
 *
 * Rules (documented in docs/values.md):
 * - Errors become pino-std-serializers' `err` shape: type, message, stack,
 *   own enumerable properties, `cause` and `aggregateErrors`, recursively.
 * - BigInt becomes its decimal string. A symbol or function that is a
 *   field of the event becomes its description (`"Symbol(x)"`,
 *   `"[Function: f]"`); nested deeper, it is left out, as JSON does.
 *   NaN and ±Infinity become `null`, as JSON does.
 * - Map becomes an object of its entries, Set an array, a Buffer
 *   `{ type, length, base64 }`, a typed array an array of its numbers.
 * - A value seen again on its own path becomes `"[Circular]"`; nesting past
 *   {@link MAX_DEPTH} becomes `"[Max depth]"`.
 * - A getter, proxy trap or `toJSON` that throws becomes
 *   `"[Unserializable: <message>]"`.
 * - `undefined` object values are left out (as JSON does).
 * - The budget (limits.ts): strings past `maxStringLength` are cut
 *   (`"…...[N more characters]"`); arrays, Maps and Sets keep
 *   {@link MAX_ITEMS} items; one walk visits at most {@link MAX_NODES}
 *   values and writes about `maxChars` characters, after which strings are
 *   cut, objects say `"[truncated]": "N more keys"` and arrays
 *   `"[N more items]"`.
 */
import {
  DEFAULT_MAX_LINE_BYTES,
  DEFAULT_MAX_STRING_LENGTH,
  MAX_DEPTH,
  MAX_ITEMS,
  MAX_NODES,
  PRIORITY_FIELDS,
  truncateString,
} from "./limits.js";

export {
  DEFAULT_MAX_LINE_BYTES,
  DEFAULT_MAX_STRING_LENGTH,
  MAX_DEPTH,
  MAX_ITEMS,
  MAX_NODES,
  resolveMaxStringLength,
  truncateString,
} from "./limits.js";

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

/** The state of one walk: the objects on the current path and what is left of the budget. */
export interface Walk {
  readonly ancestors: Set<object>;
  readonly maxString: number;
  /** About how many characters the walk may write (strings, keys and punctuation). */
  readonly maxChars: number;
  nodes: number;
  chars: number;
  /** Did the budget (not a per-value rule) cut something? */
  cut: boolean;
}

/** A new walk with strings cut at `maxString` and about `maxChars` characters in all. */
export function newWalk(maxString: number, maxChars: number = DEFAULT_MAX_LINE_BYTES): Walk {
  return { ancestors: new Set(), maxString, maxChars, nodes: 0, chars: 0, cut: false };
}

/** Room for a marker, so a cut value still says what it was. */
const MARKER_ROOM = 40;

/** A string cut to the walk's limits, counted against its budget; the one that spends the budget is cut to what is left. */
function walkString(s: string, state: Walk): string {
  let out = s.length > state.maxString ? truncateString(s, state.maxString) : s;
  const room = state.maxChars - state.chars;
  if (out.length > room) {
    state.cut = true;
    out = room > 2 * MARKER_ROOM ? truncateString(s, room - MARKER_ROOM) : "[Truncated]";
    state.chars = state.maxChars; // spent: containers stop here
    return out;
  }
  state.chars += out.length + 3; // quotes and a separator
  return out;
}

/** A key, cut at `maxString` only: a key is never replaced, so its value keeps its name. */
function walkKey(key: string, state: Walk): string {
  state.chars += key.length + 3;
  return key.length > state.maxString ? truncateString(key, state.maxString) : key;
}

/** Is the walk's budget spent? Containers stop adding entries then. */
function spent(state: Walk): boolean {
  if (state.chars < state.maxChars && state.nodes < MAX_NODES) return false;
  state.cut = true;
  return true;
}

function safeRead<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback;
  }
}

/**
 * An Error in pino-std-serializers' `err` shape (with causes), made safe to
 * serialize, within the budget. Never throws, and never writes to the error
 * (pino-std-serializers tags it while it works).
 *
 * @example
 * serializeError(new Error("boom", { cause: err }));
 */
export function serializeError(err: Error): Record<string, unknown> {
  return errorShape(err, newWalk(DEFAULT_MAX_STRING_LENGTH), 0);
}

/** pino-std-serializers' test for an error: anything with a string `message`. */
function isErrorLike(value: unknown): value is Error {
  return typeof value === "object" && value !== null && typeof safeRead(() => (value as Error).message, undefined) === "string";
}

/** Keys pino-std-serializers never copies from an error: its own shape's, and what every object inherits. */
function isReservedErrorKey(key: string): boolean {
  return key === "type" || key === "message" || key === "stack" || key === "aggregateErrors" || key === "raw" || key in Object.prototype;
}

/**
 * The keys `for…in` visits (own enumerable, then inherited enumerable), as
 * pino-std-serializers copies them, read with `Object.keys`: on an error
 * with 100,000 properties it is several times faster than `for…in`.
 */
function enumerableKeys(err: Error): string[] {
  const keys = Object.keys(err);
  for (let proto = Object.getPrototypeOf(err); proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const key of Object.keys(proto)) if (!keys.includes(key)) keys.push(key);
  }
  return keys;
}

/**
 * The `err` shape, built here rather than by pino-std-serializers'
 * `errWithCause` so that it keeps to the budget: an error with 100,000 own
 * properties costs what its first {@link MAX_ITEMS} do.
 */
function errorShape(err: Error, state: Walk, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  state.ancestors.add(err);
  try {
    const ctor = safeRead(() => err.constructor, undefined);
    const type = typeof ctor === "function" ? safeRead(() => ctor.name, "") : safeRead(() => err.name, "Error");
    setOwn(out, "type", walk(type, state, depth, false));
    setOwn(
      out,
      "message",
      walk(
        safeRead(() => err.message, ""),
        state,
        depth,
        false,
      ),
    );
    setOwn(
      out,
      "stack",
      walk(
        safeRead(() => err.stack, undefined),
        state,
        depth,
        false,
      ),
    );
    const errors = safeRead(() => (err as { errors?: unknown }).errors, undefined);
    if (Array.isArray(errors)) setOwn(out, "aggregateErrors", walk(errors, state, depth, false));
    const cause = safeRead(() => err.cause, undefined);
    if (isErrorLike(cause) && !state.ancestors.has(cause)) setOwn(out, "cause", nested(cause, state, depth));
    const keys = enumerableKeys(err);
    const n = Math.min(keys.length, MAX_ITEMS);
    let i = 0;
    for (; i < n && !spent(state); i++) {
      const key = keys[i] as string;
      if (Object.hasOwn(out, key) || isReservedErrorKey(key)) continue;
      let value: unknown;
      try {
        value = (err as unknown as Record<string, unknown>)[key];
      } catch (e) {
        value = describeThrow(e);
      }
      // An error-like value on the current path is left out, as pino-std-serializers does.
      if (isErrorLike(value) && state.ancestors.has(value)) continue;
      const name = walkKey(key, state);
      const v = isErrorLike(value) ? nested(value, state, depth) : walk(value, state, depth, false);
      if (v !== undefined) setOwn(out, name, v);
    }
    const skipped = keys.length - i;
    if (skipped > 0) out["[truncated]"] = `${skipped} more keys`;
  } catch (e) {
    setOwn(out, "[unserializable]", describeThrow(e));
  } finally {
    state.ancestors.delete(err);
  }
  return out;
}

/** An error-like value inside an error, shaped as an error within the depth and node limits. */
function nested(err: Error, state: Walk, depth: number): unknown {
  if (depth + 1 >= MAX_DEPTH) return "[Max depth]";
  if (++state.nodes > MAX_NODES) return "[Truncated]";
  return errorShape(err, state, depth + 1);
}

/**
 * A copy of `value` that `JSON.stringify` can always render, following the
 * rules at the top of this file, with strings cut at `maxStringLength` and
 * about `maxChars` characters in all. Never throws.
 *
 * @example
 * toJsonSafe({ n: 1n, self: circular }); // { n: "1", self: "[Circular]" }
 */
export function toJsonSafe(value: unknown, maxStringLength = DEFAULT_MAX_STRING_LENGTH, maxChars = DEFAULT_MAX_LINE_BYTES): unknown {
  return walkValue(value, newWalk(maxStringLength, maxChars));
}

/** {@link toJsonSafe} within an existing walk's budget. */
export function walkValue(value: unknown, state: Walk): unknown {
  return walk(value, state, 0, false);
}

function walk(value: unknown, state: Walk, depth: number, errorShaped: boolean): unknown {
  switch (typeof value) {
    case "string":
      return walkString(value, state);
    case "boolean":
      state.chars += 6;
      return value;
    case "number":
      state.chars += 8;
      return Number.isFinite(value) ? value : null;
    case "bigint":
      return walkString(value.toString(), state);
    // Described where they are a field of their own; left out when nested, as JSON does.
    case "symbol":
      return depth === 0 ? walkString(value.toString(), state) : undefined;
    case "function":
      return depth === 0 ? walkString(`[Function: ${safeRead(() => value.name, "") || "anonymous"}]`, state) : undefined;
    case "undefined":
      return undefined;
  }
  if (value === null) {
    state.chars += 5;
    return null;
  }
  const obj = value as object;
  if (state.ancestors.has(obj)) return "[Circular]";
  if (depth >= MAX_DEPTH) return "[Max depth]";
  // Shared (not circular) references can make a small object graph
  // exponentially large when written out; a budget of visits bounds the work.
  if (++state.nodes > MAX_NODES) {
    state.cut = true;
    return "[Truncated]";
  }
  state.chars += 2; // its brackets
  try {
    if (!errorShaped && isError(obj)) return errorShape(obj, state, depth);
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
  if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? null : walkString(obj.toISOString(), state);
  if (obj instanceof Map) return convertMap(obj, state, depth);
  if (obj instanceof Set) return convertItems(firstItems(obj), obj.size, state, depth);
  if (Buffer.isBuffer(obj)) {
    const base64 = walkString(obj.subarray(0, 4096).toString("base64"), state);
    return { type: "Buffer", length: obj.length, base64 };
  }
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

function convertMap(map: Map<unknown, unknown>, state: Walk, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let n = 0;
  for (const [k, v] of map) {
    if (n >= MAX_ITEMS || spent(state)) {
      out["[truncated]"] = `${map.size - n} more entries`;
      break;
    }
    n++;
    const key = walkKey(typeof k === "string" ? k : String(walk(k, state, depth, false)), state);
    setOwn(out, key, walk(v, state, depth, false));
  }
  return out;
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
  const out: unknown[] = [];
  for (let i = 0; i < n; i++) {
    if (spent(state)) break;
    const v = walk(items[i], state, depth, false);
    out.push(v === undefined ? null : v);
  }
  if (size > out.length) out.push(`[${size - out.length} more items]`);
  return out;
}

function convertPlain(obj: object, state: Walk, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const keys = Object.keys(obj);
  for (let i = 0; i < keys.length; i++) {
    if (spent(state)) {
      out["[truncated]"] = `${keys.length - i} more keys`;
      break;
    }
    const key = walkKey(keys[i] as string, state);
    let v: unknown;
    try {
      v = walk((obj as Record<string, unknown>)[keys[i] as string], state, depth, false);
    } catch (e) {
      v = describeThrow(e);
    }
    if (v !== undefined) setOwn(out, key, v);
  }
  return out;
}

/** Sets an own property, even one named `__proto__`, without running any setter. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

/** A field this small (a number, an id, a level, a short string) is written before the large ones. */
const SMALL_FIELD = 256;

/** What {@link walkRecord} made of an event dict. */
export interface WalkedRecord {
  readonly record: Record<string, unknown>;
  /** Fields left out because the budget was spent. */
  readonly omitted: number;
  /** Did the budget cut something (a field left out, or a value cut)? */
  readonly cut: boolean;
}

/**
 * An event dict made safe within `maxChars`, keeping what a reader needs
 * most: the priority fields (`event`, `level`, `timestamp`, ids) and the
 * small fields first, in up to half the budget; then the large ones in
 * order until the budget is spent. Fields keep their order in the record.
 * Its own fields are walked as they are, so a field named `toJSON` is a
 * field, not the line's serializer.
 */
export function walkRecord(eventDict: Record<string, unknown>, maxString: number, maxChars: number): WalkedRecord {
  const state = newWalk(maxString, maxChars);
  state.ancestors.add(eventDict);
  const keys = Object.keys(eventDict);
  const values = new Array<unknown>(keys.length);
  const done = new Array<boolean>(keys.length).fill(false);
  const read = (key: string): unknown => {
    try {
      return eventDict[key];
    } catch (e) {
      return describeThrow(e);
    }
  };
  const raw = keys.map(read);
  const take = (i: number) => {
    state.chars += (keys[i] as string).length + 3;
    values[i] = walk(raw[i], state, 0, false);
    done[i] = true;
  };
  for (let i = 0; i < keys.length; i++) if (PRIORITY_FIELDS.has(keys[i] as string)) take(i);
  for (let i = 0; i < keys.length && state.chars < maxChars / 2; i++) {
    const v = raw[i];
    if (!done[i] && (typeof v !== "object" || v === null) && (typeof v !== "string" || v.length <= SMALL_FIELD)) take(i);
  }
  let omitted = 0;
  for (let i = 0; i < keys.length; i++) {
    if (done[i]) continue;
    if (spent(state)) omitted++;
    else take(i);
  }
  const record: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) {
    if (done[i] && values[i] !== undefined) setOwn(record, truncateString(keys[i] as string, maxString), values[i]);
  }
  return { record, omitted, cut: state.cut || omitted > 0 };
}

/**
 * {@link toJsonSafe} for an event dict (see {@link walkRecord}), without
 * saying what the budget cut.
 */
export function toJsonSafeRecord(
  eventDict: Record<string, unknown>,
  maxStringLength = DEFAULT_MAX_STRING_LENGTH,
  maxChars = DEFAULT_MAX_LINE_BYTES,
): Record<string, unknown> {
  return walkRecord(eventDict, maxStringLength, maxChars).record;
}
