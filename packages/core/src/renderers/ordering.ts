/** Key ordering shared by the key-value and logfmt renderers (structlog's `_items_sorter`). */
import { mergeFields } from "../fields.js";
import type { OptionSpec } from "../options.js";
import type { EventDict } from "../types.js";

/** Options that decide which keys are rendered, in which order. */
export interface KeyOrderOptions {
  /** Sort the keys (after `keyOrder`). Default `false`: insertion order. */
  readonly sortKeys?: boolean;
  /** Keys to render first, in this order; a missing one renders as empty/`null`. */
  readonly keyOrder?: readonly string[];
  /** Leave out `keyOrder` keys that are missing (or `null`/`undefined`). */
  readonly dropMissing?: boolean;
}

/** The {@link KeyOrderOptions}, for `checkOptions()`. */
export const KEY_ORDER_OPTIONS: OptionSpec = { sortKeys: "boolean", keyOrder: "array of strings", dropMissing: "boolean" };

export type ItemsSorter = (eventDict: EventDict) => Array<[string, unknown]>;

function sortedEntries(eventDict: EventDict): Array<[string, unknown]> {
  return Object.keys(eventDict)
    .sort()
    .map((k) => [k, eventDict[k]]);
}

/** Returns the function that lists an event dict's items in render order. */
export function itemsSorter({ sortKeys = false, keyOrder, dropMissing = false }: KeyOrderOptions): ItemsSorter {
  if (keyOrder !== undefined && keyOrder.length > 0) {
    const first = [...keyOrder];
    return (eventDict) => {
      const rest: EventDict = mergeFields(eventDict);
      const items: Array<[string, unknown]> = [];
      for (const key of first) {
        const value = Object.hasOwn(rest, key) ? rest[key] : null;
        delete rest[key];
        if ((value !== null && value !== undefined) || !dropMissing) items.push([key, value]);
      }
      return items.concat(sortKeys ? sortedEntries(rest) : Object.entries(rest));
    };
  }
  return sortKeys ? sortedEntries : (eventDict) => Object.entries(eventDict);
}
