/**
 * Global configuration: `configure()`, `getLogger()`, `wrapLogger()`.
 *
 * `getLogger()` returns a lazy logger that reads the configuration on first
 * use, so module-level loggers created before `configure()` still follow it.
 * The resolved bound logger is cached (with `cacheLoggerOnFirstUse`) and the
 * cache is dropped when the configuration changes, so a later `configure()`
 * always takes effect.
 */
import {
  BoundLogger,
  type BoundLoggerClass,
  type ChildOptions,
  LOG_METHODS,
  type Logger,
  type LogMethods,
  makeFilteringBoundLogger,
} from "./bound-logger.js";
import { mergeContextVars } from "./context.js";
import { mergeFields } from "./fields.js";
import type { LevelInput } from "./levels.js";
import { printLoggerFactory } from "./output/loggers.js";
import { formatExcInfo } from "./processors/exceptions.js";
import { addLoggerName, addLogLevel } from "./processors/level.js";
import { stackInfoRenderer } from "./processors/stack-info.js";
import { timeStamper } from "./processors/timestamps.js";
import { PROCESSOR_BRAND } from "./renderers/brand.js";
import { consoleRenderer } from "./renderers/console.js";
import { jsonRenderer } from "./renderers/json.js";
import { report } from "./report.js";
import type { Fields, LoggerFactory, ProcessorChain, WrappedLogger } from "./types.js";

/**
 * The configuration, as `getConfig()` returns it. `R` is what the renderer
 * makes and the loggers of `loggerFactory` take: a line of text by default.
 */
export interface Configuration<R = unknown> {
  /** Processors, then a renderer last. */
  readonly processors: ProcessorChain<R>;
  /** The bound logger class; `makeFilteringBoundLogger(level)` makes one. */
  readonly wrapperClass: BoundLoggerClass;
  /** Makes the wrapped logger (the output) for each `getLogger(name)`. */
  readonly loggerFactory: LoggerFactory<R>;
  /** Cache the resolved logger on first use. Default `false`, as in structlog. */
  readonly cacheLoggerOnFirstUse: boolean;
}

/** What `configure()` takes: any part of the {@link Configuration}. */
export type ConfigureOptions<R = string> = Partial<Configuration<R>>;

/**
 * A chain whose renderer makes something other than a string needs a
 * `loggerFactory` whose loggers take it: the default output writes text.
 */
type ConfigureArgument<R> = ConfigureOptions<R> & ([R] extends [string] ? unknown : { readonly loggerFactory: LoggerFactory<R> });

function defaultConfiguration(): Configuration {
  const tty = process.stdout.isTTY === true;
  return {
    processors: [
      mergeContextVars,
      addLogLevel,
      addLoggerName,
      stackInfoRenderer(),
      timeStamper({ fmt: "iso" }),
      ...(tty ? [consoleRenderer()] : [formatExcInfo, jsonRenderer()]),
    ] as unknown as ProcessorChain,
    wrapperClass: BoundLogger,
    loggerFactory: printLoggerFactory(),
    cacheLoggerOnFirstUse: false,
  };
}

let config: Configuration | undefined;
let configured = false;
/** Bumped on every change, so lazy loggers know their cache is stale. */
let generation = 0;

function current(): Configuration {
  config ??= defaultConfiguration();
  return config;
}

function validate(options: ConfigureOptions<unknown>): void {
  if (options === null || typeof options !== "object")
    throw new TypeError("configure() takes an options object, e.g. configure({ processors: [...] }).");
  const known = new Set(["processors", "wrapperClass", "loggerFactory", "cacheLoggerOnFirstUse"]);
  for (const key of Object.keys(options)) {
    if (!known.has(key))
      throw new TypeError(`configure(): unknown option ${JSON.stringify(key)}; the options are ${[...known].join(", ")}.`);
  }
  const { processors, wrapperClass, loggerFactory } = options;
  if (processors !== undefined) {
    if (!Array.isArray(processors) || processors.length === 0) {
      throw new TypeError(
        "configure({ processors }) must be a non-empty array of functions ending in a renderer, e.g. [addLogLevel, jsonRenderer()].",
      );
    }
    processors.forEach((p, i) => {
      if (typeof p !== "function") {
        const hint =
          typeof p === "object" && p !== null
            ? ' (did you pass a factory\'s options instead of calling it, e.g. timeStamper({ fmt: "iso" })?)'
            : "";
        throw new TypeError(`configure({ processors }): item ${i} is ${p === null ? "null" : typeof p}, not a function${hint}.`);
      }
    });
    const last = processors[processors.length - 1] as unknown as Record<symbol, unknown>;
    if (last[PROCESSOR_BRAND] === true) {
      const name = (last as unknown as { name?: string }).name || "a processor";
      throw new TypeError(
        `configure({ processors }): the chain ends with ${name}, which does not render; add a renderer last, e.g. jsonRenderer() or dev.consoleRenderer().`,
      );
    }
  }
  if (
    wrapperClass !== undefined &&
    !(typeof wrapperClass === "function" && (wrapperClass === BoundLogger || wrapperClass.prototype instanceof BoundLogger))
  ) {
    throw new TypeError('configure({ wrapperClass }) must be a bound logger class, e.g. makeFilteringBoundLogger("info").');
  }
  if (loggerFactory !== undefined && typeof loggerFactory !== "function") {
    throw new TypeError("configure({ loggerFactory }) must be a function, e.g. printLoggerFactory().");
  }
}

/**
 * Sets the global configuration. Options left out keep their current value.
 * Throws at once, with what to change, when an option is wrong.
 *
 * @example
 * configure({
 *   processors: [mergeContextVars, addLogLevel, timeStamper({ fmt: "iso" }), jsonRenderer()],
 *   wrapperClass: makeFilteringBoundLogger("info"),
 * });
 */
export function configure<R = string>(options: ConfigureArgument<R>): void {
  validate(options);
  config = { ...current(), ...stripUndefined(options as ConfigureOptions<unknown>) };
  configured = true;
  generation++;
}

function stripUndefined(options: ConfigureOptions<unknown>): ConfigureOptions<unknown> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as ConfigureOptions<unknown>;
}

/**
 * Configures only if nothing configured yet; otherwise reports once on
 * stderr and leaves the configuration alone.
 *
 * @example
 * configureOnce({ processors: [jsonRenderer()] });
 */
export function configureOnce<R = string>(options: ConfigureArgument<R>): void {
  if (configured) {
    report("configureOnce()", new Error("already configured; configuration left unchanged"));
    return;
  }
  configure(options);
}

/**
 * Back to the defaults: a dev console on a TTY, JSON otherwise.
 *
 * @example
 * afterEach(() => resetDefaults());
 */
export function resetDefaults(): void {
  config = undefined;
  configured = false;
  generation++;
}

/** Has `configure()` been called since the last `resetDefaults()`? */
export function isConfigured(): boolean {
  return configured;
}

/** A copy of the current configuration. */
export function getConfig(): Configuration {
  const c = current();
  return { ...c, processors: [...c.processors] as unknown as ProcessorChain };
}

interface LazyOptions {
  readonly name?: string | undefined;
  readonly logger?: WrappedLogger | undefined;
  readonly initialValues: Fields;
  readonly processors?: ProcessorChain<unknown> | undefined;
  readonly wrapperClass?: BoundLoggerClass | undefined;
  readonly cacheLoggerOnFirstUse?: boolean | undefined;
}

/** Gives a factory's logger a name when it has none, so `addLoggerName` always works. */
function named(logger: WrappedLogger, name: string | undefined): WrappedLogger {
  if (name === undefined || logger.name !== undefined) return logger;
  return {
    name,
    msg: (rendered, method) => logger.msg(rendered, method),
    flush: () => (logger as { flush?: () => void }).flush?.(),
  } as WrappedLogger;
}

/**
 * The logger `getLogger()` and `wrapLogger()` return: resolves to a bound
 * logger from the configuration at first use (structlog's
 * `BoundLoggerLazyProxy`).
 */
// biome-ignore lint/correctness/noUnusedVariables: merged with the class below, to type the methods installed on its prototype.
interface LazyLogger extends LogMethods {}
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the methods are installed on the prototype below.
class LazyLogger implements Logger {
  readonly #options: LazyOptions;
  #cached: BoundLogger | undefined;
  #cachedAt = -1;

  constructor(options: LazyOptions) {
    this.#options = options;
  }

  /** The bound logger this lazy logger stands for now. */
  resolve(): BoundLogger {
    if (this.#cached !== undefined && this.#cachedAt === generation) return this.#cached;
    const c = current();
    const o = this.#options;
    const Wrapper = o.wrapperClass ?? c.wrapperClass;
    const wrapped = o.logger ?? named(c.loggerFactory(o.name), o.name);
    const bound = new Wrapper(wrapped, o.processors ?? c.processors, mergeFields(o.initialValues));
    if (o.cacheLoggerOnFirstUse ?? c.cacheLoggerOnFirstUse) {
      this.#cached = bound;
      this.#cachedAt = generation;
    }
    return bound;
  }

  get context(): Fields {
    return this.#options.initialValues;
  }
  get level(): string {
    return this.resolve().level;
  }
  set level(level: string) {
    this.resolve().level = level;
  }
  bind(fields: Fields): Logger {
    return this.resolve().bind(fields);
  }
  new(fields?: Fields): Logger {
    return this.resolve().new(fields);
  }
  unbind(...keys: string[]): Logger {
    return this.resolve().unbind(...keys);
  }
  tryUnbind(...keys: string[]): Logger {
    return this.resolve().tryUnbind(...keys);
  }
  child(bindings: Fields, options?: ChildOptions): Logger {
    return this.resolve().child(bindings, options);
  }
  bindings(): Fields {
    return this.resolve().bindings();
  }
  isEnabledFor(level: LevelInput | string): boolean {
    return this.resolve().isEnabledFor(level);
  }
  isLevelEnabled(level: LevelInput | string): boolean {
    return this.resolve().isEnabledFor(level);
  }
  log(level: LevelInput | string, event: string, fields?: Fields): unknown {
    return this.resolve().log(level, event, fields);
  }
  silent(): void {}
  flush(): void {
    this.resolve().flush();
  }
}

for (const m of LOG_METHODS) {
  const fn = function (this: LazyLogger, a?: unknown, b?: unknown, ...rest: unknown[]): unknown {
    const bound = this.resolve();
    return (bound[m] as (...args: unknown[]) => unknown).call(bound, a, b, ...rest);
  };
  Object.defineProperty(fn, "name", { value: m });
  Object.defineProperty(LazyLogger.prototype, m, { value: fn, writable: true, configurable: true });
}

/**
 * A logger named `name` (read by `addLoggerName`) with `initialValues`
 * bound. It follows the configuration, including later `configure()` calls.
 *
 * @example
 * const log = getLogger("myapp");
 * log.info("app_started", { version: "1.2.3" });
 */
export function getLogger(name?: string, initialValues: Fields = {}): Logger {
  return new LazyLogger({ name, initialValues });
}

/** Options of {@link wrapLogger}: override parts of the configuration for this logger. */
export interface WrapLoggerOptions<R = string> {
  /** The chain for this logger; its renderer makes what `logger` takes. */
  readonly processors?: ProcessorChain<R>;
  readonly wrapperClass?: BoundLoggerClass;
  readonly cacheLoggerOnFirstUse?: boolean;
  /** Initial context. */
  readonly context?: Fields;
}

/**
 * Wraps your own output logger (anything with `msg(line, method)`) in a
 * bound logger, using the configuration except where `options` override it.
 *
 * @example
 * const log = wrapLogger(new CapturingLogger(), { processors: [jsonRenderer()] });
 */
export function wrapLogger<R = string>(logger: WrappedLogger<R>, options: WrapLoggerOptions<R> = {}): Logger {
  if (logger === null || typeof logger !== "object" || typeof logger.msg !== "function") {
    throw new TypeError("wrapLogger(logger) needs an object with a msg(rendered, methodName) method, e.g. new CapturingLogger().");
  }
  if (options.processors !== undefined || options.wrapperClass !== undefined) {
    validate({ processors: options.processors, wrapperClass: options.wrapperClass });
  }
  return new LazyLogger({
    logger: logger as WrappedLogger,
    name: logger.name,
    initialValues: options.context ?? {},
    processors: options.processors,
    wrapperClass: options.wrapperClass,
    cacheLoggerOnFirstUse: options.cacheLoggerOnFirstUse,
  });
}

export { makeFilteringBoundLogger };
