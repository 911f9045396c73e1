/** `structlog.processors`: the built-in processors and the production renderers (as in structlog, the renderers are here too). */

export { type ExceptionDict, exceptionDicts, formatException } from "./exception-format.js";
export {
  ALL_CALLSITE_PARAMETERS,
  type CallsiteParameter,
  type CallsiteParameterAdderOptions,
  callsiteParameterAdder,
} from "./processors/callsite.js";
export { eventRenamer } from "./processors/event-renamer.js";
export { dictTracebacks, formatExcInfo } from "./processors/exceptions.js";
export { addLoggerName, addLogLevel } from "./processors/level.js";
export { type Censor, type RedactProcessorOptions, redact } from "./processors/redact.js";
export { type StackInfoRendererOptions, stackInfoRenderer } from "./processors/stack-info.js";
export { strftime, type TimeStamperOptions, timeStamper } from "./processors/timestamps.js";
export { type JsonRendererOptions, jsonRenderer } from "./renderers/json.js";
export { type KeyValueRendererOptions, keyValueRenderer } from "./renderers/key-value.js";
export { type LogfmtRendererOptions, logfmtRenderer } from "./renderers/logfmt.js";
