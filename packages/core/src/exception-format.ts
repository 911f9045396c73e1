/**
 * Exceptions as text and as data: what the exception processors
 * (`formatExcInfo`, `dictTracebacks`) and the console renderer share. A
 * neutral module, so processors/ and renderers/ need not import each other.
 * Nothing here throws, whatever the thrown value is.
 */
import { note } from "./report.js";
import { isError, serializeError } from "./serialize.js";
import { parseStack, type StackFrame } from "./stack.js";
import { escapeControl, str } from "./text.js";

function readString(read: () => unknown, fallback: string): string {
  try {
    const v = read();
    return typeof v === "string" ? v : fallback;
  } catch {
    return fallback;
  }
}

function headline(err: Error): string {
  return `${readString(() => err.name, "Error")}: ${readString(() => err.message, "")}`;
}

// Control characters other than the newline: a stack without them is written as it is.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/;

function withoutTrailingNewlines(s: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 10) end--;
  return end === s.length ? s : s.slice(0, end);
}

/**
 * One error's block. The items may hold several lines each (the caller
 * joins them with newlines): an unindented stack with no control character
 * but its newlines is one item, as it is, so the common case does not split
 * the stack, escape each line and join it again.
 */
function formatOne(err: Error, seen: Set<unknown>, indent: string): string[] {
  seen.add(err);
  const stack = readString(() => err.stack, "");
  const text = withoutTrailingNewlines(stack.startsWith(readString(() => err.name, "Error")) ? stack : `${headline(err)}\n${stack}`);
  const lines = indent === "" && !CONTROL_BUT_NEWLINE.test(text) ? [text] : text.split("\n").map((line) => indent + escapeControl(line));
  const errors = readErrors(err);
  if (errors !== undefined) {
    errors.forEach((inner, i) => {
      lines.push(`${indent}  [errors[${i}]]`);
      lines.push(...formatAny(inner, seen, `${indent}    `));
    });
  }
  const cause = readCause(err);
  if (cause !== undefined) {
    lines.push(`${indent}Caused by:`);
    lines.push(...formatAny(cause, seen, indent));
  }
  return lines;
}

function readCause(err: Error): unknown {
  try {
    return err.cause;
  } catch {
    return undefined;
  }
}

/** An AggregateError's `errors`, copied; `undefined` when there are none or they cannot be read (a throwing getter or proxy trap). */
function readErrors(err: Error): unknown[] | undefined {
  try {
    const errors = (err as { errors?: unknown }).errors;
    return Array.isArray(errors) ? [...errors] : undefined;
  } catch {
    return undefined;
  }
}

function formatAny(value: unknown, seen: Set<unknown>, indent: string): string[] {
  if (seen.has(value)) return [`${indent}[Circular cause]`];
  if (isError(value)) return formatOne(value, seen, indent);
  return [`${indent}${str(value)}`];
}

/**
 * An exception as text: its stack, then each aggregated error and each
 * `cause` (`Caused by:`), cycles cut. Control characters inside lines are
 * escaped. Never throws.
 *
 * @example
 * formatException(new Error("outer", { cause: inner }));
 */
export function formatException(error: unknown): string {
  return formatAny(error, new Set(), "").join("\n");
}

/** One exception of an {@link exceptionDicts} chain (`dictTracebacks` writes these). */
export interface ExceptionDict {
  exc_type: string;
  exc_value: string;
  is_cause: boolean;
  frames: StackFrame[];
  /** Aggregated errors (`AggregateError.errors`), each its own chain. */
  exceptions?: ExceptionDict[][];
  /** Own enumerable properties (`code`, `statusCode`, …). */
  attributes?: Record<string, unknown>;
}

function toDicts(error: unknown, seen: Set<unknown>): ExceptionDict[] {
  const chain: ExceptionDict[] = [];
  let current: unknown = error;
  let isCause = false;
  while (current !== undefined && !seen.has(current)) {
    seen.add(current);
    if (!isError(current)) {
      chain.push({ exc_type: typeof current, exc_value: str(current), is_cause: isCause, frames: [] });
      break;
    }
    const err = current;
    const entry: ExceptionDict = {
      exc_type: readString(() => err.name, "Error"),
      exc_value: readString(() => err.message, ""),
      is_cause: isCause,
      // structlog's (Python's) order: the outermost call first, the frame that threw last.
      frames: parseStack(readString(() => err.stack, "")).reverse(),
    };
    const errors = readErrors(err);
    if (errors !== undefined) entry.exceptions = errors.map((inner) => toDicts(inner, seen));
    const { type: _t, message: _m, stack: _s, cause: _c, aggregateErrors: _a, ...attributes } = serializeError(err);
    if (Object.keys(attributes).length > 0) entry.attributes = attributes;
    chain.push(entry);
    current = readCause(err);
    isCause = true;
  }
  return chain;
}

/**
 * An exception as data: a list with the error first and each `cause` after
 * it (`is_cause: true`), each with its parsed frames (in structlog's order:
 * the outermost call first, the frame that threw last) and, for an
 * `AggregateError`, its inner errors. Cycles are cut.
 *
 * @example
 * exceptionDicts(new Error("outer", { cause: inner }))[1]?.is_cause; // true
 */
export function exceptionDicts(error: unknown): ExceptionDict[] {
  return toDicts(error, new Set());
}

/**
 * Says once on stderr that an exception was asked for but none was given:
 * `exc_info: true`, or `log.exception()` without an error. Python fills
 * those in from the exception being handled; JavaScript has no such thing,
 * so the line has no exception, and this note says what to write instead.
 */
export function noteNoException(): void {
  note(
    "exc_info",
    'exc_info: true, or log.exception() without an error, logs no exception: JavaScript has no "current exception". Pass the error: log.exception("payment_failed", err) or { exc_info: err }',
  );
}
