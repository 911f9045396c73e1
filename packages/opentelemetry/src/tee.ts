/** `otelTee()`: JSON (or any renderer) to stdout and the same events to OpenTelemetry. */
import { type EventDict, markFactory, markProcessor, type Processor, type WrappedLogger } from "@structlog/core";
import { checkEmitterOptions, createEmitter, EMITTER_OPTION_KEYS, type EmitterOptions } from "./emitter.js";
import { checkOptions } from "./options.js";
import { convertSafely, type OtelRendererOptions, RENDERER_OPTION_KEYS, resolveRendererOptions } from "./renderer.js";

/** Options for {@link otelTee}: where the records go, and how they are converted. */
export interface OtelTeeOptions extends EmitterOptions, OtelRendererOptions {}

/**
 * Processor: hands the event, as `otelRenderer()` would make it, to
 * OpenTelemetry, and passes the event dict on unchanged to the rest of the
 * chain. Put it just before the renderer, so the record and the line carry
 * the same fields. Never throws.
 *
 * @example
 * configure({
 *   processors: [contextvars.mergeContextVars, processors.addLogLevel, processors.timeStamper({ fmt: "iso" }),
 *     addTraceContext(), otelTee(), processors.jsonRenderer()],
 * });
 */
export function otelTee(options: OtelTeeOptions = {}): Processor {
  checkOptions(options, "otelTee()", [...EMITTER_OPTION_KEYS, ...RENDERER_OPTION_KEYS]);
  checkEmitterOptions(options, "otelTee()");
  const convert = resolveRendererOptions(options, "otelTee()");
  const emit = createEmitter(options, "otelTee() emit");
  return markProcessor(function otelTee(logger: WrappedLogger, method: string, eventDict: EventDict): EventDict {
    emit(logger.name, convertSafely(eventDict, method, logger.name, convert, "otelTee()"));
    return eventDict;
  });
}
markFactory(otelTee, "otelTee()");
