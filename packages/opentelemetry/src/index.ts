/**
 * @structlog/opentelemetry: trace ids on every line (`addTraceContext`), and
 * the OpenTelemetry Logs bridge (`otelRenderer`, `otelLoggerFactory`,
 * `otelTee`).
 *
 * @example
 * import { configure, contextvars, processors } from "@structlog/core";
 * import { addTraceContext } from "@structlog/opentelemetry";
 * configure({ processors: [contextvars.mergeContextVars, processors.addLogLevel, addTraceContext(), processors.jsonRenderer()] });
 */
export type { EmitterOptions } from "./emitter.js";
export { MAX_ATTRIBUTES, type OtelLogRecord } from "./log-record.js";
export { type OtelLoggerFactoryOptions, otelLoggerFactory } from "./logger-factory.js";
export { type OtelRendererOptions, otelRenderer } from "./renderer.js";
export { type OtelTeeOptions, otelTee } from "./tee.js";
export { addTraceContext, type TraceContextOptions } from "./trace-context.js";
