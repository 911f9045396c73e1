/**
 * The arguments of a log call, turned into the event dict. The structlog
 * shape is `(event, fields?)`; pino's `(obj, msg?, ...args)`, `(err, msg?)`
 * and printf-style `(message, ...args)` are read too, so a logger can be
 * handed to code written for pino or Fastify.
 */
import { format } from "node:util";
import { assignCallerFields, mergeFields } from "./fields.js";
import { isError, MAX_ITEMS, toJsonSafe } from "./serialize.js";
import type { EventDict, Fields } from "./types.js";

function isPlainFields(value: unknown): value is Fields {
  if (typeof value !== "object" || value === null) return false;
  // The common case, an object literal, skips the slower cross-realm Error check.
  if (Object.getPrototypeOf(value) === Object.prototype) return true;
  // Indexed values (arrays, Buffers, typed arrays, String objects) are values,
  // not fields: copying their indices would make one field per item or byte.
  return !Array.isArray(value) && !ArrayBuffer.isView(value) && !(value instanceof String) && !isError(value);
}

const PLACEHOLDER = /%([sdifjoOc%])/g;

/**
 * `util.format(fmt, ...args)`, made safe for hostile arguments first:
 * util.format's `%j` is a bare `JSON.stringify`, which throws on a deep
 * value and, on Node 20, aborts the whole process on a sparse array of a few
 * hundred million holes; `%d`, `%i` and `%f` turn an array into a string of
 * all its items, nested arrays included, first (minutes for such an array).
 * For those, an array that is long or holds objects becomes NaN (what `%d`
 * makes of any array of two or more items anyway).
 */
function formatSafe(fmt: string, args: unknown[]): string {
  if (!fmt.includes("%")) return format(fmt, ...args);
  const safe = [...args];
  let i = 0;
  for (const [, kind] of fmt.matchAll(PLACEHOLDER)) {
    if (kind === "%") continue;
    if (i >= safe.length) break;
    const arg = safe[i];
    if (kind === "j") safe[i] = toJsonSafe(arg);
    else if ((kind === "d" || kind === "i" || kind === "f") && Array.isArray(arg) && !isShortFlatArray(arg)) safe[i] = Number.NaN;
    i++;
  }
  return format(fmt, ...safe);
}

function isShortFlatArray(arr: unknown[]): boolean {
  if (arr.length > MAX_ITEMS) return false;
  for (const item of arr) if (typeof item === "object" && item !== null) return false;
  return true;
}

/** The event dict with `event` set last, as structlog orders it. */
function withEvent(ed: EventDict, event: unknown): EventDict {
  ed.event = event;
  return ed;
}

function fromArguments(context: Fields, a: unknown, b: unknown, rest: unknown[]): EventDict {
  const ed = mergeFields(context);
  if (typeof a === "string") {
    if (b === undefined) return withEvent(ed, a);
    if (rest.length === 0) {
      if (isPlainFields(b)) return withEvent(assignCallerFields(ed, b), a);
      if (isError(b)) {
        ed.exc_info = b;
        return withEvent(ed, a);
      }
    }
    return withEvent(ed, formatSafe(a, [b, ...rest]));
  }
  if (isError(a)) {
    ed.exc_info = a;
    return withEvent(ed, typeof b === "string" ? formatSafe(b, rest) : a.message);
  }
  if (isPlainFields(a)) {
    // pino's (obj, msg) shape: the message, or obj.msg, is the event.
    assignCallerFields(ed, a as Fields);
    if (typeof b === "string") ed.event = rest.length === 0 ? b : formatSafe(b, rest);
    else if (Object.hasOwn(a, "msg")) {
      // The call's msg is its event; a msg bound to the logger stays a field.
      ed.event = ed.msg;
      if (Object.hasOwn(context, "msg")) ed.msg = context.msg;
      else delete ed.msg;
    }
    return ed;
  }
  if (a === undefined) return ed;
  return withEvent(ed, b === undefined ? a : format(a, b, ...rest));
}

/** The text of a thrown value, never throwing itself. */
export function errorText(e: unknown): string {
  try {
    return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  } catch {
    return "unknown error";
  }
}

/**
 * The event dict of a call: the bound context, then the call's fields, then
 * `event` (the order structlog uses). Never throws: fields that cannot be
 * read (a throwing proxy, say) still give a dict, with a `structlog_error`
 * field saying why.
 *
 * @example
 * buildEventDict({ a: 1 }, "user_login", { user_id: 42 }, []); // { a: 1, user_id: 42, event: "user_login" }
 */
export function buildEventDict(context: Fields, a: unknown, b: unknown, rest: unknown[]): EventDict {
  try {
    return fromArguments(context, a, b, rest);
  } catch (e) {
    return {
      ...context,
      event: typeof a === "string" ? a : undefined,
      structlog_error: `fields could not be read: ${errorText(e)}`,
    };
  }
}
