/**
 * Handing records to an OpenTelemetry LoggerProvider: the global one (read
 * at each call, so a provider registered after `configure()` is used) or one
 * passed in. A provider that throws, or returns a broken Logger, is reported
 * once on stderr; the log call goes on.
 */
import * as api from "@opentelemetry/api";
import { logs as apiLogs, type LoggerProvider, type Logger as OtelLogger } from "@opentelemetry/api-logs";
import { report } from "@structlog/core";
import { flushAtExit } from "./exit-flush.js";
import type { OtelLogRecord } from "./log-record.js";

/**
 * The Logs API that holds the global LoggerProvider. From 1.10 on,
 * `@opentelemetry/api` has its own (the SDK 3 line registers its provider
 * there); before, only `@opentelemetry/api-logs` has one (the SDK 2 line).
 * The two keep separate globals, so reading the wrong one finds no provider
 * and every record would go to a no-op.
 */
const globalLogs: { getLoggerProvider(): LoggerProvider } = (api as unknown as { logs?: typeof apiLogs }).logs ?? apiLogs;

/** Where records go. */
export interface EmitterOptions {
  /** The provider to emit to. Default: the global one, set by the SDK (`logs.setGlobalLoggerProvider()` of `@opentelemetry/api` 1.10+, else of `@opentelemetry/api-logs`). */
  readonly loggerProvider?: LoggerProvider;
  /** The instrumentation scope of a logger without a name. Default `"@structlog/opentelemetry"`. */
  readonly defaultScopeName?: string;
}

export const EMITTER_OPTION_KEYS = ["loggerProvider", "defaultScopeName"] as const;

/** Emits a record for the logger `name` (its instrumentation scope). */
export type Emit = (name: string | undefined, record: OtelLogRecord) => void;

export function checkEmitterOptions(options: EmitterOptions, where: string): void {
  const provider = options.loggerProvider;
  if (provider !== undefined && (provider === null || typeof (provider as { getLogger?: unknown }).getLogger !== "function")) {
    throw new TypeError(`${where}: loggerProvider must be an OpenTelemetry LoggerProvider (with getLogger()), e.g. new LoggerProvider().`);
  }
  const scope = options.defaultScopeName;
  if (scope !== undefined && (typeof scope !== "string" || scope === "")) {
    throw new TypeError(`${where}: defaultScopeName must be a non-empty string.`);
  }
}

/**
 * How deep emits may nest. A record logged while another is being emitted
 * (a LogRecordProcessor or exporter of the app's that logs through
 * structlog, or OTel's diag routed to it) is emitted too; past this depth it
 * is a loop, which would otherwise recurse until the stack overflows.
 */
const MAX_NESTED_EMITS = 3;
let nested = 0;

/** Makes the emit function: OTel Loggers are looked up once per scope name and provider. */
export function createEmitter(options: EmitterOptions, where: string): Emit {
  const fixed = options.loggerProvider;
  const defaultScope = options.defaultScopeName ?? "@structlog/opentelemetry";
  // The SDK keeps its Loggers per name too; this saves building its key on every line.
  const cache = new Map<string, { provider: LoggerProvider; logger: OtelLogger }>();
  const loggerFor = (scope: string): OtelLogger => {
    const provider = fixed ?? globalLogs.getLoggerProvider();
    flushAtExit(provider);
    const cached = cache.get(scope);
    if (cached !== undefined && cached.provider === provider) return cached.logger;
    const logger = provider.getLogger(scope);
    if (logger === null || typeof logger !== "object" || typeof logger.emit !== "function") {
      throw new TypeError(`the LoggerProvider's getLogger(${JSON.stringify(scope)}) returned no Logger with emit()`);
    }
    cache.set(scope, { provider, logger });
    return logger;
  };
  return (name, record) => {
    if (nested > MAX_NESTED_EMITS) {
      report(
        "the OpenTelemetry bridge",
        new Error(
          `a record logged while emitting one, ${nested} deep, is a loop (a processor or exporter that logs through structlog): dropped`,
        ),
      );
      return;
    }
    nested++;
    try {
      loggerFor(name === undefined || name === "" ? defaultScope : name).emit(record);
    } catch (e) {
      report(where, e);
    } finally {
      nested--;
    }
  };
}
