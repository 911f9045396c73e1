/**
 * The immutable bound logger: a context, a wrapped logger and a processor
 * chain. `bind()` returns a new logger; a log call builds the event dict,
 * runs it through the chain and hands the result to the wrapped logger, all
 * in {@link emit}, the one per-call path. Nothing here ever throws out of a
 * log call.
 */
import { buildEventDict, errorText } from "./call-arguments.js";
import { type CompiledLogger, compiledLine, compileLogger, planHolds } from "./compiled-chain.js";
import { noteNoException } from "./exception-format.js";
import { mergeFields } from "./fields.js";
import { safeStringify } from "./json-line.js";
import { type LevelInput, LOG_METHODS, levelToNumber, METHOD_LEVELS, type MethodName, methodForLevel, pinoLevelName } from "./levels.js";
import { report } from "./report.js";
import { currentControl, type ScopeControl, scopeHook } from "./scope-hook.js";
import {
  type ChildOptions,
  DropEvent,
  type EventDict,
  type Fields,
  type Logger,
  type LogMethod,
  type LogMethods,
  type Processor,
  type WrappedLogger,
} from "./types.js";

/**
 * @internal Processors that run before every chain, process-wide, bound
 * loggers made earlier included. Empty except while `captureLogs()` is active
 * (testing.ts installs its capture processor here), so a log call pays one
 * length check for it.
 */
export const globalPreChain: Processor[] = [];

function processorName(fn: unknown): string {
  const name = typeof fn === "function" ? fn.name : "";
  return name === "" ? "anonymous processor" : `processor ${name}`;
}

type Step = (logger: WrappedLogger, method: string, value: unknown) => unknown;

/**
 * The per-call path: runs the chain over the event dict and hands the result
 * to the wrapped logger. A processor that throws, or returns nothing or a
 * Promise, is reported once; the line is still written, as safe JSON with a
 * `structlog_error` field, so no call is lost.
 */
function emit(self: BoundLogger, method: string, eventDict: EventDict, hold?: ScopeControl): unknown {
  const logger = self._logger;
  let chain: readonly unknown[] = self._processors;
  if (globalPreChain.length !== 0) chain = [...globalPreChain, ...chain];
  let value: unknown = eventDict;
  let i = 0;
  try {
    for (; i < chain.length; i++) {
      value = (chain[i] as Step)(logger, method, value);
      if (value === DropEvent) return undefined;
      if (value === undefined || value === null || value instanceof Promise) throw notTheEventDict(value);
    }
  } catch (e) {
    report(processorName(chain[i]), e);
    value = fallbackLine(eventDict, `${processorName(chain[i])} threw: ${errorText(e)}`);
  }
  try {
    return hold === undefined ? logger.msg(value, method) : hold.hold(logger, value, method);
  } catch (e) {
    report("the wrapped logger", e);
    return undefined;
  }
}

/**
 * The error for a step that returned nothing, or a Promise: never a valid
 * result, so the step that did it is blamed rather than the next one. A
 * Promise's rejection is handled here, since nobody else will await it.
 */
function notTheEventDict(value: unknown): TypeError {
  if (value instanceof Promise) {
    value.catch(() => undefined);
    return new TypeError(
      "it returned a Promise: processors run synchronously, so an async one loses the event; do the async work before logging",
    );
  }
  return new TypeError(`it returned ${value}, not the event dict: return eventDict (or DropEvent)`);
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

/** {@link emit} for a call its scope holds: the chain runs as usual, and the output is kept instead of written. */
function emitHeld(self: BoundLogger, method: string, eventDict: EventDict, control: ScopeControl): unknown {
  const previous = scopeHook.holding;
  scopeHook.holding = control;
  try {
    return emit(self, method, eventDict, control);
  } finally {
    scopeHook.holding = previous;
  }
}

/** A call inside a scope with log control (scope-control.ts), past the level check. */
function emitControlled(self: BoundLogger, method: MethodName, eventDict: EventDict, control: ScopeControl): unknown {
  return control.admit(METHOD_LEVELS[method] as number) ? emitHeld(self, method, eventDict, control) : emit(self, method, eventDict);
}

/** Returned by {@link compiledCall} when the call takes the general path. */
const GENERAL = Symbol("general path");

/**
 * A call through the compiled chain (compiled-chain.ts): the same line as
 * the general path, written without an event dict; {@link GENERAL} when
 * this call or this logger's chain needs the general path.
 */
function compiledCall(self: BoundLogger, method: string, event: string, b: unknown): unknown {
  // captureLogs() (testing.ts) runs its processor before every chain: its callers see the event dict.
  if (globalPreChain.length !== 0) return GENERAL;
  let compiled = self._compiled;
  if (compiled === undefined) {
    compiled = compileLogger(self._processors, self._context);
    self._compiled = compiled;
  }
  if (compiled === null || !planHolds(compiled.plan, self._processors)) return GENERAL;
  let line: string | undefined;
  try {
    line = compiledLine(compiled, method, event, b);
  } catch {
    // A getter or a proxy in the fields: the general path reports what it can.
    return GENERAL;
  }
  if (line === undefined) return GENERAL;
  try {
    return self._logger.msg(line, method);
  } catch (e) {
    report("the wrapped logger", e);
    return undefined;
  }
}

/**
 * Every log call at an enabled level comes here, from the methods on the
 * prototype: the one place a check that applies to every call (a
 * request-scoped level, say) goes, before any work is done. Levels below
 * the logger's take the filtered methods (makeMethod) and never get here.
 */
function logCall(self: BoundLogger, method: MethodName, a: unknown, b: unknown, rest: unknown[]): unknown {
  // In a scope with log control (scope-control.ts), always the general path: the compiled chain writes
  // its line at once, and the control must be able to drop it (the scope's level) or hold it.
  const control = scopeHook.active === 0 ? undefined : currentControl();
  if (control !== undefined) return controlledCall(self, method, a, b, rest, control);
  if (method === "exception") {
    const eventDict = buildEventDict(self._context, a, b, rest);
    if (eventDict.exc_info === undefined || eventDict.exc_info === true) noteNoException();
    return emit(self, method, eventDict);
  }
  if (typeof a === "string" && rest.length === 0) {
    const done = compiledCall(self, method, a, b);
    if (done !== GENERAL) return done;
  }
  return emit(self, method, buildEventDict(self._context, a, b, rest));
}

/** A call at the logger's level or above inside a scope with log control: the scope's level, then hold or write. */
function controlledCall(self: BoundLogger, method: MethodName, a: unknown, b: unknown, rest: unknown[], control: ScopeControl): unknown {
  if ((METHOD_LEVELS[method] as number) < control.floor) return undefined;
  const eventDict = buildEventDict(self._context, a, b, rest);
  if (method === "exception" && (eventDict.exc_info === undefined || eventDict.exc_info === true)) noteNoException();
  return emitControlled(self, method, eventDict, control);
}

const NO_REST: unknown[] = [];

/**
 * A logging method. `filtered` is the one installed below the logger's
 * level: a no-op unless a scope's control lowers the level (`scopeHook.active`
 * is 0 while no such scope is open, so it stays one comparison).
 */
function makeMethod(method: MethodName, filtered = false): LogMethod {
  const level = METHOD_LEVELS[method] as number;
  const exception = method === "exception";
  // `arguments` rather than a rest parameter: the usual call, one or two
  // arguments, then allocates no array. (logCall never changes `rest`.)
  const fn = filtered
    ? function (this: BoundLogger, a?: unknown, b?: unknown): unknown {
        if (scopeHook.active === 0) return undefined;
        const control = currentControl();
        if (control === undefined || level < control.lift) return undefined;
        // biome-ignore lint/complexity/noArguments: no rest parameter, which would allocate on every filtered call.
        const rest = arguments.length <= 2 ? NO_REST : Array.prototype.slice.call(arguments, 2);
        const eventDict = buildEventDict(this._context, a, b, rest);
        if (exception && (eventDict.exc_info === undefined || eventDict.exc_info === true)) noteNoException();
        return emitControlled(this, method, eventDict, control);
      }
    : function (this: BoundLogger, a?: unknown, b?: unknown): unknown {
        // biome-ignore lint/complexity/noArguments: see above.
        return logCall(this, method, a, b, arguments.length <= 2 ? NO_REST : Array.prototype.slice.call(arguments, 2));
      };
  Object.defineProperty(fn, "name", { value: method });
  return fn as LogMethod;
}

function safeLevelText(level: unknown): string {
  try {
    return JSON.stringify(String(level)).slice(0, 80);
  } catch {
    return "(unprintable)";
  }
}

/** The methods installed below a logger's level, shared by every class and instance. */
const FILTERED: Readonly<Record<string, LogMethod>> = Object.fromEntries(LOG_METHODS.map((m) => [m, makeMethod(m, true)]));

/**
 * The same, as true no-ops: what the filtering classes' prototypes hold
 * until the first control scope opens in this process, so that a disabled
 * call costs a call and nothing more (as pino's does). Then every
 * prototype in {@link silentPrototypes} gets the checking methods, for good.
 * (A per-instance level, `log.level = "warn"`, installs the checking ones at once.)
 */
const SILENT: Readonly<Record<string, LogMethod>> = Object.fromEntries(
  LOG_METHODS.map((m) => {
    const fn = (): undefined => undefined;
    Object.defineProperty(fn, "name", { value: m });
    return [m, fn as unknown as LogMethod];
  }),
);
const silentPrototypes: { target: object; min: number }[] = [];
let controlOpened = false;

scopeHook.opened = () => {
  if (controlOpened) return;
  controlOpened = true;
  for (const { target, min } of silentPrototypes.splice(0)) installFiltered(target, min, FILTERED);
};

function installFiltered(target: object, min: number, filtered: Readonly<Record<string, LogMethod>>): void {
  for (const m of LOG_METHODS) {
    if ((METHOD_LEVELS[m] as number) < min) Object.defineProperty(target, m, { value: filtered[m], writable: true, configurable: true });
  }
}

/** Installs each logging method on `target`: the real one at `min` and above, the shared filtered one below. */
function installMethods(target: object, min: number, real: (m: MethodName) => unknown, prototype = false): void {
  for (const m of LOG_METHODS) {
    if ((METHOD_LEVELS[m] as number) >= min) Object.defineProperty(target, m, { value: real(m), writable: true, configurable: true });
  }
  const silent = prototype && !controlOpened;
  if (silent) silentPrototypes.push({ target, min });
  installFiltered(target, min, silent ? SILENT : FILTERED);
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
  /** @internal The compiled chain's state for this logger (compiled-chain.ts): made at the first call, `null` when its lines take the general path. */
  _compiled: CompiledLogger | null | undefined;
  #minLevel: number | undefined;

  constructor(logger: WrappedLogger, processors: readonly unknown[], context: Fields) {
    this._logger = logger;
    this._processors = processors;
    this._context = context;
    this._compiled = undefined;
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
    const own = this.#minLevel ?? (this.constructor as typeof BoundLogger).minLevel;
    const control = scopeHook.active === 0 ? undefined : currentControl();
    // A scope's level replaces the logger's: clamped, it is the logger's own when the scope sets none.
    return control === undefined ? own : Math.min(Math.max(own, control.floor), control.lift);
  }

  isEnabledFor(level: LevelInput): boolean {
    try {
      return levelToNumber(level) >= this.#effectiveLevel();
    } catch {
      return false;
    }
  }

  isLevelEnabled(level: LevelInput): boolean {
    return this.isEnabledFor(level);
  }

  get level(): string {
    return pinoLevelName(this.#effectiveLevel());
  }

  /** pino-style: changes this logger's level (and its future children's). */
  set level(level: string) {
    const min = levelToNumber(level);
    this.#minLevel = min;
    const proto = BoundLogger.prototype as unknown as Record<MethodName, unknown>;
    installMethods(this, min, (m) => proto[m]);
  }

  log(level: LevelInput, event: string, fields?: Fields): unknown {
    let n: number;
    try {
      n = levelToNumber(level);
    } catch (e) {
      // A log call never throws: the line is kept, at info, and says why.
      const why = `log(): unknown level ${safeLevelText(level)}, logged at info`;
      report(`log(${safeLevelText(level)})`, e);
      n = METHOD_LEVELS.info as number;
      fields = { ...fields, structlog_error: why };
    }
    if (n < this.#effectiveLevel()) return undefined;
    return (this[methodForLevel(n)] as (e: string, f?: Fields) => unknown)(event, fields);
  }

  silent(): void {}

  flush(): void {
    const target = this._logger as { flush?: () => void };
    if (typeof target.flush === "function") target.flush();
  }
}

installMethods(BoundLogger.prototype, Number.NEGATIVE_INFINITY, (m) => makeMethod(m));

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
export function makeFilteringBoundLogger(level: LevelInput): BoundLoggerClass {
  const min = levelToNumber(level);
  const cached = filteringClasses.get(min);
  if (cached !== undefined) return cached;
  const name = `BoundLoggerFilteringAt${pinoLevelName(min).replace(/^./, (c) => c.toUpperCase())}`;
  const Filtering = { [name]: class extends BoundLogger {} }[name] as BoundLoggerClass;
  Object.defineProperty(Filtering, "minLevel", { value: min });
  const proto = BoundLogger.prototype as unknown as Record<MethodName, unknown>;
  installMethods(Filtering.prototype, min, (m) => proto[m], true);
  filteringClasses.set(min, Filtering);
  return Filtering;
}
