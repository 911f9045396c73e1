import { markProcessor } from "../brand.js";
import { METHOD_TO_LEVEL_NAME } from "../levels.js";
import type { EventDict, Processor, WrappedLogger } from "../types.js";

/**
 * Processor: adds `level` from the method name (`warn` → `warning`,
 * `exception` → `error`, `fatal` → `critical`).
 *
 * @example
 * configure({ processors: [addLogLevel, jsonRenderer()] });
 */
export const addLogLevel: Processor = markProcessor((_logger: WrappedLogger, method: string, eventDict: EventDict) => {
  eventDict.level = METHOD_TO_LEVEL_NAME[method] ?? method;
  return eventDict;
}, "addLogLevel");

/**
 * Processor: adds `logger`, the name given to `getLogger(name)`. Works with
 * every logger factory (the name travels with the wrapped logger); a logger
 * without a name adds nothing.
 *
 * @example
 * getLogger("myapp").info("started"); // … logger="myapp"
 */
export const addLoggerName: Processor = markProcessor((logger: WrappedLogger, _method: string, eventDict: EventDict) => {
  const name = logger.name;
  if (name !== undefined && name !== "") eventDict.logger = name;
  return eventDict;
}, "addLoggerName");
