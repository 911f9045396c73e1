import { markFactory, markRenderer } from "../brand.js";
import { checkOptions } from "../options.js";
import { resolveMaxStringLength, truncateString } from "../serialize.js";
import { escapeControl, repr } from "../text.js";
import type { Renderer } from "../types.js";
import { itemsSorter, KEY_ORDER_OPTIONS, type KeyOrderOptions } from "./ordering.js";

/** Options for {@link keyValueRenderer}. */
export interface KeyValueRendererOptions extends KeyOrderOptions {
  /** Quote strings too (`a='b'`). Default `true`, as in structlog. */
  readonly reprNativeStr?: boolean;
  /** Strings longer than this are cut. Default 32,768; `Infinity` for no limit. */
  readonly maxStringLength?: number;
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
  checkOptions("keyValueRenderer()", options, { ...KEY_ORDER_OPTIONS, reprNativeStr: "boolean", maxStringLength: "checked by the caller" });
  const items = itemsSorter(options);
  const reprNativeStr = options.reprNativeStr ?? true;
  const max = resolveMaxStringLength(options.maxStringLength, "keyValueRenderer()");
  const render = (v: unknown) => (typeof v === "string" && !reprNativeStr ? escapeControl(truncateString(v, max)) : repr(v, max));
  return markRenderer((_logger, _method, eventDict) => {
    let out = "";
    for (const [key, value] of items(eventDict)) {
      out += `${out === "" ? "" : " "}${escapeControl(key)}=${render(value)}`;
    }
    return out;
  }, "keyValueRenderer");
}
markFactory(keyValueRenderer, "keyValueRenderer()");
