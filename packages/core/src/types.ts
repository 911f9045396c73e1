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

import type { LevelInput, MethodName } from "./levels.js";

export type { MethodName };

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

/**
 * A logging method. The structlog shape is `log.info(event, fields?)`; the
 * pino shapes `log.info(obj, msg?)`, `log.info(err)` and
 * `log.info("a %s", x)` work too, so the logger can be handed to code that
 * expects a pino or Fastify logger.
 */
export interface LogMethod {
  (event: string, fields?: Fields): unknown;
  (event: string, error: Error): unknown;
  (obj: object, message?: string, ...args: unknown[]): unknown;
  (message: string, ...args: unknown[]): unknown;
}

/**
 * The logging methods, one per name in `LOG_METHODS`. `exception` is
 * `error`, for use with the error: `log.exception("failed", err)`. Without
 * one it notes once on stderr that no exception is logged (JavaScript has no
 * "current exception" for it to find).
 */
export type LogMethods = { readonly [M in MethodName]: LogMethod };

/** Options of `child()`, as pino takes them. */
export interface ChildOptions {
  readonly level?: LevelInput;
}

/** What every bound logger (and the lazy logger `getLogger()` returns) offers. */
export interface Logger extends LogMethods {
  /** Does nothing: Fastify's logger contract has it. */
  silent(...args: unknown[]): void;
  /**
   * Logs at `level` (a name or number). An unknown level is logged at info
   * with a `structlog_error` field saying so, and reported once on stderr.
   */
  log(level: LevelInput, event: string, fields?: Fields): unknown;
  /** A new logger with `fields` added to the context. */
  bind(fields: Fields): Logger;
  /** A new logger whose context is only `fields`. */
  "new"(fields?: Fields): Logger;
  /** A new logger without `keys`; throws if one is not bound. */
  unbind(...keys: string[]): Logger;
  /** A new logger without `keys`; missing keys are ignored. */
  tryUnbind(...keys: string[]): Logger;
  /** pino's `child()`: `bind()`, optionally at another level. */
  child(bindings: Fields, options?: ChildOptions): Logger;
  /** pino's `bindings()`: the bound context. */
  bindings(): Fields;
  /** Would a call at `level` be processed? */
  isEnabledFor(level: LevelInput): boolean;
  /** pino's spelling of {@link Logger.isEnabledFor}. */
  isLevelEnabled(level: LevelInput): boolean;
  /** The lowest level logged, as pino names it (`"info"`, `"warn"`, …). Settable, as in pino. */
  level: string;
  /** The bound context. */
  readonly context: Fields;
  /** Writes what the output has buffered. */
  flush(): void;
}
