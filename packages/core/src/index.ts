/**
 * @structlog/core: structured logging on the model of Python's structlog.
 *
 * @example
 * import * as structlog from "@structlog/core";
 * structlog.configure({ processors: [structlog.processors.addLogLevel, structlog.processors.jsonRenderer()] });
 * structlog.getLogger("myapp").info("app_started", { version: "1.2.3" });
 */

export { BoundLogger, type BoundLoggerClass, makeFilteringBoundLogger } from "./bound-logger.js";
export { markFactory, markProcessor, markRenderer } from "./brand.js";
export {
  type Configuration,
  type ConfigureOptions,
  configure,
  configureOnce,
  getConfig,
  getLogger,
  isConfigured,
  resetDefaults,
  type WrapLoggerOptions,
  wrapLogger,
} from "./config.js";
export { type CaptureConsoleOptions, captureConsole } from "./console-capture.js";
export * as contextvars from "./contextvars.js";
export * as dev from "./dev.js";
export { safeStringify } from "./json-line.js";
export { LEVELS, type LevelInput, type LevelName, LOG_METHODS, levelToNumber } from "./levels.js";
export { checkOptions, type OptionKind, type OptionSpec } from "./options.js";
export { PrintLogger, printLoggerFactory, WriteLogger, writeLoggerFactory } from "./output/loggers.js";
export { BufferedWriter, createWriter, flushAll, type LineWriter, StreamWriter, type WriterOptions } from "./output/writer.js";
export * as presets from "./presets/index.js";
export * as processors from "./processors.js";
export { note, report } from "./report.js";
export { type LogControlOptions, withLogControl } from "./scope-control.js";
export { serializeError, toJsonSafe } from "./serialize.js";
export { ignoreFramesUnder } from "./stack.js";
export { escapeControl, repr } from "./text.js";
export {
  type ChildOptions,
  DropEvent,
  type EventDict,
  type Fields,
  type Logger,
  type LoggerFactory,
  type LogMethod,
  type LogMethods,
  type MethodName,
  type Processor,
  type ProcessorChain,
  type Renderer,
  type WrappedLogger,
} from "./types.js";
