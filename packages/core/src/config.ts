/**
 * Global configuration: `configure()`, `getLogger()`, `wrapLogger()`.
 *
 * `getLogger()` returns a lazy logger (lazy-logger.ts) that reads the
 * configuration on first use, so module-level loggers created before
 * `configure()` still follow it. Each configuration change starts a new
 * generation, so a later `configure()` always takes effect.
 */
import { BoundLogger, type BoundLoggerClass, makeFilteringBoundLogger } from "./bound-logger.js";
import { factoryCall, isProcessor, isRenderer } from "./brand.js";
import { mergeContextVars } from "./context.js";
import { type ConfigSource, LazyLogger } from "./lazy-logger.js";
import { checkOptions, type OptionSpec } from "./options.js";
import { printLoggerFactory } from "./output/loggers.js";
import { formatExcInfo } from "./processors/exceptions.js";
import { addLoggerName, addLogLevel } from "./processors/level.js";
import { stackInfoRenderer } from "./processors/stack-info.js";
import { timeStamper } from "./processors/timestamps.js";
import { consoleRenderer } from "./renderers/console.js";
import { jsonRenderer } from "./renderers/json.js";
import { note } from "./report.js";
import type { Fields, Logger, LoggerFactory, ProcessorChain, WrappedLogger } from "./types.js";

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
  /**
   * Accepted so that structlog configurations port unchanged; it changes
   * nothing. Every logger caches its bound logger until the configuration
   * changes, which is what structlog's `True` buys, without its catch (a
   * cached structlog logger ignores a later `configure()`).
   *
   * @deprecated Loggers always cache per configuration; leave it out.
   */
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

function current(): Configuration {
  config ??= defaultConfiguration();
  return config;
}

/** What lazy loggers read; `generation` is bumped on every change, so they know their cache is stale. */
const source: ConfigSource & { generation: number } = { generation: 0, current };

const CONFIGURE_OPTIONS: OptionSpec = {
  processors: "checked by the caller",
  wrapperClass: "checked by the caller",
  loggerFactory: "function",
  cacheLoggerOnFirstUse: "boolean",
};

/** structlog `configure()` options with no equivalent here. */
const CONFIGURE_NOTES: Readonly<Record<string, string>> = {
  context_class: "contexts are always plain objects, copied on bind()",
  contextClass: "contexts are always plain objects, copied on bind()",
  logger_factory_args: "getLogger(name) passes the name to the loggerFactory",
};

/** Throws, saying what to change, unless `processors` is a chain of functions ending in a renderer. */
function validateChain(where: string, processors: unknown): void {
  if (!Array.isArray(processors) || processors.length === 0) {
    throw new TypeError(`${where} must be a non-empty array of functions ending in a renderer, e.g. [addLogLevel, jsonRenderer()].`);
  }
  processors.forEach((p, i) => {
    if (typeof p !== "function") {
      const hint =
        typeof p === "object" && p !== null
          ? ' (did you pass a factory\'s options instead of calling it, e.g. timeStamper({ fmt: "iso" })?)'
          : "";
      throw new TypeError(`${where}: item ${i} is ${p === null ? "null" : typeof p}, not a function${hint}.`);
    }
    const call = factoryCall(p);
    if (call !== undefined) throw new TypeError(`${where}: item ${i} is a factory, not a processor: call it, e.g. ${call}.`);
  });
  const lastIndex = processors.length - 1;
  const last = processors[lastIndex] as (...args: unknown[]) => unknown;
  if (isProcessor(last) || last === mergeContextVars) {
    throw new TypeError(
      `${where}: the chain ends with ${last.name || "a processor"}, which does not render; add a renderer last, e.g. jsonRenderer() or dev.consoleRenderer().`,
    );
  }
  const early = processors.findIndex((p, i) => i < lastIndex && isRenderer(p));
  if (early !== -1) {
    const after = processors.slice(early + 1).map((p: (...args: unknown[]) => unknown) => p.name || "anonymous");
    throw new TypeError(
      `${where}: item ${early} (${(processors[early] as () => unknown).name || "a renderer"}) renders, but is not last: ${after.join(", ")} after it would get its output instead of the event dict. Put the renderer last.`,
    );
  }
}

function validateWrapperClass(where: string, wrapperClass: unknown): void {
  if (typeof wrapperClass === "function" && (wrapperClass === BoundLogger || wrapperClass.prototype instanceof BoundLogger)) return;
  throw new TypeError(`${where} must be a bound logger class, e.g. makeFilteringBoundLogger("info").`);
}

function validate(options: ConfigureOptions<unknown>): void {
  checkOptions("configure()", options, CONFIGURE_OPTIONS, CONFIGURE_NOTES);
  if (options.processors !== undefined) validateChain("configure({ processors })", options.processors);
  if (options.wrapperClass !== undefined) validateWrapperClass("configure({ wrapperClass })", options.wrapperClass);
}

/**
 * Sets the global configuration. Options left out keep their current value
 * (`configure()` with none, as in structlog, only marks it configured).
 * Throws at once, with what to change, when an option is wrong.
 *
 * @example
 * configure({
 *   processors: [mergeContextVars, addLogLevel, timeStamper({ fmt: "iso" }), jsonRenderer()],
 *   wrapperClass: makeFilteringBoundLogger("info"),
 * });
 */
export function configure<R = string>(options: ConfigureArgument<R> = {} as ConfigureArgument<R>): void {
  validate(options);
  config = { ...current(), ...stripUndefined(options as ConfigureOptions<unknown>) };
  configured = true;
  source.generation++;
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
    note("configureOnce", "configureOnce() found structlog already configured and left the configuration unchanged");
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
  source.generation++;
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

/**
 * A logger named `name` (read by `addLoggerName`) with `initialValues`
 * bound. It follows the configuration, including later `configure()` calls.
 *
 * @example
 * const log = getLogger("myapp");
 * log.info("app_started", { version: "1.2.3" });
 */
export function getLogger(name?: string, initialValues: Fields = {}): Logger {
  return new LazyLogger({ name, initialValues }, source);
}

/** Options of {@link wrapLogger}: override parts of the configuration for this logger. */
export interface WrapLoggerOptions<R = string> {
  /** The chain for this logger; its renderer makes what `logger` takes. */
  readonly processors?: ProcessorChain<R>;
  readonly wrapperClass?: BoundLoggerClass;
  /** @deprecated As {@link Configuration.cacheLoggerOnFirstUse}: accepted, changes nothing. */
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
  checkOptions("wrapLogger()", options, {
    processors: "checked by the caller",
    wrapperClass: "checked by the caller",
    cacheLoggerOnFirstUse: "boolean",
    context: "object",
  });
  if (options.processors !== undefined) validateChain("wrapLogger({ processors })", options.processors);
  if (options.wrapperClass !== undefined) validateWrapperClass("wrapLogger({ wrapperClass })", options.wrapperClass);
  return new LazyLogger(
    {
      logger: logger as WrappedLogger,
      name: logger.name,
      initialValues: options.context ?? {},
      processors: options.processors,
      wrapperClass: options.wrapperClass,
    },
    source,
  );
}

export { makeFilteringBoundLogger };
