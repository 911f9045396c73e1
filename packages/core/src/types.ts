/**
 * The shapes that every part of the pipeline agrees on.
 *
 * A log call becomes an {@link EventDict}; each {@link Processor} takes it and
 * returns it (or {@link DropEvent}); the last step, a {@link Renderer}, turns it
 * into the line that the {@link WrappedLogger} writes.
 */

/** The mutable dictionary that flows through the processor chain. */
export type EventDict = Record<string, unknown>;

/** Key-value pairs passed to `bind()` or to a log call. */
export type Fields = Readonly<Record<string, unknown>>;

/**
 * Returned by a processor to drop the event: no later processor runs and
 * nothing is written. A return value, not an exception, so dropping costs
 * nothing on the hot path.
 *
 * @example
 * const dropHealthChecks: Processor = (_l, _m, ed) =>
 *   ed.path === "/health" ? DropEvent : ed;
 */
export const DropEvent: unique symbol = Symbol.for("structlog.DropEvent");
/** The type of {@link DropEvent}. */
export type DropEvent = typeof DropEvent;

/** Anything that receives rendered lines: stdout, a file, a test capture. */
export interface WrappedLogger {
  /** The logger name given to `getLogger(name)`, read by `addLoggerName`. */
  readonly name?: string | undefined;
  /**
   * Receives the rendered line (without a trailing newline) and the name of
   * the method that produced it. What it returns is returned by the log call.
   */
  msg(rendered: unknown, methodName: string): unknown;
}

/** The names of the logging methods, as processors see them. */
export type MethodName = "trace" | "debug" | "info" | "warning" | "warn" | "error" | "exception" | "critical" | "fatal";

/**
 * A step of the chain: takes the event dict and returns it (usually the same
 * object, changed in place) or {@link DropEvent}.
 *
 * @example
 * const addHost: Processor = (_logger, _method, ed) => {
 *   ed.host = os.hostname();
 *   return ed;
 * };
 */
export type Processor = (logger: WrappedLogger, methodName: string, eventDict: EventDict) => EventDict | DropEvent;

/**
 * The last step of the chain: turns the event dict into what the wrapped
 * logger receives, a line (`R = string`) or a record for another sink (an
 * OpenTelemetry LogRecord, say). Its return type is what makes a chain
 * without a renderer a compile error.
 */
export type Renderer<R = string> = (logger: WrappedLogger, methodName: string, eventDict: EventDict) => R | DropEvent;

/**
 * A processor chain: any number of processors, then exactly one renderer
 * that returns `R`. A chain that ends in a processor does not type-check.
 */
export type ProcessorChain<R = string> = readonly [...Processor[], Renderer<R>];

/** Makes the wrapped logger for `getLogger(name)`. */
export type LoggerFactory = (name?: string) => WrappedLogger;
