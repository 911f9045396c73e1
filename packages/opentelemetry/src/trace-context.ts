/**
 * `addTraceContext`: the active span's ids on the line, read through
 * `@opentelemetry/api`. The API's context manager (AsyncLocalStorage, once an
 * SDK registers one) knows the active span; nothing is patched, so it works
 * the same under ESM and CommonJS.
 */
import { type EventDict, markFactory, markProcessor, type Processor } from "@structlog/core";
import { checkKey, checkOptions } from "./options.js";
import { activeSpanContext } from "./span-context.js";

/** Options for {@link addTraceContext}. */
export interface TraceContextOptions {
  /** Key of the trace id (32 hex digits). Default `"trace_id"`; ECS uses `"trace.id"`. */
  readonly traceIdKey?: string;
  /** Key of the span id (16 hex digits). Default `"span_id"`; ECS uses `"span.id"`. */
  readonly spanIdKey?: string;
  /** Key of the W3C trace flags (two hex digits, `"01"` when sampled), or `false` to leave them out. Default `"trace_flags"`. */
  readonly traceFlagsKey?: string | false;
}

const OPTION_KEYS = ["traceIdKey", "spanIdKey", "traceFlagsKey"] as const;

/** Trace flags as W3C traceparent writes them: two lowercase hex digits. */
const FLAGS_HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/**
 * Processor factory: adds `trace_id`, `span_id` and `trace_flags` of the
 * active span. Outside a span, or when the span context is invalid, it adds
 * nothing. An event that already has the trace id key (one you logged
 * yourself, say for a message from another trace) is left as it is.
 *
 * @example
 * configure({ processors: [mergeContextVars, addLogLevel, addTraceContext(), jsonRenderer()] });
 * // ECS names:
 * addTraceContext({ traceIdKey: "trace.id", spanIdKey: "span.id", traceFlagsKey: false });
 */
export function addTraceContext(options: TraceContextOptions = {}): Processor {
  checkOptions(options, "addTraceContext()", OPTION_KEYS);
  checkKey(options.traceIdKey, "addTraceContext()", "traceIdKey");
  checkKey(options.spanIdKey, "addTraceContext()", "spanIdKey");
  if (options.traceFlagsKey !== false) checkKey(options.traceFlagsKey, "addTraceContext()", "traceFlagsKey");
  const traceIdKey = options.traceIdKey ?? "trace_id";
  const spanIdKey = options.spanIdKey ?? "span_id";
  const flagsKey = options.traceFlagsKey === false ? undefined : (options.traceFlagsKey ?? "trace_flags");
  if (traceIdKey === spanIdKey || traceIdKey === flagsKey || spanIdKey === flagsKey) {
    throw new TypeError("addTraceContext(): traceIdKey, spanIdKey and traceFlagsKey must be three different keys.");
  }
  return markProcessor(function addTraceContext(_logger: unknown, _method: string, eventDict: EventDict): EventDict {
    const spanContext = activeSpanContext();
    if (spanContext === undefined || Object.hasOwn(eventDict, traceIdKey)) return eventDict;
    eventDict[traceIdKey] = spanContext.traceId;
    eventDict[spanIdKey] = spanContext.spanId;
    if (flagsKey !== undefined) eventDict[flagsKey] = FLAGS_HEX[spanContext.traceFlags & 0xff];
    return eventDict;
  });
}
markFactory(addTraceContext, "addTraceContext()");
