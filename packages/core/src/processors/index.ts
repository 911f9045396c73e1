/** `structlog.processors`: the built-in processors and the production renderers. */

export { type JsonRendererOptions, jsonRenderer } from "../renderers/json.js";
export { type KeyValueRendererOptions, keyValueRenderer } from "../renderers/key-value.js";
export { type LogfmtRendererOptions, logfmtRenderer } from "../renderers/logfmt.js";
export {
  ALL_CALLSITE_PARAMETERS,
  type CallsiteParameter,
  type CallsiteParameterAdderOptions,
  callsiteParameterAdder,
} from "./callsite.js";
export { eventRenamer } from "./event-renamer.js";
export { dictTracebacks, type ExceptionDict, formatException, formatExcInfo } from "./exceptions.js";
export { addLoggerName, addLogLevel } from "./level.js";
export { type Censor, type RedactProcessorOptions, redact } from "./redact.js";
export { type StackInfoRendererOptions, stackInfoRenderer } from "./stack-info.js";
export { strftime, type TimeStamperOptions, timeStamper } from "./timestamps.js";
