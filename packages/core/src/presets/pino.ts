/**
 * `presets.pino()`: lines that parse to the record pino itself writes for
 * the same call (checked against pino in test/presets/pino.test.ts), so
 * dashboards and alerts built on pino's shape keep working.
 */
import { err as pinoErrSerializer } from "pino-std-serializers";
import { defineField } from "../fields.js";
import type { LevelName } from "../levels.js";
import { isError, serializeError, toJsonSafe } from "../serialize.js";
import type { EventDict, ProcessorChain } from "../types.js";
import {
  baseFields,
  checkPresetOptions,
  DEFAULT_REQUEST_EVENTS,
  isRequestEvent,
  levelOf,
  type PresetOptions,
  plainOrUndefined,
  presetChain,
  setPath,
  shapeStep,
  tryMap,
} from "./shared.js";

/** pino's level numbers. */
export const PINO_LEVELS: Readonly<Record<LevelName, number>> = Object.freeze({
  trace: 10,
  debug: 20,
  info: 30,
  warning: 40,
  error: 50,
  critical: 60,
});

/**
 * An error as pino's default `err` serializer writes it (causes folded into
 * `message` and `stack`, unlike core's JSON renderer, which nests `cause`),
 * made safe to render. A value that is not an Error is rendered as it is.
 */
function pinoErr(error: unknown): unknown {
  if (!isError(error)) return error;
  try {
    return toJsonSafe(pinoErrSerializer(error));
  } catch {
    return serializeError(error);
  }
}

/** The key pino serializes as `err`: `exc_info` (unless `true`, `false`, `null`), or an Error under `err`. */
function errKeyOf(eventDict: EventDict): string | undefined {
  const excInfo = eventDict.exc_info;
  if (excInfo !== undefined && excInfo !== null && typeof excInfo !== "boolean") return "exc_info";
  return isError(eventDict.err) ? "err" : undefined;
}

/** Options for {@link pino}. */
export interface PinoPresetOptions extends PresetOptions {}

/** One field of the request line in Fastify's shape (`req.*`, `res.statusCode`, `responseTime`), or `false`. */
function mapRequestField(out: EventDict, key: string, value: unknown): boolean {
  switch (key) {
    case "method":
      setPath(out, ["req", "method"], value);
      return true;
    case "path":
      setPath(out, ["req", "url"], value);
      return true;
    case "remote_address":
      setPath(out, ["req", "remoteAddress"], value);
      return true;
    case "status_code":
      setPath(out, ["res", "statusCode"], value);
      return true;
    case "duration_ms":
      out.responseTime = value;
      return true;
    case "req":
    case "res": {
      // logHeaders' req/res are already pino-std-serializers' shapes: merged with what is mapped above.
      const shaped = plainOrUndefined(value);
      if (shaped === undefined) return false;
      for (const k of Object.keys(shaped)) setPath(out, [key, k], shaped[k]);
      return true;
    }
  }
  return false;
}

/**
 * pino-compatible JSON: `level` as pino's number (trace 10 ... critical
 * 60), `time` in epoch milliseconds, `pid` and `hostname` (pino's `base`),
 * `name` (the logger name), the fields, `exc_info` or an Error under `err`
 * as pino's `err` serializer writes it, and the event as `msg`. The request's id is `reqId`, as
 * Fastify writes it, and the request line has Fastify's `req.method`,
 * `req.url`, `req.remoteAddress`, `res.statusCode` and `responseTime`.
 * `level`, `time` and `msg` are the preset's own: a field of that name is
 * left out. A processor chain: pass it to `configure()`.
 *
 * @example
 * configure({ processors: presets.pino() });
 * // {"level":30,"time":1777716000000,"pid":4242,"hostname":"web-1","name":"api","user_id":42,"msg":"user_login"}
 */
export function pino(options: PinoPresetOptions = {}): ProcessorChain {
  checkPresetOptions(options, "presets.pino()");
  const base = baseFields(options.base);
  const requestEvents = new Set(options.requestEvents ?? DEFAULT_REQUEST_EVENTS);
  const shape = shapeStep("pino", (logger, method, ed) => {
    const level = levelOf(method);
    const name = logger.name;
    const out: EventDict = { level: PINO_LEVELS[level], time: Date.now() };
    Object.assign(out, base);
    if (name !== undefined && name !== "") out.name = name;
    const errorKey = errKeyOf(ed);
    const isRequest = isRequestEvent(ed, requestEvents);
    for (const key of Object.keys(ed)) {
      const value = ed[key];
      if (value === undefined || key === "event" || key === errorKey || key === "exc_info") continue;
      // level, time and msg are the preset's own: a field of that name would break pino's shape.
      if (key === "level" || key === "time" || key === "msg" || (key === "logger" && value === name)) continue;
      if (key === "request_id") out.reqId = value;
      else if (!(isRequest && tryMap(() => mapRequestField(out, key, value)))) defineField(out, key, value);
    }
    if (errorKey !== undefined) out.err = pinoErr(ed[errorKey]);
    if (ed.event !== undefined) out.msg = ed.event;
    return out;
  });
  return presetChain(options, [shape]);
}
