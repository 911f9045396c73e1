/**
 * The logger `getLogger()` and `wrapLogger()` return (structlog's
 * `BoundLoggerLazyProxy`): it resolves to a bound logger from the
 * configuration at first use, so a module-level logger created before
 * `configure()` still follows it.
 *
 * The resolved bound logger is cached until the configuration changes: a
 * `configure()` or `resetDefaults()` starts a new generation, and the next
 * call resolves again. A level set on the lazy logger (`log.level = "error"`)
 * is its own and survives both.
 */
import type { BoundLogger, BoundLoggerClass } from "./bound-logger.js";
import type { Configuration } from "./config.js";
import { mergeFields } from "./fields.js";
import { type LevelInput, LOG_METHODS } from "./levels.js";
import type { ChildOptions, Fields, Logger, LogMethods, ProcessorChain, WrappedLogger } from "./types.js";

/** Where a lazy logger reads the configuration, and which generation it is in. */
export interface ConfigSource {
  /** Bumped on every change of the configuration. */
  readonly generation: number;
  current(): Configuration;
}

/** What a lazy logger overrides of the configuration. */
export interface LazyOptions {
  readonly name?: string | undefined;
  readonly logger?: WrappedLogger | undefined;
  readonly initialValues: Fields;
  readonly processors?: ProcessorChain<unknown> | undefined;
  readonly wrapperClass?: BoundLoggerClass | undefined;
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

export interface LazyLogger extends LogMethods {}

/**
 * A logger that stands for the bound logger the configuration makes now.
 * Every method resolves it (cached per configuration generation) and
 * forwards the call.
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the methods are installed on the prototype below.
export class LazyLogger implements Logger {
  readonly #options: LazyOptions;
  readonly #source: ConfigSource;
  #cached: BoundLogger | undefined;
  #cachedAt = -1;
  #level: string | undefined;

  constructor(options: LazyOptions, source: ConfigSource) {
    this.#options = options;
    this.#source = source;
  }

  /** The bound logger this lazy logger stands for now. */
  resolve(): BoundLogger {
    const generation = this.#source.generation;
    if (this.#cachedAt === generation) return this.#cached as BoundLogger;
    const c = this.#source.current();
    const o = this.#options;
    const Wrapper = o.wrapperClass ?? c.wrapperClass;
    const wrapped = o.logger ?? named(c.loggerFactory(o.name), o.name);
    const bound = new Wrapper(wrapped, o.processors ?? c.processors, mergeFields(o.initialValues));
    if (this.#level !== undefined) bound.level = this.#level;
    this.#cached = bound;
    this.#cachedAt = generation;
    return bound;
  }

  get context(): Fields {
    return this.#options.initialValues;
  }
  get level(): string {
    return this.resolve().level;
  }
  set level(level: string) {
    // Validated (and applied) on the current bound logger first: an unknown level throws here, as in pino.
    this.resolve().level = level;
    this.#level = level;
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
  isEnabledFor(level: LevelInput): boolean {
    return this.resolve().isEnabledFor(level);
  }
  isLevelEnabled(level: LevelInput): boolean {
    return this.resolve().isEnabledFor(level);
  }
  log(level: LevelInput, event: string, fields?: Fields): unknown {
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
