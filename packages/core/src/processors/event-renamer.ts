import { markFactory, markProcessor } from "../brand.js";
import type { EventDict, Processor } from "../types.js";

/**
 * Processor factory: renames `event` to `to` (say, `msg` or `message`) and,
 * optionally, moves the key `replaceBy` into `event`.
 *
 * @example
 * eventRenamer("msg");
 */
export function eventRenamer(to: string, replaceBy?: string): Processor {
  if (typeof to !== "string" || to === "") throw new TypeError('eventRenamer(to) needs the new key name, e.g. eventRenamer("msg").');
  return markProcessor((_l, _m, eventDict: EventDict) => {
    const event = eventDict.event;
    delete eventDict.event;
    if (event !== undefined) eventDict[to] = event;
    if (replaceBy !== undefined && Object.hasOwn(eventDict, replaceBy)) {
      eventDict.event = eventDict[replaceBy];
      delete eventDict[replaceBy];
    }
    return eventDict;
  }, "eventRenamer");
}
markFactory(eventRenamer, 'eventRenamer("msg")');
