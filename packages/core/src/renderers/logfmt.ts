import { markFactory, markRenderer } from "../brand.js";
import { capTextLine, overBytes, priorityFirst, resolveMaxLineBytes, resolveMaxStringLength, truncateString } from "../limits.js";
import { checkOptions } from "../options.js";
import { toJsonSafe } from "../serialize.js";
import { escapeControl } from "../text.js";
import type { Renderer } from "../types.js";
import { itemsSorter, KEY_ORDER_OPTIONS, type KeyOrderOptions } from "./ordering.js";

/** Options for {@link logfmtRenderer}. */
export interface LogfmtRendererOptions extends KeyOrderOptions {
  /** Render `true` as a bare `key` (a flag). Default `true`, as in structlog. */
  readonly boolAsFlag?: boolean;
  /** Strings longer than this are cut, ending `...[N more characters]`. Default 32,768; `Infinity` for no limit. */
  readonly maxStringLength?: number;
  /** The most UTF-8 bytes a line may take; a longer one is cut, ending `...[line truncated: N more bytes]`. Default 262,144. */
  readonly maxLineBytes?: number;
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
  checkOptions("logfmtRenderer()", options, {
    ...KEY_ORDER_OPTIONS,
    boolAsFlag: "boolean",
    maxStringLength: "checked by the caller",
    maxLineBytes: "checked by the caller",
  });
  const items = itemsSorter(options);
  const boolAsFlag = options.boolAsFlag ?? true;
  const max = resolveMaxStringLength(options.maxStringLength, "logfmtRenderer()");
  const maxLine = resolveMaxLineBytes(options.maxLineBytes, "logfmtRenderer()");
  const render = (list: ReadonlyArray<readonly [string, unknown]>): string => {
    const parts: string[] = [];
    let length = 0;
    for (const [rawKey, value] of list) {
      // Past the cap, the rest cannot be written: stop rendering it.
      if (length > maxLine) break;
      const key = formatKey(rawKey);
      let part: string;
      if (value === null || value === undefined) part = `${key}=`;
      else if (typeof value === "boolean") part = value && boolAsFlag ? key : `${key}=${value}`;
      else part = `${key}=${formatValue(value, max)}`;
      parts.push(part);
      length += part.length + 1;
    }
    return parts.join(" ");
  };
  return markRenderer((_logger, _method, eventDict) => {
    const list = items(eventDict);
    const line = render(list);
    // An over-long line is written again with the event, level and ids first, so the cut keeps them.
    return capTextLine(overBytes(line, maxLine) ? render(priorityFirst(list)) : line, maxLine);
  }, "logfmtRenderer");
}
markFactory(logfmtRenderer, "logfmtRenderer()");
