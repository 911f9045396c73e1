import { markFactory, markRenderer } from "../brand.js";
import { PLAIN_JSON, type PlainJsonPart } from "../chain-parts.js";
import { budgetedJsonLine, escapedWithin, safeStringify } from "../json-line.js";
import { resolveMaxLineBytes, resolveMaxStringLength } from "../limits.js";
import { checkOptions } from "../options.js";
import { report } from "../report.js";
import { toJsonSafeRecord } from "../serialize.js";
import type { EventDict, Renderer } from "../types.js";

/** Options for {@link jsonRenderer}. */
export interface JsonRendererOptions {
  /**
   * Your own serializer (say, a faster or a canonical one). If it throws or
   * returns something other than a string, the line is written by the safe
   * built-in serializer and the failure is reported once on stderr.
   */
  readonly serializer?: (eventDict: EventDict) => string;
  /** Sort keys, at every depth (a `serializer` is given the sorted event dict). Default `false`. */
  readonly sortKeys?: boolean;
  /**
   * Strings longer than this many characters, at any depth, are cut to it
   * and end with `...[N more characters]`. Default 32,768; `Infinity` for
   * no limit.
   */
  readonly maxStringLength?: number;
  /**
   * The most UTF-8 bytes a line may take. A longer line keeps its priority
   * and small fields, has its large values cut (each marked) and says so in
   * `structlog_truncated`; it stays valid JSON. Default 262,144 (256 KiB).
   */
  readonly maxLineBytes?: number;
}

/** `json.dumps` keywords a structlog `JSONRenderer` port may pass. */
const JSON_NOTES: Readonly<Record<string, string>> = {
  indent: "a line is always one line of JSON",
  default: "pass serializer, or give the value a toJSON()",
  ensure_ascii: "JSON is written as UTF-8, with control characters escaped",
};

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    Object.defineProperty(out, key, { value: sortDeep((value as EventDict)[key]), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * Renders the event dict as one line of JSON. Every value is rendered
 * safely (see {@link safeStringify}); JSON escapes newlines, so no value can
 * forge a second line.
 *
 * @example
 * configure({ processors: [addLogLevel, timeStamper({ fmt: "iso" }), jsonRenderer()] });
 */
export function jsonRenderer(options: JsonRendererOptions = {}): Renderer {
  checkOptions(
    "jsonRenderer()",
    options,
    { serializer: "function", sortKeys: "boolean", maxStringLength: "checked by the caller", maxLineBytes: "checked by the caller" },
    JSON_NOTES,
  );
  const { serializer, sortKeys = false } = options;
  if (serializer !== undefined && typeof serializer !== "function") {
    throw new TypeError("jsonRenderer({ serializer }) must be a function (eventDict) => string.");
  }
  const max = resolveMaxStringLength(options.maxStringLength, "jsonRenderer()");
  const maxLine = resolveMaxLineBytes(options.maxLineBytes, "jsonRenderer()");
  // With sortKeys, what is serialized is a JSON-safe copy with its keys sorted at every depth.
  const prepare = sortKeys ? (eventDict: EventDict) => sortDeep(toJsonSafeRecord(eventDict, max, maxLine)) as EventDict : undefined;
  const builtIn =
    prepare === undefined
      ? (ed: EventDict) => safeStringify(ed, max, maxLine)
      : (ed: EventDict) => budgetedJsonLine(ed, max, maxLine, sortDeep);
  if (serializer === undefined) {
    const renderer = markRenderer((_logger, _method, eventDict) => builtIn(eventDict), "jsonRenderer");
    // The compiled chain writes this renderer's lines itself (compiled-chain.ts), with these limits.
    if (prepare === undefined) {
      const part: PlainJsonPart = { maxStringLength: max, maxLineBytes: maxLine };
      Object.defineProperty(renderer, PLAIN_JSON, { value: part });
    }
    return renderer;
  }
  return markRenderer((_logger, _method, eventDict) => {
    try {
      const out = serializer(prepare === undefined ? eventDict : prepare(eventDict));
      const line = typeof out === "string" ? escapedWithin(out, maxLine) : undefined;
      if (line !== undefined) return line;
      const why = typeof out === "string" ? `wrote a line over maxLineBytes (${maxLine})` : `returned ${typeof out}, not a string`;
      report("jsonRenderer serializer", new TypeError(why));
    } catch (e) {
      report("jsonRenderer serializer", e);
    }
    return builtIn(eventDict);
  }, "jsonRenderer");
}
markFactory(jsonRenderer, "jsonRenderer()");
