/**
 * One JSON line per event, safe and bounded: never throws, never changes the
 * event dict it is given, never holds a raw control character, never more
 * than `maxLineBytes` UTF-8 bytes.
 *
 * The fast path is `JSON.stringify` after a cheap look at each top-level
 * value (a `typeof`, a length, a short scan of small objects), which also
 * adds up the line's size as it goes: a small event pays for a few counters.
 * An event the fast path cannot render exactly as the safe walker would, or
 * one over the budget, goes to the walker (serialize.ts), which keeps the
 * priority and small fields and cuts the large ones, each with a marker,
 * and the line says so in `structlog_truncated`.
 */
import { DEFAULT_MAX_LINE_BYTES, DEFAULT_MAX_STRING_LENGTH, MAX_DEPTH, MAX_ITEMS, truncateString } from "./limits.js";
import { newWalk, setOwn, walkRecord, walkValue } from "./serialize.js";

// DEL, the C1 controls (0x9b is a one-byte CSI) and the Unicode line
// separators: JSON.stringify leaves them raw, and a terminal showing the log
// (tail -f) or a line-based reader may act on them. JSON.stringify already
// escapes C0 (including ESC), quotes and backslashes.
const JSON_RAW = /[\u007f-\u009f\u2028\u2029]/;
const JSON_RAW_GLOBAL = /[\u007f-\u009f\u2028\u2029]/g;
const jsonEscape = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;

/** The UTF-8 length of the text {@link escapeMeasured} returned last (one thread, one line at a time). */
let lastBytes = 0;

/** {@link escapeJsonControls}, leaving the line's UTF-8 length in {@link lastBytes}. */
function escapeMeasured(json: string): string {
  // Most lines are ASCII, which one native count of UTF-8 bytes tells (five
  // times cheaper than the regular expression); in ASCII only DEL can occur.
  // The same count is the line's size, so the line cap costs nothing more.
  lastBytes = Buffer.byteLength(json);
  if (lastBytes === json.length ? !json.includes("\u007f") : !JSON_RAW.test(json)) return json;
  const escaped = json.replace(JSON_RAW_GLOBAL, jsonEscape);
  lastBytes = Buffer.byteLength(escaped);
  return escaped;
}

/**
 * A JSON text with DEL, C1 controls and U+2028/U+2029 written as `\uXXXX`
 * escapes: the same JSON value, with no character a terminal or a
 * line-based reader could act on. (In JSON text these can only occur inside
 * strings, where the escape means the same character.)
 */
export function escapeJsonControls(json: string): string {
  return escapeMeasured(json);
}

/** How many nested values {@link scanSmallPlain} looks at before sending a value down the careful path. */
const SCAN_BUDGET = 1000;

/**
 * The approximate JSON size of `root` if it is a small tree of plain
 * objects, arrays and primitives that `JSON.stringify` renders exactly as
 * the safe walker would (no string over the limit, no array over
 * {@link MAX_ITEMS}, no BigInt, no `toJSON`, no class instance, shallower
 * than {@link MAX_DEPTH}, at most {@link SCAN_BUDGET} values); -1 if it is
 * not. Reads each value once; a value that throws while being read is not plain.
 */
function scanSmallPlain(root: object, maxString: number): number {
  // A getter that logs starts a scan inside this one: the outer one's state is put back after.
  const outerBudget = scanBudget;
  const outerChars = scanChars;
  const outerMaxString = scanMaxString;
  scanBudget = SCAN_BUDGET;
  scanChars = 0;
  scanMaxString = maxString;
  try {
    return scanObject(root, 0) ? scanChars : -1;
  } catch {
    return -1;
  } finally {
    scanBudget = outerBudget;
    scanChars = outerChars;
    scanMaxString = outerMaxString;
  }
}

// The state of the scan running: module variables rather than closures, so
// a scan allocates nothing.
let scanBudget = 0;
let scanChars = 0;
let scanMaxString = 0;

function scanItem(v: unknown, depth: number): boolean {
  switch (typeof v) {
    case "string":
      scanChars += v.length + 3;
      return v.length <= scanMaxString;
    case "object":
      return v === null || scanObject(v, depth + 1);
    case "bigint":
      return false;
    default:
      scanChars += 8;
      return true;
  }
}

function scanObject(value: object, depth: number): boolean {
  if (depth >= MAX_DEPTH) return false;
  if (Array.isArray(value)) {
    if (value.length > MAX_ITEMS) return false;
    scanBudget -= value.length;
    if (scanBudget < 0) return false;
    for (let i = 0; i < value.length; i++) if (!scanItem(value[i], depth)) return false;
    return true;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype || typeof (value as { toJSON?: unknown }).toJSON === "function") return false;
  for (const key in value) {
    if (--scanBudget < 0) return false;
    scanChars += key.length + 4;
    if (!scanItem((value as Record<string, unknown>)[key], depth)) return false;
  }
  return true;
}

/** A key as JSON with its colon, and whether that text is ASCII without DEL (nothing for escapeAndMeasure to do). */
export interface KeyText {
  readonly text: string;
  /** The same with a comma before it, for a member after the first. */
  readonly comma: string;
  readonly ascii: boolean;
}

/** Keys as JSON, with their colon: a call site logs the same few keys again and again. */
const keyJsonCache = new Map<string, KeyText>();

export function keyJson(key: string): KeyText {
  let json = keyJsonCache.get(key);
  if (json === undefined) {
    // Bounded: a caller that makes up new keys on every call does not grow it.
    if (keyJsonCache.size >= 4096) keyJsonCache.clear();
    const text = `${JSON.stringify(key)}:`;
    let ascii = true;
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 127) ascii = false;
    json = { text, comma: `,${text}`, ascii };
    keyJsonCache.set(key, json);
  }
  return json;
}

/**
 * Is the text {@link quote} returned last known to be ASCII without DEL
 * (one byte per character, nothing for escapeAndMeasure to escape)? Read
 * right after the call: nothing runs in between, so a getter that logs in
 * the middle of a line cannot change the answer a caller reads.
 */
export let quoteWasAscii = true;

/**
 * `JSON.stringify(s)` for a string: a short one with nothing to escape is
 * quoted as it is, without a call into the JSON serializer (wide events
 * are mostly short strings). DEL, C1 and the line separators are escaped
 * with the rest of the line (escapeAndMeasure); JSON.stringify leaves them too.
 * Sets {@link quoteWasAscii}.
 */
export function quote(s: string): string {
  quoteWasAscii = false;
  if (s.length > 64) return JSON.stringify(s);
  let ascii = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // Controls, the quote, the backslash, and surrogates (a lone one is escaped by JSON.stringify).
    if (c < 32 || c === 34 || c === 92) return JSON.stringify(s);
    if (c >= 127) {
      ascii = false;
      if (c >= 0xd800 && c <= 0xdfff) return JSON.stringify(s);
    }
  }
  quoteWasAscii = ascii;
  return `"${s}"`;
}

/**
 * The JSON text of `root` when it is a small plain tree, by the rules of
 * {@link scanSmallPlain}, written in the same pass that checks it: each
 * value is read once, so a getter cannot show the check one value and
 * JSON.stringify another (a string over the limit), and there is no
 * second walk through V8's serializer. The text is what JSON.stringify
 * writes. `undefined` when the tree is not plain, or a read throws. Sets
 * {@link writtenChars} (the same count as scanSmallPlain's) and
 * {@link writtenAscii}.
 */
function writeSmallPlain(root: object, maxString: number): string | undefined {
  // A getter that logs writes a tree inside this one: the outer one's state is put back after.
  const outerBudget = scanBudget;
  const outerChars = scanChars;
  const outerMaxString = scanMaxString;
  const outerAscii = scanAscii;
  scanBudget = SCAN_BUDGET;
  scanChars = 0;
  scanMaxString = maxString;
  scanAscii = true;
  try {
    const json = writeObject(root, 0);
    writtenChars = scanChars;
    writtenAscii = scanAscii;
    return json;
  } catch {
    return undefined;
  } finally {
    scanBudget = outerBudget;
    scanChars = outerChars;
    scanMaxString = outerMaxString;
    scanAscii = outerAscii;
  }
}

/** Is every character written so far ASCII without DEL? (State of the running {@link writeSmallPlain}.) */
let scanAscii = true;

/** What the last {@link writeSmallPlain} counted, and whether its text is ASCII without DEL. Read right after the call. */
let writtenChars = 0;
let writtenAscii = false;

/** A value's JSON text; "" for one JSON leaves out of an object (undefined, a function, a symbol); `undefined` when not plain. */
function writeItem(v: unknown, depth: number): string | undefined {
  switch (typeof v) {
    case "string": {
      scanChars += v.length + 3;
      if (v.length > scanMaxString) return undefined;
      const json = quote(v);
      if (!quoteWasAscii) scanAscii = false;
      return json;
    }
    case "number":
      scanChars += 8;
      return Number.isFinite(v) ? `${v}` : "null";
    case "boolean":
      scanChars += 8;
      return v ? "true" : "false";
    case "object":
      return v === null ? "null" : writeObject(v, depth + 1);
    case "bigint":
      return undefined;
    default:
      scanChars += 8;
      return "";
  }
}

function writeObject(value: object, depth: number): string | undefined {
  if (depth >= MAX_DEPTH) return undefined;
  if (Array.isArray(value)) {
    const length = value.length;
    if (length > MAX_ITEMS) return undefined;
    scanBudget -= length;
    if (scanBudget < 0) return undefined;
    let out = "[";
    for (let i = 0; i < length; i++) {
      const item = writeItem(value[i], depth);
      if (item === undefined) return undefined;
      if (i !== 0) out += ",";
      out += item === "" ? "null" : item;
    }
    return `${out}]`;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype || typeof (value as { toJSON?: unknown }).toJSON === "function") return undefined;
  // Own keys, in JSON.stringify's order (for...in would add a polluted Object.prototype's).
  const keys = Object.keys(value);
  let out = "{";
  for (let i = 0; i < keys.length; i++) {
    if (--scanBudget < 0) return undefined;
    const key = keys[i] as string;
    scanChars += key.length + 4;
    const item = writeItem((value as Record<string, unknown>)[key], depth);
    if (item === undefined) return undefined;
    if (item === "") continue;
    const k = keyJson(key);
    if (!k.ascii) scanAscii = false;
    out += out.length === 1 ? k.text : k.comma;
    out += item;
  }
  return `${out}}`;
}

const OVER_BUDGET = Symbol("over budget");

/**
 * `eventDict`, or a copy of it with the top-level values that
 * `JSON.stringify` would render wrongly, throw on, or take unbounded time
 * over replaced (Errors, Maps, Sets, BigInts, symbols, functions, Buffers,
 * class instances, strings over the limit, objects or arrays that are large,
 * deep or hold any of these); {@link OVER_BUDGET} when the line would be over
 * `maxChars`. Never changes `eventDict`.
 */
function prepareTopLevel(
  eventDict: Record<string, unknown>,
  maxString: number,
  maxChars: number,
  skip?: string,
): Record<string, unknown> | typeof OVER_BUDGET {
  let out = eventDict;
  let chars = 0;
  for (const key in eventDict) {
    if (key === skip) {
      // Left out of the line (the compiled chain writes it elsewhere): undefined is what JSON leaves out.
      if (out === eventDict) out = { ...eventDict };
      setOwn(out, key, undefined);
      continue;
    }
    const v = eventDict[key];
    chars += key.length + 4;
    let replaced = false;
    let replacement: unknown;
    switch (typeof v) {
      case "string":
        chars += v.length;
        if (v.length > maxString) {
          replaced = true;
          replacement = truncateString(v, maxString);
          chars -= v.length - maxString;
        }
        break;
      case "object": {
        if (v === null) break;
        const size = scanSmallPlain(v, maxString);
        if (size >= 0) {
          chars += size;
          break;
        }
        const walk = newWalk(maxString, maxChars - chars);
        replaced = true;
        replacement = walkValue(v, walk);
        if (walk.cut) return OVER_BUDGET;
        chars += walk.chars;
        break;
      }
      case "bigint":
      case "symbol":
      case "function":
        replaced = true;
        replacement = walkValue(v, newWalk(maxString));
        break;
      default:
        chars += 8;
    }
    if (chars > maxChars) return OVER_BUDGET;
    if (replaced) {
      // Copy on first write: the caller's object is never changed. A spread
      // defines own properties, so a field named __proto__ stays a field.
      if (out === eventDict) out = { ...eventDict };
      setOwn(out, key, replacement);
    }
  }
  preparedChars = chars;
  return out;
}

/** The characters {@link prepareTopLevel} counted in its last call that was within budget. */
let preparedChars = 0;

/**
 * @internal For the compiled chain (compiled-chain.ts): the JSON members of
 * `fields` (`"a":1,"b":2`, without braces), exactly as {@link safeStringify}
 * writes them inside a whole event dict where `usedChars` characters came
 * before, leaving out the key `skip`; escaped (see
 * {@link escapeJsonControls}). Sets {@link fragmentChars} and
 * {@link fragmentBytes}. `undefined` when the fields are over the budget or
 * cannot be written by the fast path: the caller renders the whole event
 * the general way then. May throw (a getter, a cycle): the caller catches.
 */
export function jsonMembers(
  fields: Record<string, unknown>,
  maxString: number,
  maxLineBytes: number,
  usedChars: number,
  skip?: string,
): string | undefined {
  const prepared = prepareTopLevel(fields, maxString, maxLineBytes - usedChars, skip);
  if (prepared === OVER_BUDGET) return undefined;
  // Read before JSON.stringify runs a getter, which may log and prepare another line.
  const chars = preparedChars;
  const json = JSON.stringify(prepared);
  fragmentChars = chars;
  if (json.length === 2) {
    fragmentBytes = 0;
    return "";
  }
  const members = escapeMeasured(json.slice(1, -1));
  fragmentBytes = lastBytes;
  return members;
}

/**
 * @internal For the compiled chain: one top-level value that is not a
 * string, number, boolean, null or undefined, as JSON, by the rules of
 * {@link prepareTopLevel} (a small plain tree as it is, anything else
 * through the walker within `roomChars`); sets {@link fragmentChars} to
 * what the budget counts for it. `undefined` when it is over the budget.
 * Not escaped. May throw, as {@link jsonMembers} may.
 */
export function jsonValue(v: unknown, maxString: number, roomChars: number): string | undefined {
  if (typeof v === "object" && v !== null) {
    const json = writeSmallPlain(v, maxString);
    if (json !== undefined) {
      fragmentChars = writtenChars;
      fragmentAscii = writtenAscii;
      return json;
    }
    const walk = newWalk(maxString, roomChars);
    const replacement = walkValue(v, walk);
    if (walk.cut) return undefined;
    fragmentChars = walk.chars;
    fragmentAscii = false;
    return JSON.stringify(replacement);
  }
  fragmentChars = 0;
  fragmentAscii = false;
  return JSON.stringify(walkValue(v, newWalk(maxString)));
}

/** What the last {@link jsonMembers} counted: characters as the budget counts them, and UTF-8 bytes. */
export let fragmentChars = 0;
export let fragmentBytes = 0;
/** Is the text the last {@link jsonValue} returned known to be ASCII without DEL (nothing to escape, a byte a character)? */
export let fragmentAscii = false;

/** @internal {@link escapeJsonControls}, and the UTF-8 length of its result. */
export function escapeAndMeasure(json: string): string {
  const out = escapeMeasured(json);
  fragmentBytes = lastBytes;
  return out;
}

/**
 * The event dict as one safe JSON line (see the module comment). Never
 * throws and never changes `eventDict`: a BigInt, a Map or a long string in
 * it stays as it is; the line has their safe forms. Strings longer than
 * `maxStringLength` are cut; a line over `maxLineBytes` UTF-8 bytes has its
 * large values cut, each marked, and a `structlog_truncated` field.
 *
 * @example
 * safeStringify({ a: 1n }); // '{"a":"1"}'
 */
export function safeStringify(
  eventDict: Record<string, unknown>,
  maxStringLength = DEFAULT_MAX_STRING_LENGTH,
  maxLineBytes = DEFAULT_MAX_LINE_BYTES,
): string {
  let json: string | undefined;
  try {
    const prepared = prepareTopLevel(eventDict, maxStringLength, maxLineBytes);
    if (prepared !== OVER_BUDGET) json = JSON.stringify(prepared);
  } catch {
    // Past prepareTopLevel, only what it cannot see cheaply throws here: a
    // cycle or a BigInt inside a small object, a throwing getter or toJSON.
  }
  if (json !== undefined) {
    const line = escapeMeasured(json);
    if (lastBytes <= maxLineBytes) return line;
  }
  return budgetedJsonLine(eventDict, maxStringLength, maxLineBytes);
}

/** Room kept for the `structlog_truncated` field. */
const MARKER_ROOM = 256;

/**
 * The event dict through the safe walker, within `maxLineBytes`: large
 * values cut (each marked) and a `structlog_truncated` field when the budget
 * cut anything. `shape` rearranges the walked record before it is written
 * (sorted keys). The walker counts characters, and escapes or multi-byte
 * characters can make the line longer in bytes: then it tries again with a
 * smaller budget, and at last writes the event alone. Never throws.
 */
export function budgetedJsonLine(
  eventDict: Record<string, unknown>,
  maxStringLength: number,
  maxLineBytes: number,
  shape: (record: Record<string, unknown>) => unknown = (r) => r,
): string {
  let budget = maxLineBytes - MARKER_ROOM;
  try {
    for (let attempt = 0; attempt < 4; attempt++) {
      const { record, omitted, cut } = walkRecord(eventDict, maxStringLength, budget);
      if (cut) {
        // A note already there (the fields cap of the call) is kept in front.
        const earlier = typeof record.structlog_truncated === "string" ? `${record.structlog_truncated}; ` : "";
        setOwn(record, "structlog_truncated", earlier + truncationNote(maxLineBytes, omitted));
      }
      const line = escapeMeasured(JSON.stringify(shape(record)));
      if (lastBytes <= maxLineBytes) return line;
      budget = Math.floor((budget * maxLineBytes * 0.9) / lastBytes);
    }
  } catch {
    // Only an event dict that cannot even be enumerated (a hostile proxy) gets here.
  }
  return eventOnlyLine(eventDict, maxLineBytes);
}

function truncationNote(maxLineBytes: number, omitted: number): string {
  const fields = omitted > 0 ? `, ${omitted} fields left out` : "";
  return `line over maxLineBytes (${maxLineBytes} bytes): values cut where marked${fields}`;
}

/** The last resort: the event name (cut) and the marker. */
function eventOnlyLine(eventDict: Record<string, unknown>, maxLineBytes: number): string {
  let event: unknown;
  try {
    event = eventDict.event;
  } catch {
    event = undefined;
  }
  const text = typeof event === "string" ? truncateString(event, 1024) : undefined;
  return escapeMeasured(JSON.stringify({ event: text, structlog_truncated: truncationNote(maxLineBytes, 0) }));
}

/**
 * A line from a custom serializer, escaped; `undefined` when it is over
 * `maxLineBytes` (a foreign JSON text cannot be cut and stay JSON: the
 * caller renders the event with {@link budgetedJsonLine} instead).
 */
export function escapedWithin(line: string, maxLineBytes: number): string | undefined {
  const escaped = escapeMeasured(line);
  return lastBytes <= maxLineBytes ? escaped : undefined;
}
