import { markFactory, markRenderer } from "../brand.js";
import { capTextLine, overBytes, priorityFirst, resolveMaxLineBytes, resolveMaxStringLength, truncateString } from "../limits.js";
import { checkOptions } from "../options.js";
import { escapeControl, repr } from "../text.js";
import type { Renderer } from "../types.js";
import { itemsSorter, KEY_ORDER_OPTIONS, type KeyOrderOptions } from "./ordering.js";

/** Options for {@link keyValueRenderer}. */
export interface KeyValueRendererOptions extends KeyOrderOptions {
  /** Quote strings too (`a='b'`). Default `true`, as in structlog. */
  readonly reprNativeStr?: boolean;
  /** Strings longer than this are cut. Default 32,768; `Infinity` for no limit. */
  readonly maxStringLength?: number;
  /** The most UTF-8 bytes a line may take; a longer one is cut, ending `...[line truncated: N more bytes]`. Default 262,144. */
  readonly maxLineBytes?: number;
}

/**
 * Renders `key=value` pairs separated by spaces, with values in JavaScript
 * notation (`util.inspect`), structlog's `KeyValueRenderer` layout.
 * Control characters in keys and values are escaped.
 *
 * @example
 * keyValueRenderer({ sortKeys: true, keyOrder: ["event"] });
 */
export function keyValueRenderer(options: KeyValueRendererOptions = {}): Renderer {
  checkOptions("keyValueRenderer()", options, {
    ...KEY_ORDER_OPTIONS,
    reprNativeStr: "boolean",
    maxStringLength: "checked by the caller",
    maxLineBytes: "checked by the caller",
  });
  const items = itemsSorter(options);
  const reprNativeStr = options.reprNativeStr ?? true;
  const max = resolveMaxStringLength(options.maxStringLength, "keyValueRenderer()");
  const maxLine = resolveMaxLineBytes(options.maxLineBytes, "keyValueRenderer()");
  const render = (v: unknown) => (typeof v === "string" && !reprNativeStr ? escapeControl(truncateString(v, max)) : repr(v, max));
  const renderItems = (list: ReadonlyArray<readonly [string, unknown]>): string => {
    let out = "";
    for (const [key, value] of list) {
      // Past the cap, the rest cannot be written: stop rendering it.
      if (out.length > maxLine) break;
      out += `${out === "" ? "" : " "}${escapeControl(key)}=${render(value)}`;
    }
    return out;
  };
  return markRenderer((_logger, _method, eventDict) => {
    const list = items(eventDict);
    const line = renderItems(list);
    // An over-long line is written again with the event, level and ids first, so the cut keeps them.
    return capTextLine(overBytes(line, maxLine) ? renderItems(priorityFirst(list)) : line, maxLine);
  }, "keyValueRenderer");
}
markFactory(keyValueRenderer, "keyValueRenderer()");
