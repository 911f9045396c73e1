/**
 * The per-call budget: the limits that keep any one log call cheap, whatever
 * it is given, and the rules that cut what is over them with a visible
 * marker (docs/values.md, "The budget of one call").
 *
 * The limits are checked where the work is done (the walker, the JSON fast
 * path, the renderers' field loops), so a small event pays for counters and
 * length checks only, never for a large event's work.
 */

/** How deep a value is written before `"[Max depth]"`. */
export const MAX_DEPTH = 64;
/** How many items of an array, Map or Set are written; the rest are counted (`"[N more items]"`). */
export const MAX_ITEMS = 1000;
/** How many values one walk visits; past it, objects become `"[Truncated]"`. */
export const MAX_NODES = 20_000;
/** How many fields a text renderer writes; the rest are counted. The JSON renderer stops at its byte budget instead. */
export const MAX_FIELDS = 1000;
/** The renderers' default `maxStringLength`: longer strings are cut (see {@link truncateString}). */
export const DEFAULT_MAX_STRING_LENGTH = 32_768;
/**
 * The renderers' default `maxLineBytes`, 256 KiB: the most a line may take,
 * in UTF-8 bytes. Log pipelines cap an event near that size (CloudWatch
 * Logs 256 KiB, Grafana Loki 256 KB by default, Google Cloud Logging 256 KiB),
 * so a longer line would be cut or rejected downstream, without a marker.
 * (Docker's json-file driver splits lines at 16 KiB; its readers rejoin them.)
 */
export const DEFAULT_MAX_LINE_BYTES = 256 * 1024;

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

/** The smallest `maxLineBytes`: room for the event, the level and the truncation marker. */
export const MIN_MAX_LINE_BYTES = 1024;

/**
 * Checks a renderer's `maxLineBytes` option and returns it (or the
 * default). There is no "no limit": a line without a bound is a call without one.
 */
export function resolveMaxLineBytes(value: unknown, where: string): number {
  if (value === undefined) return DEFAULT_MAX_LINE_BYTES;
  if (typeof value === "number" && Number.isInteger(value) && value >= MIN_MAX_LINE_BYTES) return value;
  throw new TypeError(
    `${where}: maxLineBytes must be a whole number of bytes, at least ${MIN_MAX_LINE_BYTES} (default ${DEFAULT_MAX_LINE_BYTES}).`,
  );
}

/**
 * Fields a reader needs to make sense of a line: when a line is over its
 * budget, the renderers write these first, before anything large.
 */
export const PRIORITY_FIELDS: ReadonlySet<string> = new Set([
  "event",
  "level",
  "timestamp",
  "logger",
  "msg",
  "message",
  "time",
  "request_id",
  "trace_id",
  "span_id",
]);

/** The items with the {@link PRIORITY_FIELDS} first, the others after them in their order. */
export function priorityFirst<T extends readonly [string, unknown]>(items: readonly T[]): T[] {
  return [...items.filter(([key]) => PRIORITY_FIELDS.has(key)), ...items.filter(([key]) => !PRIORITY_FIELDS.has(key))];
}

/** Is `line` over `maxBytes` UTF-8 bytes? Encodes only a line that may be. */
export function overBytes(line: string, maxBytes: number): boolean {
  return line.length * 3 > maxBytes && Buffer.byteLength(line) > maxBytes;
}

/**
 * A text line (console, key-value, logfmt) cut to `maxBytes` UTF-8 bytes,
 * never inside a character, ending `...[line truncated: N more bytes]`. A
 * line within the limit is returned as it is, after a length check (no
 * encoding) when it is clearly short.
 *
 * @example
 * capTextLine("a=" + "x".repeat(300_000), 262_144);
 */
export function capTextLine(line: string, maxBytes: number): string {
  // UTF-8 takes at most 3 bytes per UTF-16 unit.
  if (line.length * 3 <= maxBytes) return line;
  const bytes = Buffer.from(line, "utf8");
  if (bytes.length <= maxBytes) return line;
  const reserve = 64; // the marker, with room for the count
  let cut = maxBytes - reserve;
  while (cut > 0 && ((bytes[cut] as number) & 0xc0) === 0x80) cut--; // not inside a character
  let head = bytes.toString("utf8", 0, cut);
  // logfmt and key-value quote values: a cut inside quotes closes them, so
  // the marker stays outside.
  if (unbalancedQuote(head)) head += '"';
  return `${head}...[line truncated: ${bytes.length - cut} more bytes]`;
}

/** Does `s` end inside a `"…"` (backslash escapes counted)? */
function unbalancedQuote(s: string): boolean {
  let inside = false;
  for (let i = s.indexOf('"'); i !== -1; i = s.indexOf('"', i + 1)) {
    let slashes = 0;
    while (s.charCodeAt(i - 1 - slashes) === 92) slashes++;
    if (slashes % 2 === 0) inside = !inside;
  }
  return inside;
}
