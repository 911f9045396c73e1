/**
 * `presets.ecs()`: Elastic Common Schema lines, with the field names
 * `@elastic/ecs-pino-format` writes (checked against it in
 * test/presets/ecs.test.ts) and the request line's fields as ECS `http.*`,
 * `url.*`, `client.*` and `event.duration`.
 */

import { formatException } from "../exception-format.js";
import { defineField } from "../fields.js";
import { timeStamper } from "../processors/timestamps.js";
import { isError, serializeError } from "../serialize.js";
import { str } from "../text.js";
import type { EventDict, ProcessorChain } from "../types.js";
import {
  baseFields,
  checkPresetOptions,
  checkString,
  DEFAULT_REQUEST_EVENTS,
  errorKeyOf,
  isRequestEvent,
  levelOf,
  type PresetOptions,
  plainOrUndefined,
  presetChain,
  setPath,
  shapeStep,
  tryMap,
} from "./shared.js";

/** The ECS version the lines declare: the one `@elastic/ecs-pino-format` 1.5 declares. */
export const ECS_VERSION = "8.10.0";

/** Options for {@link ecs}: ecs-pino-format's service fields, and the common preset options. */
export interface EcsPresetOptions extends PresetOptions {
  /** `service.name`. */
  readonly serviceName?: string;
  /** `service.version`. */
  readonly serviceVersion?: string;
  /** `service.environment`. */
  readonly serviceEnvironment?: string;
  /** `service.node.name`. */
  readonly serviceNodeName?: string;
  /** `event.dataset`. Default: the service name, as ecs-pino-format. */
  readonly eventDataset?: string;
}

/** The preset's own fields: a field of that name is left out, so the line keeps ECS's meaning. */
const RESERVED: ReadonlySet<string> = new Set(["log.level", "message", "ecs.version"]);

const SERVICE_KEYS = ["serviceName", "serviceVersion", "serviceEnvironment", "serviceNodeName", "eventDataset"] as const;

/** The fields every line carries: base (as `process.pid`, `host.hostname`) and the service. */
function staticFields(options: EcsPresetOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(baseFields(options.base))) {
    if (key === "pid") out["process.pid"] = value;
    else if (key === "hostname") out["host.hostname"] = value;
    else defineField(out, key, value);
  }
  if (options.serviceName !== undefined) out["service.name"] = options.serviceName;
  if (options.serviceVersion !== undefined) out["service.version"] = options.serviceVersion;
  if (options.serviceEnvironment !== undefined) out["service.environment"] = options.serviceEnvironment;
  if (options.serviceNodeName !== undefined) out["service.node.name"] = options.serviceNodeName;
  const dataset = options.eventDataset ?? options.serviceName;
  if (dataset !== undefined) out["event.dataset"] = dataset;
  return out;
}

/** ECS `error`: `type` (the class), `message`, `stack_trace` (with causes). */
function ecsError(error: unknown): Record<string, unknown> {
  // A thrown value that is not an Error (`throw "no"`): all it has is a message.
  if (!isError(error)) return { message: typeof error === "string" ? error : str(error) };
  const shaped = serializeError(error);
  return { type: shaped.type, message: shaped.message, stack_trace: formatException(error) };
}

/** The `req` of `logHeaders` (pino-std-serializers' shape) as ECS fields. */
function mapRequest(out: EventDict, req: Record<string, unknown>): void {
  const headers = plainOrUndefined(req.headers);
  if (headers !== undefined) {
    setPath(out, ["http", "request", "headers"], headers);
    if (typeof headers["user-agent"] === "string") setPath(out, ["user_agent", "original"], headers["user-agent"]);
  }
  if (typeof req.url === "string") {
    const q = req.url.indexOf("?");
    if (q !== -1) setPath(out, ["url", "query"], req.url.slice(q + 1));
  }
  if (typeof req.remotePort === "number") setPath(out, ["client", "port"], req.remotePort);
}

/** One field of the request line as ECS, or `false` when it is not one. */
function mapRequestField(out: EventDict, key: string, value: unknown): boolean {
  switch (key) {
    case "method":
      setPath(out, ["http", "request", "method"], value);
      return true;
    case "path":
      setPath(out, ["url", "path"], value);
      return true;
    case "status_code":
      setPath(out, ["http", "response", "status_code"], value);
      return true;
    case "duration_ms":
      // ECS durations are nanoseconds.
      if (typeof value !== "number") return false;
      out["event.duration"] = Math.round(value * 1e6);
      return true;
    case "response_size":
      setPath(out, ["http", "response", "body", "bytes"], value);
      return true;
    case "remote_address":
      setPath(out, ["client", "address"], value);
      setPath(out, ["client", "ip"], value);
      return true;
    case "req": {
      const req = plainOrUndefined(value);
      if (req === undefined) return false;
      mapRequest(out, req);
      return true;
    }
    case "res": {
      const headers = plainOrUndefined(plainOrUndefined(value)?.headers);
      if (headers === undefined) return false;
      setPath(out, ["http", "response", "headers"], headers);
      return true;
    }
  }
  return false;
}

/**
 * Elastic Common Schema (ECS) lines for Elasticsearch and Kibana, with the
 * field names of `@elastic/ecs-pino-format`: `@timestamp`, `log.level`,
 * `message`, `ecs.version`, `log.logger`, `process.pid`, `host.hostname`,
 * `service.*`, `error.{type,message,stack_trace}`; `trace.id` and `span.id`
 * from `addTraceContext()`; `http.request.id` and `user.id` from the
 * request's context; on the request line `http.request.method`, `url.path`,
 * `http.response.status_code`, `event.duration` (ns),
 * `http.response.body.bytes`, `client.address`/`client.ip`. Other fields
 * are written as they are; `log.level`, `message` and `ecs.version` are the
 * preset's own. A processor chain: pass it to `configure()`.
 *
 * @example
 * configure({ processors: presets.ecs({ serviceName: "shop", processors: [addTraceContext()] }) });
 * // {"@timestamp":"2026-05-02T10:00:00.000Z","log.level":"info","message":"user_login","ecs.version":"8.10.0",...}
 */
export function ecs(options: EcsPresetOptions = {}): ProcessorChain {
  checkPresetOptions(options, "presets.ecs()", SERVICE_KEYS);
  for (const key of SERVICE_KEYS) checkString(options[key], "presets.ecs()", key);
  const fixed = staticFields(options);
  const requestEvents = new Set(options.requestEvents ?? DEFAULT_REQUEST_EVENTS);
  const shape = shapeStep("ecs", (logger, method, ed) => {
    const level = levelOf(method);
    const name = logger.name;
    const out: EventDict = { "@timestamp": ed["@timestamp"], "log.level": level };
    if (ed.event !== undefined) out.message = ed.event;
    out["ecs.version"] = ECS_VERSION;
    if (name !== undefined && name !== "") out["log.logger"] = name;
    Object.assign(out, fixed);
    const errorKey = errorKeyOf(ed);
    const isRequest = isRequestEvent(ed, requestEvents);
    const hasTrace = ed.trace_id !== undefined;
    for (const key of Object.keys(ed)) {
      const value = ed[key];
      if (value === undefined || key === "event" || key === "@timestamp" || key === errorKey || key === "exc_info") continue;
      if (RESERVED.has(key) || (key === "level" && value === level) || (key === "logger" && value === name)) continue;
      if (key === "trace_id") out["trace.id"] = value;
      else if (key === "span_id") out["span.id"] = value;
      else if (key === "trace_flags" && hasTrace) continue;
      else if (key === "request_id") setPath(out, ["http", "request", "id"], value);
      else if (key === "user_id") setPath(out, ["user", "id"], value);
      else if (key === "exception" && typeof value === "string" && errorKey === undefined) setPath(out, ["error", "stack_trace"], value);
      else if (!(isRequest && tryMap(() => mapRequestField(out, key, value)))) defineField(out, key, value);
    }
    if (errorKey !== undefined) out.error = ecsError(ed[errorKey]);
    return out;
  });
  return presetChain(options, [timeStamper({ fmt: "iso", key: "@timestamp" }), shape]);
}
