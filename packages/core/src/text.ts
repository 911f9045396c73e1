/**
 * Values as text, for the text renderers (console, key-value, logfmt) and
 * the exception formatter: control characters escaped so that no value can
 * start a new line or drive a terminal, and Python's `repr()`/`str()` in
 * JavaScript notation. The JSON side is in serialize.ts.
 */
import { inspect, types } from "node:util";
import { DEFAULT_MAX_LINE_BYTES, DEFAULT_MAX_STRING_LENGTH, MAX_ITEMS, truncateString } from "./limits.js";
import { describeThrow, isError, toJsonSafe } from "./serialize.js";

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

const INSPECT_DEPTH = 2;
const INSPECT_ITEMS = 100;
const INSPECT_OPTIONS = {
  breakLength: Number.POSITIVE_INFINITY,
  compact: true,
  maxArrayLength: INSPECT_ITEMS,
  depth: INSPECT_DEPTH,
} as const;
/** How many objects {@link inspectsCheaply} looks into. */
const PROBE_OBJECTS = 1000;

/** Do the items util.inspect writes (the first {@link INSPECT_ITEMS}) all pass `check`? */
function firstItems<T>(items: Iterable<T>, check: (item: T) => boolean): boolean {
  let i = 0;
  for (const item of items) {
    if (i++ >= INSPECT_ITEMS) return true;
    if (!check(item)) return false;
  }
  return true;
}

/**
 * Does util.inspect write `value` at a bounded cost? It cuts strings, and
 * arrays, Maps and Sets past 100 items, and stops at depth 2, but it writes
 * every key of an object. So: no object within its depth has more than
 * {@link MAX_ITEMS} keys, and its strings add up to less than the line
 * budget. Reads no getter (util.inspect shows them as `[Getter]`) and runs
 * no proxy trap (util.inspect shows a proxy's target).
 */
function inspectsCheaply(root: unknown, maxString: number): boolean {
  let chars = 0;
  let objects = PROBE_OBJECTS;
  const probe = (v: unknown, depth: number): boolean => {
    if (typeof v === "string") {
      chars += Math.min(v.length, maxString);
      return chars <= DEFAULT_MAX_LINE_BYTES;
    }
    if (typeof v !== "object" || v === null || depth > INSPECT_DEPTH || types.isProxy(v)) return true;
    if (--objects < 0) return false;
    if (Array.isArray(v) || v instanceof Set) return firstItems(v, (item) => probe(item, depth + 1));
    if (v instanceof Map) return firstItems(v, ([key, item]) => probe(key, depth + 1) && probe(item, depth + 1));
    if (ArrayBuffer.isView(v)) return true;
    const keys = Object.keys(v);
    if (keys.length > MAX_ITEMS) return false;
    for (const key of keys) {
      chars += key.length;
      const d = Object.getOwnPropertyDescriptor(v, key);
      if (d !== undefined && "value" in d && !probe(d.value, depth + 1)) return false;
    }
    return chars <= DEFAULT_MAX_LINE_BYTES;
  };
  try {
    return probe(root, 0);
  } catch {
    return false;
  }
}
const inspectOptions = new Map<number, object>();

function inspectOptionsFor(maxStringLength: number): object {
  let options = inspectOptions.get(maxStringLength);
  if (options === undefined) {
    options = { ...INSPECT_OPTIONS, maxStringLength };
    inspectOptions.set(maxStringLength, options);
  }
  return options;
}

/**
 * A value in JavaScript's own notation, as `util.inspect` writes it, on one
 * line: the equivalent of Python's `repr()` for the text renderers. Errors
 * are written `[TypeError: message]`. Control characters are escaped;
 * strings inside are cut at `maxStringLength` (util.inspect's
 * `... N more characters`). Never throws.
 *
 * @example
 * repr("a b"); // "'a b'"
 */
export function repr(value: unknown, maxStringLength = DEFAULT_MAX_STRING_LENGTH): string {
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
    if (isError(value)) {
      const text = (s: unknown) => escapeControl(truncateString(String(s), maxStringLength));
      return `[${text(value.name)}: ${text(value.message)}]`;
    }
    // A value too large to inspect whole is written from its safe JSON form, cut to the budget.
    const shown = inspectsCheaply(value, maxStringLength) ? value : toJsonSafe(value, maxStringLength);
    return escapeControl(inspect(shown, inspectOptionsFor(maxStringLength)));
  } catch (e) {
    // The message is the value's own text: it may hold a newline too.
    return escapeControl(truncateString(describeThrow(e), maxStringLength));
  }
}

/**
 * A value as plain text (Python's `str()`): strings as they are (cut at
 * `maxStringLength`), everything else as {@link repr}. Control characters
 * are escaped.
 */
export function str(value: unknown, maxStringLength = DEFAULT_MAX_STRING_LENGTH): string {
  if (typeof value === "string") return escapeControl(truncateString(value, maxStringLength));
  return repr(value, maxStringLength);
}
