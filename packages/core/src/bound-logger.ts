/**
 * The immutable bound logger: a context, a wrapped logger and a processor
 * chain. `bind()` returns a new logger; a log call builds the event dict and
 * runs it through the chain. Nothing here ever throws out of a log call.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { format } from "node:util";
import { assignFields, mergeFields } from "./fields.js";
import { type LevelInput, levelToNumber, METHOD_LEVELS, pinoLevelName } from "./levels.js";
import { report } from "./report.js";
import { isError, MAX_ITEMS, safeStringify, toJsonSafe } from "./serialize.js";
import { DropEvent, type EventDict, type Fields, type WrappedLogger } from "./types.js";

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

/** Options of `child()`, as pino takes them. */
export interface ChildOptions {
  readonly level?: LevelInput | string;
}

/** The logging methods, one per level name. */
export interface LogMethods {
  readonly trace: LogMethod;
  readonly debug: LogMethod;
  readonly info: LogMethod;
  readonly warning: LogMethod;
  readonly warn: LogMethod;
  readonly error: LogMethod;
  /** `error`, for use where an exception is passed as `exc_info`. */
  readonly exception: LogMethod;
  readonly critical: LogMethod;
  readonly fatal: LogMethod;
}

/** What every bound logger (and the lazy logger `getLogger()` returns) offers. */
export interface Logger extends LogMethods {
  /** Does nothing: Fastify's logger contract has it. */ silent(...args: unknown[]): void;
  /** Logs at `level` (a name or number). */
  log(level: LevelInput | string, event: string, fields?: Fields): unknown;
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
  isEnabledFor(level: LevelInput | string): boolean;
  /** pino's spelling of {@link Logger.isEnabledFor}. */
  isLevelEnabled(level: LevelInput | string): boolean;
  /** The lowest level logged, as pino names it (`"info"`, `"warn"`, …). Settable, as in pino. */
  level: string;
  /** The bound context. */
  readonly context: Fields;
  /** Writes what the output has buffered. */
  flush(): void;
}

/** What `captureLogs()` hooks into: an active capture sees the event dict instead of the chain. */
export interface CaptureSink {
  capture(method: string, eventDict: EventDict, logger: WrappedLogger): void;
}
/** @internal */
export const captureStorage = new AsyncLocalStorage<CaptureSink>();
/** @internal How many captures are active: zero keeps the hot path free of the lookup. */
export const captureState = { active: 0 };

/** The methods that log, each with its level. */
export const LOG_METHODS = ["trace", "debug", "info", "warning", "warn", "error", "exception", "critical", "fatal"] as const;
type LogMethodName = (typeof LOG_METHODS)[number];

function noop(): undefined {
  return undefined;
}

function isPlainFields(value: unknown): value is Fields {
  if (typeof value !== "object" || value === null) return false;
  // The common case, an object literal, skips the slower cross-realm Error check.
  if (Object.getPrototypeOf(value) === Object.prototype) return true;
  // Indexed values (arrays, Buffers, typed arrays, String objects) are values,
  // not fields: copying their indices would make one field per item or byte.
  return !Array.isArray(value) && !ArrayBuffer.isView(value) && !(value instanceof String) && !isError(value);
}

const PLACEHOLDER = /%([sdifjoOc%])/g;

/**
 * `util.format(fmt, ...args)`, made safe for hostile arguments first:
 * util.format's `%j` is a bare `JSON.stringify`, which throws on a deep
 * value and, on Node 20, aborts the whole process on a sparse array of a few
 * hundred million holes; `%d`, `%i` and `%f` turn an array into a string of
 * all its items, nested arrays included, first (minutes for such an array).
 * For those, an array that is long or holds objects becomes NaN (what `%d`
 * makes of any array of two or more items anyway).
 */
function formatSafe(fmt: string, args: unknown[]): string {
  if (!fmt.includes("%")) return format(fmt, ...args);
  const safe = [...args];
  let i = 0;
  for (const [, kind] of fmt.matchAll(PLACEHOLDER)) {
    if (kind === "%") continue;
    if (i >= safe.length) break;
    const arg = safe[i];
    if (kind === "j") safe[i] = toJsonSafe(arg);
    else if ((kind === "d" || kind === "i" || kind === "f") && Array.isArray(arg) && !isShortFlatArray(arg)) safe[i] = Number.NaN;
    i++;
  }
  return format(fmt, ...safe);
}

function isShortFlatArray(arr: unknown[]): boolean {
  if (arr.length > MAX_ITEMS) return false;
  for (const item of arr) if (typeof item === "object" && item !== null) return false;
  return true;
}

/** The event dict with `event` set last, as structlog orders it. */
function withEvent(ed: EventDict, event: unknown): EventDict {
  ed.event = event;
  return ed;
}

/**
 * Builds the event dict: context, then call fields, then `event` (the
 * order structlog uses).
 */
function buildEventDict(context: Fields, a: unknown, b: unknown, rest: unknown[]): EventDict {
  const ed = mergeFields(context);
  if (typeof a === "string") {
    if (b === undefined) return withEvent(ed, a);
    if (rest.length === 0) {
      if (isPlainFields(b)) return withEvent(assignFields(ed, b), a);
      if (isError(b)) {
        ed.exc_info = b;
        return withEvent(ed, a);
      }
    }
    return withEvent(ed, formatSafe(a, [b, ...rest]));
  }
  if (isError(a)) {
    ed.exc_info = a;
    return withEvent(ed, typeof b === "string" ? formatSafe(b, rest) : a.message);
  }
  if (isPlainFields(a)) {
    // pino's (obj, msg) shape: the message, or obj.msg, is the event.
    assignFields(ed, a as Fields);
    if (typeof b === "string") ed.event = rest.length === 0 ? b : formatSafe(b, rest);
    else if (Object.hasOwn(ed, "msg") && !Object.hasOwn(context, "msg")) {
      ed.event = ed.msg;
      delete ed.msg;
    }
    return ed;
  }
  if (a === undefined) return ed;
  return withEvent(ed, b === undefined ? a : format(a, b, ...rest));
}

function processorName(fn: unknown): string {
  const name = typeof fn === "function" ? fn.name : "";
  return name === "" ? "anonymous processor" : `processor ${name}`;
}

/**
 * Runs the chain and hands the result to the wrapped logger. A processor
 * that throws is reported once; the line is still written, as safe JSON
 * with a `structlog_error` field, so no call is lost.
 */
function process(self: BoundLogger, method: string, eventDict: EventDict): unknown {
  if (captureState.active > 0) {
    const sink = captureStorage.getStore();
    if (sink !== undefined) return sink.capture(method, eventDict, self._logger);
  }
  const logger = self._logger;
  const processors = self._processors;
  let value: unknown = eventDict;
  let i = 0;
  try {
    for (; i < processors.length; i++) {
      value = (processors[i] as (l: WrappedLogger, m: string, e: unknown) => unknown)(logger, method, value);
      if (value === DropEvent) return undefined;
    }
  } catch (e) {
    report(processorName(processors[i]), e);
    value = fallbackLine(eventDict, `${processorName(processors[i])} threw: ${errorText(e)}`);
  }
  try {
    return logger.msg(value, method);
  } catch (e) {
    report("the wrapped logger", e);
    return undefined;
  }
}

/**
 * The line written when a processor throws: the event as safe JSON with a
 * `structlog_error` field. safeStringify never throws; the last resort is
 * for a processor that left something in the event dict that cannot even be
 * enumerated.
 */
function fallbackLine(eventDict: EventDict, error: string): string {
  try {
    return safeStringify({ ...mergeFields(eventDict), structlog_error: error });
  } catch {
    return safeStringify({ event: eventDict.event, structlog_error: error });
  }
}

function errorText(e: unknown): string {
  try {
    return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  } catch {
    return "unknown error";
  }
}

function makeMethod(method: LogMethodName): LogMethod {
  const fn = function (this: BoundLogger, a?: unknown, b?: unknown, ...rest: unknown[]): unknown {
    let eventDict: EventDict;
    try {
      eventDict = buildEventDict(this._context, a, b, rest);
    } catch (e) {
      // A hostile fields object (a throwing proxy, say) still gets its line.
      eventDict = {
        ...this._context,
        event: typeof a === "string" ? a : undefined,
        structlog_error: `fields could not be read: ${errorText(e)}`,
      };
    }
    return process(this, method, eventDict);
  };
  Object.defineProperty(fn, "name", { value: method });
  return fn as LogMethod;
}

// Merged with the class below, to type the methods installed on its prototype.
export interface BoundLogger extends LogMethods {}

/**
 * structlog's bound logger. Create loggers with `getLogger()` or
 * `wrapLogger()`; subclasses made by `makeFilteringBoundLogger()` skip the
 * levels below theirs at no cost.
 *
 * @example
 * const log = getLogger("orders").bind({ order_id: "ORD-101" });
 * log.info("order_paid", { amount: 42 });
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the methods are installed on the prototype below.
export class BoundLogger implements Logger {
  /** The lowest level this class logs. */
  static readonly minLevel: number = 0;

  /** @internal */ readonly _logger: WrappedLogger;
  /** @internal */ readonly _processors: readonly unknown[];
  /** @internal */ readonly _context: Fields;
  #minLevel: number | undefined;

  constructor(logger: WrappedLogger, processors: readonly unknown[], context: Fields) {
    this._logger = logger;
    this._processors = processors;
    this._context = context;
  }

  get context(): Fields {
    return this._context;
  }

  #derive(context: Fields, minLevel = this.#minLevel): this {
    const Ctor = this.constructor as new (l: WrappedLogger, p: readonly unknown[], c: Fields) => this;
    const next = new Ctor(this._logger, this._processors, context);
    if (minLevel !== undefined) next.level = pinoLevelName(minLevel);
    return next;
  }

  bind(fields: Fields): this {
    return this.#derive(mergeFields(this._context, fields));
  }

  new(fields: Fields = {}): this {
    return this.#derive(mergeFields(fields));
  }

  unbind(...keys: string[]): this {
    for (const key of keys) {
      if (!Object.hasOwn(this._context, key))
        throw new Error(`unbind(): ${JSON.stringify(key)} is not bound; use tryUnbind() to ignore missing keys.`);
    }
    return this.tryUnbind(...keys);
  }

  tryUnbind(...keys: string[]): this {
    const context = mergeFields(this._context);
    for (const key of keys) delete context[key];
    return this.#derive(context);
  }

  child(bindings: Fields, options?: ChildOptions): this {
    const context = mergeFields(this._context, bindings ?? undefined);
    if (options?.level === undefined) return this.#derive(context);
    return this.#derive(context, levelToNumber(options.level));
  }

  bindings(): Fields {
    return mergeFields(this._context);
  }

  #effectiveLevel(): number {
    return this.#minLevel ?? (this.constructor as typeof BoundLogger).minLevel;
  }

  isEnabledFor(level: LevelInput | string): boolean {
    try {
      return levelToNumber(level) >= this.#effectiveLevel();
    } catch {
      return false;
    }
  }

  isLevelEnabled(level: LevelInput | string): boolean {
    return this.isEnabledFor(level);
  }

  get level(): string {
    return pinoLevelName(this.#effectiveLevel());
  }

  /** pino-style: changes this logger's level (and its future children's). */
  set level(level: string) {
    const min = levelToNumber(level);
    this.#minLevel = min;
    const self = this as unknown as Record<string, unknown>;
    const proto = BoundLogger.prototype as unknown as Record<string, unknown>;
    for (const m of LOG_METHODS) self[m] = (METHOD_LEVELS[m] ?? 0) >= min ? proto[m] : noop;
  }

  log(level: LevelInput | string, event: string, fields?: Fields): unknown {
    let n: number;
    try {
      n = levelToNumber(level);
    } catch (e) {
      report("log(level)", e);
      n = METHOD_LEVELS.info as number;
    }
    if (n < this.#effectiveLevel()) return undefined;
    const method = LOG_METHODS.find((m) => METHOD_LEVELS[m] === n) ?? LOG_METHODS.findLast((m) => (METHOD_LEVELS[m] ?? 0) <= n) ?? "trace";
    return (this[method] as (e: string, f?: Fields) => unknown)(event, fields);
  }

  silent(): void {}

  flush(): void {
    const target = this._logger as { flush?: () => void };
    if (typeof target.flush === "function") target.flush();
  }
}

for (const m of LOG_METHODS) {
  Object.defineProperty(BoundLogger.prototype, m, { value: makeMethod(m), writable: true, configurable: true });
}

/** A bound logger class, as `configure({ wrapperClass })` takes it. */
export type BoundLoggerClass = typeof BoundLogger;

const filteringClasses = new Map<number, BoundLoggerClass>();

/**
 * A bound logger class that logs at `level` and above. Methods below the
 * level are no-ops on the prototype: a filtered call builds no event dict
 * and runs no processor.
 *
 * @example
 * configure({ wrapperClass: makeFilteringBoundLogger("info") });
 */
export function makeFilteringBoundLogger(level: LevelInput | string): BoundLoggerClass {
  const min = levelToNumber(level);
  const cached = filteringClasses.get(min);
  if (cached !== undefined) return cached;
  const name = `BoundLoggerFilteringAt${pinoLevelName(min).replace(/^./, (c) => c.toUpperCase())}`;
  const Filtering = { [name]: class extends BoundLogger {} }[name] as BoundLoggerClass;
  Object.defineProperty(Filtering, "minLevel", { value: min });
  for (const m of LOG_METHODS) {
    if ((METHOD_LEVELS[m] ?? 0) < min) Object.defineProperty(Filtering.prototype, m, { value: noop, writable: true, configurable: true });
  }
  filteringClasses.set(min, Filtering);
  return Filtering;
}
