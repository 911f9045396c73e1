/** `otelRenderer()`: the chain end that turns the event into an OpenTelemetry LogRecord. */
import { type Context, context, ROOT_CONTEXT } from "@opentelemetry/api";
import type { EventDict, Renderer, WrappedLogger } from "@structlog/core";
import { markFactory, markRenderer, report } from "@structlog/core";
import { type ConvertOptions, type OtelLogRecord, toLogRecord } from "./log-record.js";
import { checkOptions, resolveMaxStringLength } from "./options.js";
import { severityOf } from "./severity.js";

/** Options for {@link otelRenderer} (and the conversion in {@link otelTee}). */
export interface OtelRendererOptions {
  /** Strings longer than this, at any depth, are cut (`...[N more characters]`). Default 32,768, as core's renderers; `Infinity` for no limit. */
  readonly maxStringLength?: number;
}

export const RENDERER_OPTION_KEYS = ["maxStringLength"] as const;

export function resolveRendererOptions(options: OtelRendererOptions, where: string): ConvertOptions {
  return { maxStringLength: resolveMaxStringLength(options.maxStringLength, where) };
}

function activeContext(): Context {
  try {
    return context.active();
  } catch {
    return ROOT_CONTEXT;
  }
}

/**
 * The record written when conversion itself failed (an event dict that cannot
 * even be enumerated): the event's level and a note, so no call is lost.
 */
export function fallbackRecord(method: string): OtelLogRecord {
  const severity = severityOf(method);
  return {
    body: "[unrenderable event]",
    severityNumber: severity.number,
    severityText: severity.text,
    timestamp: Date.now(),
    // What went wrong is reported once on stderr.
    attributes: { structlog_error: "the event could not be converted" },
    context: activeContext(),
  };
}

/** Converts, never throwing: a failure is reported once and gives {@link fallbackRecord}. */
export function convertSafely(
  eventDict: EventDict,
  method: string,
  name: string | undefined,
  options: ConvertOptions,
  where: string,
): OtelLogRecord {
  try {
    return toLogRecord(eventDict, method, name, options);
  } catch (e) {
    report(where, e);
    return fallbackRecord(method);
  }
}

/**
 * Renderer: the event as an OpenTelemetry LogRecord, for
 * {@link otelLoggerFactory}'s loggers to emit. `body` is the event,
 * `severityNumber` and `severityText` come from the level (trace 1, debug 5,
 * info 9, warning 13, error 17, critical 21), `timestamp` is the event's
 * (timeStamper's, when the chain has one) or now, `context` the active one
 * (so the SDK attaches the trace and span ids), and every other field an
 * attribute; an Error becomes `exception.type`, `exception.message` and
 * `exception.stacktrace`.
 *
 * @example
 * configure({
 *   processors: [contextvars.mergeContextVars, otelRenderer()],
 *   loggerFactory: otelLoggerFactory(),
 * });
 */
export function otelRenderer(options: OtelRendererOptions = {}): Renderer<OtelLogRecord> {
  checkOptions(options, "otelRenderer()", RENDERER_OPTION_KEYS);
  const resolved = resolveRendererOptions(options, "otelRenderer()");
  return markRenderer(function otelRenderer(logger: WrappedLogger, method: string, eventDict: EventDict): OtelLogRecord {
    return convertSafely(eventDict, method, logger.name, resolved, "otelRenderer()");
  });
}
markFactory(otelRenderer, "otelRenderer()");
