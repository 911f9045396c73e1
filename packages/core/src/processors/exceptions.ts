/** Exception processors: `formatExcInfo` and `dictTracebacks`. */
import { markProcessor } from "../brand.js";
import { exceptionDicts, formatException, noteNoException } from "../exception-format.js";
import type { EventDict, Processor } from "../types.js";

/** A processor named `name` that replaces `exc_info` with `exception`, made from it by `toException`. */
function excInfoReplacer(name: string, toException: (error: unknown) => unknown): Processor {
  const processor = (_logger: unknown, _method: string, eventDict: EventDict) => {
    const excInfo = eventDict.exc_info;
    if (excInfo === undefined) return eventDict;
    delete eventDict.exc_info;
    if (excInfo === true) noteNoException();
    else if (excInfo !== false && excInfo !== null) eventDict.exception = toException(excInfo);
    return eventDict;
  };
  return markProcessor(processor, name);
}

/**
 * Processor: replaces an Error under `exc_info` with its text under
 * `exception` (structlog's `format_exc_info`). `exc_info: true` has no
 * current exception to refer to in JavaScript: it is removed, with a note
 * on stderr (once) that says to pass the error itself.
 *
 * @example
 * log.exception("payment_failed", { exc_info: err });
 */
export const formatExcInfo: Processor = excInfoReplacer("formatExcInfo", formatException);

/**
 * Processor: replaces an Error under `exc_info` with a structured
 * `exception`: a list with the error first and each `cause` after it
 * (`is_cause: true`), each with its parsed frames and, for an
 * `AggregateError`, its inner errors. For JSON output.
 *
 * @example
 * configure({ processors: [dictTracebacks, jsonRenderer()] });
 */
export const dictTracebacks: Processor = excInfoReplacer("dictTracebacks", exceptionDicts);
