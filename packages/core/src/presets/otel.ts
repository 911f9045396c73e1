/**
 * `presets.otel()`: JSON lines in the OpenTelemetry log data model's field
 * names, for a collector's filelog receiver (docs/presets.md has the
 * receiver's configuration).
 */

import { formatException } from "../exception-format.js";
import { defineField } from "../fields.js";
import type { LevelName } from "../levels.js";
import { isError, serializeError } from "../serialize.js";
import { str } from "../text.js";
import type { EventDict, ProcessorChain } from "../types.js";
import {
  checkPresetOptions,
  DEFAULT_REQUEST_EVENTS,
  errorKeyOf,
  isRequestEvent,
  levelOf,
  type PresetOptions,
  presetChain,
  shapeStep,
} from "./shared.js";

/** OpenTelemetry severity numbers: the first of each range (TRACE 1-4 ... FATAL 21-24). */
export const OTEL_SEVERITY: Readonly<Record<LevelName, number>> = Object.freeze({
  trace: 1,
  debug: 5,
  info: 9,
  warning: 13,
  error: 17,
  critical: 21,
});

/** Options for {@link otel}. */
export interface OtelPresetOptions extends Omit<PresetOptions, "base"> {
  /** `Resource` attributes on every line, e.g. `{ "service.name": "shop" }`. Default: none. */
  readonly resource?: Readonly<Record<string, unknown>>;
}

/** The request line's fields as OpenTelemetry semantic-convention attributes. */
const REQUEST_ATTRIBUTES: Readonly<Record<string, string>> = Object.freeze({
  method: "http.request.method",
  path: "url.path",
  route: "http.route",
  status_code: "http.response.status_code",
  response_size: "http.response.body.size",
  remote_address: "client.address",
});

/** `exception.type`, `exception.message`, `exception.stacktrace` (with causes), as OTel's semantic conventions. */
function exceptionAttributes(error: unknown, attributes: EventDict): void {
  if (!isError(error)) {
    attributes["exception.message"] = typeof error === "string" ? error : str(error);
    return;
  }
  const shaped = serializeError(error);
  attributes["exception.type"] = shaped.type;
  attributes["exception.message"] = shaped.message;
  attributes["exception.stacktrace"] = formatException(error);
}

/**
 * JSON lines in the OpenTelemetry log data model: `Timestamp` (nanoseconds
 * since the epoch, as a string), `SeverityText` (the level name),
 * `SeverityNumber` (trace 1, debug 5, info 9, warning 13, error 17,
 * critical 21), `Body` (the event), `Resource`, `InstrumentationScope`
 * (`{ Name }`, the logger name), `TraceId`, `SpanId` and `TraceFlags` (from
 * `addTraceContext()`), and `Attributes`: every other field, an Error as
 * `exception.*`, `user_id` as `user.id`, and the request line's fields as
 * semantic-convention names (`http.request.method`, `url.path`,
 * `http.route`, `http.response.status_code`, `http.response.body.size`,
 * `client.address`). A processor chain: pass it to `configure()`.
 *
 * @example
 * configure({ processors: presets.otel({ resource: { "service.name": "shop" }, processors: [addTraceContext()] }) });
 * // {"Timestamp":"1777716000000000000","SeverityText":"info","SeverityNumber":9,"Body":"user_login",...}
 */
export function otel(options: OtelPresetOptions = {}): ProcessorChain {
  checkPresetOptions(options, "presets.otel()", ["resource"]);
  if ("base" in options) throw new TypeError('presets.otel(): use resource (e.g. { "service.name": "shop" }) instead of base.');
  const resource = options.resource;
  if (resource !== undefined && (resource === null || typeof resource !== "object" || Array.isArray(resource))) {
    throw new TypeError('presets.otel(): resource must be an object of attributes, e.g. { "service.name": "shop" }.');
  }
  const requestEvents = new Set(options.requestEvents ?? DEFAULT_REQUEST_EVENTS);
  const shape = shapeStep("otel", (logger, method, ed) => {
    const level = levelOf(method);
    const name = logger.name;
    // The data model's timestamps are nanoseconds; as a string, since they pass 2^53.
    const out: EventDict = { Timestamp: `${Date.now()}000000`, SeverityText: level, SeverityNumber: OTEL_SEVERITY[level] };
    if (ed.event !== undefined) out.Body = ed.event;
    if (resource !== undefined) out.Resource = resource;
    if (name !== undefined && name !== "") out.InstrumentationScope = { Name: name };
    if (typeof ed.trace_id === "string") {
      out.TraceId = ed.trace_id;
      if (ed.span_id !== undefined) out.SpanId = ed.span_id;
      if (ed.trace_flags !== undefined) out.TraceFlags = ed.trace_flags;
    }
    const attributes: EventDict = {};
    const errorKey = errorKeyOf(ed);
    const isRequest = isRequestEvent(ed, requestEvents);
    const traceKeys = out.TraceId !== undefined;
    for (const key of Object.keys(ed)) {
      const value = ed[key];
      if (value === undefined || key === "event" || key === errorKey || key === "exc_info") continue;
      if ((key === "level" && value === level) || (key === "logger" && value === name)) continue;
      if (traceKeys && (key === "trace_id" || key === "span_id" || key === "trace_flags")) continue;
      if (key === "user_id") attributes["user.id"] = value;
      else if (key === "exception" && typeof value === "string" && errorKey === undefined) attributes["exception.stacktrace"] = value;
      else if (isRequest && Object.hasOwn(REQUEST_ATTRIBUTES, key)) attributes[REQUEST_ATTRIBUTES[key] as string] = value;
      else defineField(attributes, key, value);
    }
    if (errorKey !== undefined) exceptionAttributes(ed[errorKey], attributes);
    out.Attributes = attributes;
    return out;
  });
  return presetChain(options, [shape]);
}
