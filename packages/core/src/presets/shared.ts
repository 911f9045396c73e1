/**
 * What the presets share: their common options, the chain they build, and
 * the small steps each shape needs (the error of an event, nested paths,
 * the request line).
 */
import { hostname } from "node:os";
import { markProcessor } from "../brand.js";
import { mergeContextVars } from "../context.js";
import { defineField } from "../fields.js";
import { type LevelName, METHOD_TO_LEVEL_NAME } from "../levels.js";
import { jsonRenderer } from "../renderers/json.js";
import { isError } from "../serialize.js";
import type { EventDict, Processor, ProcessorChain, WrappedLogger } from "../types.js";

/** Options every preset takes. */
export interface PresetOptions {
  /**
   * Your processors, run after `mergeContextVars` and before the preset
   * shapes the line: `addTraceContext()`, `redact()`, your own.
   */
  readonly processors?: readonly Processor[];
  /**
   * Fields on every line, as pino's `base`. Default `{ pid, hostname }`,
   * as pino writes them; `null` for none.
   */
  readonly base?: Readonly<Record<string, unknown>> | null;
  /**
   * The events whose `method`, `path`, `status_code`, ... are the request
   * line's and are mapped to the preset's names. Default
   * `["request_completed", "request_started"]`, the integrations' events.
   */
  readonly requestEvents?: readonly string[];
  /** As the JSON renderer's: strings longer than this are cut. Default 32,768. */
  readonly maxStringLength?: number;
}

export const PRESET_OPTION_KEYS: readonly string[] = ["processors", "base", "requestEvents", "maxStringLength"];

export const DEFAULT_REQUEST_EVENTS: readonly string[] = ["request_completed", "request_started"];

/** Throws, saying what to change, on an unknown or mistyped option. */
export function checkPresetOptions(options: unknown, where: string, extraKeys: readonly string[] = []): void {
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new TypeError(`${where} takes an options object.`);
  }
  const known = [...PRESET_OPTION_KEYS, ...extraKeys];
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      const near = known.find((k) => k.toLowerCase() === key.toLowerCase());
      const hint = near === undefined ? `the options are ${known.join(", ")}` : `did you mean ${JSON.stringify(near)}?`;
      throw new TypeError(`${where}: unknown option ${JSON.stringify(key)}; ${hint}.`);
    }
  }
  const o = options as PresetOptions;
  if (o.processors !== undefined && (!Array.isArray(o.processors) || o.processors.some((p) => typeof p !== "function"))) {
    throw new TypeError(`${where}: processors must be an array of processors, e.g. [addTraceContext()].`);
  }
  if (o.base !== undefined && o.base !== null && (typeof o.base !== "object" || Array.isArray(o.base))) {
    throw new TypeError(`${where}: base must be an object of fields, or null for none.`);
  }
  if (o.requestEvents !== undefined && (!Array.isArray(o.requestEvents) || o.requestEvents.some((e) => typeof e !== "string"))) {
    throw new TypeError(`${where}: requestEvents must be an array of event names, e.g. ["request_completed"].`);
  }
}

/** Throws unless `value` is undefined or a non-empty string. */
export function checkString(value: unknown, where: string, name: string): void {
  if (value !== undefined && (typeof value !== "string" || value === ""))
    throw new TypeError(`${where}: ${name} must be a non-empty string.`);
}

/** The base fields: pino's default `{ pid, hostname }`, or the caller's. */
export function baseFields(base: PresetOptions["base"]): Readonly<Record<string, unknown>> {
  if (base === null) return {};
  return base ?? { pid: process.pid, hostname: hostname() };
}

/**
 * The chain a preset is: `mergeContextVars`, the caller's processors, the
 * preset's own steps, then the JSON renderer.
 */
export function presetChain(options: PresetOptions, steps: readonly Processor[]): ProcessorChain {
  const renderer = jsonRenderer(options.maxStringLength === undefined ? {} : { maxStringLength: options.maxStringLength });
  return [mergeContextVars, ...(options.processors ?? []), ...steps, renderer];
}

/** The canonical level name of a method (`warn` → `warning`). */
export function levelOf(method: string): LevelName {
  return METHOD_TO_LEVEL_NAME[method] ?? "info";
}

/**
 * The key of the event's exception: `exc_info` (unless `true`, `false` or
 * `null`), or else the first field that holds an Error (pino's `err`, say).
 */
export function errorKeyOf(eventDict: EventDict): string | undefined {
  const excInfo = eventDict.exc_info;
  if (excInfo !== undefined && excInfo !== null && typeof excInfo !== "boolean") return "exc_info";
  for (const key in eventDict) if (isError(eventDict[key])) return key;
  return undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object") return false;
  try {
    const proto = Object.getPrototypeOf(value);
    return proto === Object.prototype || proto === null;
  } catch {
    // A proxy whose getPrototypeOf trap throws is a value to render, not an object to merge into.
    return false;
  }
}

/** Copies a plain object's own fields, or returns `undefined` when one cannot be read (a throwing getter or trap). */
function copyOf(value: Record<string, unknown>): EventDict | undefined {
  try {
    return { ...value };
  } catch {
    return undefined;
  }
}

/**
 * Runs one field's mapping; `false` when it does not apply or when reading
 * the value threw (a hostile getter), so the caller writes the field as it
 * is and the JSON renderer renders it safely.
 */
export function tryMap(map: () => boolean): boolean {
  try {
    return map();
  } catch {
    return false;
  }
}

/**
 * Sets `out[a][b]...` = `value`, creating objects on the way. An object
 * already there is copied first (it may be the caller's); a value there
 * that is not an object keeps its place, and the field is written under
 * its dotted name instead.
 */
export function setPath(out: EventDict, path: readonly string[], value: unknown): void {
  let target = out;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i] as string;
    const existing = target[key];
    if (existing === undefined) {
      const created: EventDict = {};
      target[key] = created;
      target = created;
    } else {
      const copy = isPlainObject(existing) ? copyOf(existing) : undefined;
      if (copy === undefined) {
        defineField(out, path.join("."), value);
        return;
      }
      target[key] = copy;
      target = copy;
    }
  }
  defineField(target, path[path.length - 1] as string, value);
}

/** A shape step: builds the preset's line from the event dict. */
export type Shape = (logger: WrappedLogger, method: string, eventDict: EventDict) => EventDict;

/** Names the shape for reports and brands it, so `configure()` knows it does not render. */
export function shapeStep(name: string, shape: Shape): Processor {
  Object.defineProperty(shape, "name", { value: name });
  return markProcessor(shape);
}

/** Is this the request line (or the start line)? */
export function isRequestEvent(eventDict: EventDict, requestEvents: ReadonlySet<string>): boolean {
  const event = eventDict.event;
  return typeof event === "string" && requestEvents.has(event);
}

/** The `req`/`res` objects of `logHeaders`, when they are plain objects. */
export function plainOrUndefined(value: unknown): Record<string, unknown> | undefined {
  return isPlainObject(value) ? value : undefined;
}
