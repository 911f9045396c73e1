import { markFactory, markRenderer } from "../brand.js";
import { checkOptions } from "../options.js";
import { report } from "../report.js";
import { escapeJsonControls, resolveMaxStringLength, safeStringify, toJsonSafeRecord } from "../serialize.js";
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
    { serializer: "function", sortKeys: "boolean", maxStringLength: "checked by the caller" },
    JSON_NOTES,
  );
  const { serializer, sortKeys = false } = options;
  if (serializer !== undefined && typeof serializer !== "function") {
    throw new TypeError("jsonRenderer({ serializer }) must be a function (eventDict) => string.");
  }
  const max = resolveMaxStringLength(options.maxStringLength, "jsonRenderer()");
  // With sortKeys, what is serialized is a JSON-safe copy with its keys sorted at every depth.
  const prepare = sortKeys ? (eventDict: EventDict) => sortDeep(toJsonSafeRecord(eventDict, max)) as EventDict : undefined;
  const builtIn =
    prepare === undefined ? (ed: EventDict) => safeStringify(ed, max) : (ed: EventDict) => escapeJsonControls(JSON.stringify(ed));
  if (serializer === undefined) {
    return markRenderer((_logger, _method, eventDict) => builtIn(prepare === undefined ? eventDict : prepare(eventDict)), "jsonRenderer");
  }
  return markRenderer((_logger, _method, eventDict) => {
    const ed = prepare === undefined ? eventDict : prepare(eventDict);
    try {
      const out = serializer(ed);
      if (typeof out === "string") return escapeJsonControls(out);
      report("jsonRenderer serializer", new TypeError(`returned ${typeof out}, not a string`));
    } catch (e) {
      report("jsonRenderer serializer", e);
    }
    return builtIn(ed);
  }, "jsonRenderer");
}
markFactory(jsonRenderer, "jsonRenderer()");
