/** `otelLoggerFactory()`: wrapped loggers that emit `otelRenderer()`'s records to OpenTelemetry. */
import type { LoggerFactory, WrappedLogger } from "@structlog/core";
import { report } from "@structlog/core";
import { checkEmitterOptions, createEmitter, EMITTER_OPTION_KEYS, type Emit, type EmitterOptions } from "./emitter.js";
import type { OtelLogRecord } from "./log-record.js";
import { checkOptions } from "./options.js";
import { severityOf } from "./severity.js";

/** Options for {@link otelLoggerFactory}. */
export interface OtelLoggerFactoryOptions extends EmitterOptions {}

function isRecord(value: unknown): value is OtelLogRecord {
  return typeof value === "object" && value !== null && typeof (value as { severityNumber?: unknown }).severityNumber === "number";
}

/** Emits each record under its logger's name, the record's instrumentation scope. */
class OtelWrappedLogger implements WrappedLogger {
  readonly name: string | undefined;
  readonly #emit: Emit;

  constructor(emit: Emit, name: string | undefined) {
    this.#emit = emit;
    this.name = name;
  }

  msg(rendered: unknown, method: string): void {
    if (isRecord(rendered)) {
      this.#emit(this.name, rendered);
      return;
    }
    // A chain that ends in another renderer: the line still reaches OTel, as the body.
    report("otelLoggerFactory()", new TypeError("received a line, not a LogRecord: end the chain with otelRenderer()"));
    const severity = severityOf(method);
    this.#emit(this.name, {
      body: typeof rendered === "string" ? rendered : String(rendered),
      severityNumber: severity.number,
      severityText: severity.text,
      timestamp: Date.now(),
      attributes: {},
    } as unknown as OtelLogRecord);
  }
}

/**
 * Loggers that hand `otelRenderer()`'s records to an OpenTelemetry
 * LoggerProvider (the global one unless `loggerProvider` is given), with
 * the logger name as the instrumentation scope. Emitting never throws: a
 * broken provider is reported once on stderr.
 *
 * @example
 * configure({
 *   processors: [contextvars.mergeContextVars, otelRenderer()],
 *   loggerFactory: otelLoggerFactory({ loggerProvider }),
 * });
 */
export function otelLoggerFactory(options: OtelLoggerFactoryOptions = {}): LoggerFactory {
  checkOptions(options, "otelLoggerFactory()", EMITTER_OPTION_KEYS);
  checkEmitterOptions(options, "otelLoggerFactory()");
  const emit = createEmitter(options, "otelLoggerFactory() emit");
  return (name?: string) => new OtelWrappedLogger(emit, name);
}
