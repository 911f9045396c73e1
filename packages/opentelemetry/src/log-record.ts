/**
 * An event dict as an OpenTelemetry LogRecord: the event is the body, the
 * level the severity, the remaining fields attributes (nested values kept as
 * AnyValue maps and arrays), an Error `exception.*` attributes as in OTel's
 * semantic conventions. Every value goes through core's `toJsonSafe` (see
 * any-value.ts), so cycles, BigInts, symbols, throwing getters and huge
 * values are rendered safely, at bounded cost, and the record never shares
 * an object with the caller (an exporter may send it later).
 */
import { type Context, context, trace } from "@opentelemetry/api";
import type { AnyValue, AnyValueMap, LogRecord, SeverityNumber } from "@opentelemetry/api-logs";
import { type EventDict, processors, serializeError, toJsonSafe } from "@structlog/core";
import { renamedKey, toAnyValue } from "./any-value.js";
import { severityOf } from "./severity.js";
import { isValid } from "./span-context.js";

/** The LogRecord a structlog event becomes: what `otelRenderer()` returns. */
export interface OtelLogRecord extends LogRecord {
  readonly body?: AnyValue;
  readonly severityNumber: SeverityNumber;
  readonly severityText: string;
  /** Milliseconds since the epoch. */
  readonly timestamp: number;
  readonly attributes: AnyValueMap;
  /** The context active at the log call: the SDK takes the trace and span ids from it. */
  readonly context: Context;
}

/** The attribute name of a field whose key is the empty string. */
export const EMPTY_KEY = "[empty key]";

/** How many fields become attributes; past it, one `structlog.dropped_attributes` attribute counts the rest. */
export const MAX_ATTRIBUTES = 1000;

// ISO 8601 as timeStamper({ fmt: "iso" }) writes it, in UTC or with an offset.
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

// Unix seconds below this (the year 5138) are timeStamper's `"unix"`; a larger
// number is most likely epoch milliseconds (`Date.now()`), which read as
// seconds would date the record 1000 times too late.
const MAX_UNIX_SECONDS = 1e11;

/**
 * The event's `timestamp` in epoch milliseconds, when it is one that
 * timeStamper wrote (`"unix"` seconds or `"iso"`), so a line and its record
 * carry the same time; otherwise `undefined` (the field stays an attribute).
 */
function timestampOf(value: unknown): number | undefined {
  if (typeof value === "number") return value > 0 && value < MAX_UNIX_SECONDS ? value * 1000 : undefined;
  if (typeof value === "string" && ISO.test(value)) {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? undefined : ms;
  }
  return undefined;
}

function isError(value: unknown): value is Error {
  try {
    return value instanceof Error || Object.prototype.toString.call(value) === "[object Error]";
  } catch {
    return false;
  }
}

function readField(eventDict: EventDict, key: string): unknown {
  try {
    return eventDict[key];
  } catch (e) {
    return e;
  }
}

/** A value as a string attribute: a string as it is (cut at `max`), anything else as its safe JSON. */
function asText(value: unknown, max: number): string {
  if (typeof value === "string") return toJsonSafe(value, max) as string;
  return JSON.stringify(toJsonSafe(value, max)) ?? "undefined";
}

/** `exception.type`, `exception.message` and `exception.stacktrace` (the stack, with each cause). */
function exceptionAttributes(error: unknown, max: number, attributes: AnyValueMap): void {
  if (!isError(error)) {
    // A thrown value that is not an Error (`throw "no"`): all it has is a message.
    attributes["exception.message"] = asText(error, max);
    return;
  }
  const shaped = serializeError(error);
  attributes["exception.type"] = asText(shaped.type ?? "Error", max);
  attributes["exception.message"] = asText(shaped.message ?? "", max);
  attributes["exception.stacktrace"] = asText(processors.formatException(error), max);
}

/**
 * The key of the error that becomes `exception.*`: `exc_info` (unless it is
 * `true`, `false` or `null`, which name no exception in JavaScript), or else
 * the first field that holds an Error (`err`, `error`, ...).
 */
function exceptionKey(eventDict: EventDict, keys: readonly string[]): string | undefined {
  const excInfo = readField(eventDict, "exc_info");
  if (excInfo !== undefined && excInfo !== null && typeof excInfo !== "boolean") return "exc_info";
  return keys.find((key) => isError(readField(eventDict, key)));
}

/**
 * The attribute name of a field: OTel has no empty attribute key (the SDK
 * drops one), and the SDK's `attributes[key] = value` would turn a
 * `__proto__` field into the prototype of its attributes.
 */
function attributeKey(key: string): string {
  if (key === "") return EMPTY_KEY;
  return key === "__proto__" ? renamedKey(key) : key;
}

/** Options of the conversion, resolved. */
export interface ConvertOptions {
  readonly maxStringLength: number;
}

/**
 * Converts `eventDict` (not changed) to an {@link OtelLogRecord}. `name` is
 * the logger's name: a `logger` field equal to it (what addLoggerName adds)
 * is the instrumentation scope, not an attribute. Never throws for any
 * value inside the event dict.
 */
export function toLogRecord(eventDict: EventDict, method: string, name: string | undefined, options: ConvertOptions): OtelLogRecord {
  const max = options.maxStringLength;
  const severity = severityOf(method);
  const active = context.active();
  const spanContext = trace.getSpanContext(active);
  const traceIds = spanContext !== undefined && isValid(spanContext) ? spanContext : undefined;
  // addTraceContext's fields repeat what the record's context carries, unless they name another trace.
  const sameTrace = traceIds !== undefined && readField(eventDict, "trace_id") === traceIds.traceId;
  const keys = Object.keys(eventDict);
  const errorKey = exceptionKey(eventDict, keys);
  const attributes: AnyValueMap = {};
  let timestamp: number | undefined;
  let count = 0;
  for (const key of keys) {
    const value = readField(eventDict, key);
    if (key === "event" || key === errorKey || key === "exc_info" || value === undefined) continue;
    // What addLogLevel, addLoggerName, timeStamper and addTraceContext wrote is
    // already in the record's severity, scope, timestamp and span context.
    if (key === "level" && value === severity.text) continue;
    if (key === "logger" && value === name) continue;
    if (key === "timestamp" && timestamp === undefined) {
      timestamp = timestampOf(value);
      if (timestamp !== undefined) continue;
    }
    if (sameTrace && (key === "trace_id" || key === "span_id" || key === "trace_flags")) continue;
    // formatExcInfo ran before us: its text is the stack trace.
    if (key === "exception" && typeof value === "string" && errorKey === undefined) {
      attributes["exception.stacktrace"] = asText(value, max);
      continue;
    }
    if (++count > MAX_ATTRIBUTES) continue;
    const safe = toAnyValue(value, max);
    // A toJSON() that returns undefined: left out, as JSON leaves it out.
    if (safe === undefined) continue;
    attributes[attributeKey(key)] = safe;
  }
  if (count > MAX_ATTRIBUTES) attributes["structlog.dropped_attributes"] = count - MAX_ATTRIBUTES;
  if (errorKey !== undefined) exceptionAttributes(readField(eventDict, errorKey), max, attributes);
  const event = readField(eventDict, "event");
  const record: OtelLogRecord = {
    severityNumber: severity.number,
    severityText: severity.text,
    timestamp: timestamp ?? Date.now(),
    attributes,
    context: active,
  };
  const body = event === undefined ? undefined : toAnyValue(event, max);
  return body === undefined ? record : { ...record, body };
}
