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

/**
 * Anything that receives what the renderer made: stdout, a file, a test
 * capture, an OpenTelemetry exporter. `R` is what it takes: a line of text
 * for the built-in outputs, a record for a bridge to another logging API.
 *
 * @example
 * const lines: string[] = [];
 * const toArray: WrappedLogger<string> = { msg: (line) => lines.push(line) };
 */
export interface WrappedLogger<R = unknown> {
  /** The logger name given to `getLogger(name)`, read by `addLoggerName`. */
  readonly name?: string | undefined;
  /**
   * Receives the rendered value (a line has no trailing newline) and the name
   * of the method that produced it. What it returns is returned by the log call.
   */
  msg(rendered: R, methodName: string): unknown;
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
 * logger takes, a line of text by default. Its return type is what makes a
 * chain without a renderer a compile error.
 *
 * @example
 * const eventOnly: Renderer = (_l, _m, ed) => String(ed.event);
 * const asRecord: Renderer<{ body: unknown }> = (_l, _m, ed) => ({ body: ed.event });
 */
export type Renderer<R = string> = (logger: WrappedLogger, methodName: string, eventDict: EventDict) => R | DropEvent;

/**
 * A processor chain: any number of processors, then exactly one renderer,
 * whose output `R` (a string by default) is what the wrapped logger
 * receives. A chain that ends in a processor does not type-check.
 *
 * @example
 * const chain: ProcessorChain = [addLogLevel, timeStamper({ fmt: "iso" }), jsonRenderer()];
 */
export type ProcessorChain<R = string> = readonly [...Processor[], Renderer<R>];

/** Makes the wrapped logger for `getLogger(name)`; `R` is what its loggers take. */
export type LoggerFactory<R = unknown> = (name?: string) => WrappedLogger<R>;
