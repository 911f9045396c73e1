import { markFactory, markRenderer } from "../brand.js";
import { checkOptions } from "../options.js";
import { resolveMaxStringLength, toJsonSafe, truncateString } from "../serialize.js";
import { escapeControl } from "../text.js";
import type { Renderer } from "../types.js";
import { itemsSorter, KEY_ORDER_OPTIONS, type KeyOrderOptions } from "./ordering.js";

/** Options for {@link logfmtRenderer}. */
export interface LogfmtRendererOptions extends KeyOrderOptions {
  /** Render `true` as a bare `key` (a flag). Default `true`, as in structlog. */
  readonly boolAsFlag?: boolean;
  /** Strings longer than this are cut, ending `...[N more characters]`. Default 32,768; `Infinity` for no limit. */
  readonly maxStringLength?: number;
}

// structlog raises on a key with whitespace; a log call must never throw, so
// such characters (and `=` and `"`, which would break parsing) become `_`.
const BAD_KEY = /[\s="]/g;

function formatKey(key: string): string {
  return escapeControl(key).replace(BAD_KEY, "_");
}

function formatValue(value: unknown, max: number): string {
  let text: string;
  if (typeof value === "string") text = truncateString(value, max);
  else if (typeof value === "number" || typeof value === "bigint") text = String(value);
  else text = JSON.stringify(toJsonSafe(value, max)) ?? "";
  const needsQuotes = text.includes(" ") || text.includes("=") || text.includes('"');
  if (needsQuotes && text.includes("\\")) text = text.replaceAll("\\", "\\\\");
  text = escapeControl(text.replaceAll('"', '\\"'));
  return needsQuotes ? `"${text}"` : text;
}

/**
 * Renders the event dict in logfmt (`key=value key2="a b"`), structlog's
 * `LogfmtRenderer` layout. Objects are written as JSON; control characters
 * are escaped.
 *
 * @example
 * logfmtRenderer({ keyOrder: ["event"], boolAsFlag: false });
 */
export function logfmtRenderer(options: LogfmtRendererOptions = {}): Renderer {
  checkOptions("logfmtRenderer()", options, { ...KEY_ORDER_OPTIONS, boolAsFlag: "boolean", maxStringLength: "checked by the caller" });
  const items = itemsSorter(options);
  const boolAsFlag = options.boolAsFlag ?? true;
  const max = resolveMaxStringLength(options.maxStringLength, "logfmtRenderer()");
  return markRenderer((_logger, _method, eventDict) => {
    const parts: string[] = [];
    for (const [rawKey, value] of items(eventDict)) {
      const key = formatKey(rawKey);
      if (value === null || value === undefined) parts.push(`${key}=`);
      else if (typeof value === "boolean") parts.push(value && boolAsFlag ? key : `${key}=${value}`);
      else parts.push(`${key}=${formatValue(value, max)}`);
    }
    return parts.join(" ");
  }, "logfmtRenderer");
}
markFactory(logfmtRenderer, "logfmtRenderer()");
