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

// Control characters other than the newline: a stack without them is written as it is.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/;
// Anything but printable ASCII without the quote and the backslash, and the newline.
const NOT_PLAIN = /[^\n\u0020\u0021\u0023-\u005b\u005d-\u007e]/;

/**
 * Is the text being formatted plain so far: printable ASCII but the quote
 * and the backslash, and newlines? Then its JSON string is itself with each
 * newline written `\n`, one byte per character, and nothing in it to escape
 * (compiled-chain.ts writes a new error's text so, without JSON.stringify's
 * scan of the whole text).
 */
let plain = true;

function withoutTrailingNewlines(s: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 10) end--;
  return end === s.length ? s : s.slice(0, end);
}

/** A property read that threw. */
const THREW: unique symbol = Symbol("threw");
/** An error's message, in {@link reads}, when its text did not need it (its stack starts with its name). */
export const NOT_READ: unique symbol = Symbol("not read");

function read(get: () => unknown): unknown {
  try {
    return get();
  } catch {
    return THREW;
  }
}

const stringOr = (v: unknown, fallback: string): string => (typeof v === "string" ? v : fallback);
const readString = (get: () => unknown, fallback: string): string => stringOr(read(get), fallback);

/** The most errors of a cause chain whose reads are kept. */
const MAX_READS = 6 * 32;

/**
 * What the text being formatted was made from, when asked for (see
 * {@link formatExceptionKeepingReads}): for each error of the cause chain,
 * the error, then the values read from it, as read (stack, name, message or
 * {@link NOT_READ}, errors, cause); `undefined` once the text may change
 * without any of these changing (an aggregate's inner errors, a cause that
 * is an object but not an Error, too long a chain).
 */
let reads: unknown[] | undefined;

/**
 * One error's block. The items may hold several lines each (the caller
 * joins them with newlines): an unindented stack with no control character
 * but its newlines is one item, as it is, so the common case does not split
 * the stack, escape each line and join it again. Each property is read once.
 */
function formatOne(err: Error, seen: Set<unknown>, indent: string): string[] {
  seen.add(err);
  const rawStack = read(() => err.stack);
  const rawName = read(() => err.name);
  const stack = stringOr(rawStack, "");
  const name = stringOr(rawName, "Error");
  let rawMessage: unknown = NOT_READ;
  let head = stack;
  if (!stack.startsWith(name)) {
    rawMessage = read(() => err.message);
    head = `${name}: ${stringOr(rawMessage, "")}\n${stack}`;
  }
  const text = withoutTrailingNewlines(head);
  // One scan tells the common case: a stack with nothing to escape, for the line or for JSON.
  const textPlain = !NOT_PLAIN.test(text);
  if (!textPlain) plain = false;
  const lines =
    indent === "" && (textPlain || !CONTROL_BUT_NEWLINE.test(text)) ? [text] : text.split("\n").map((line) => indent + escapeControl(line));
  const rawErrors = read(() => (err as { errors?: unknown }).errors);
  const rawCause = read(() => err.cause);
  if (reads !== undefined) {
    if (Array.isArray(rawErrors) || reads.length >= MAX_READS) reads = undefined;
    else reads.push(err, rawStack, rawName, rawMessage, rawErrors, rawCause);
  }
  // An AggregateError's errors, copied (a proxy's trap may throw: then none).
  const errors = Array.isArray(rawErrors) ? copy(rawErrors) : undefined;
  if (errors !== undefined) {
    errors.forEach((inner, i) => {
      lines.push(`${indent}  [errors[${i}]]`);
      lines.push(...formatAny(inner, seen, `${indent}    `));
    });
  }
  const cause = rawCause === THREW ? undefined : rawCause;
  if (cause !== undefined) {
    lines.push(`${indent}Caused by:`);
    lines.push(...formatAny(cause, seen, indent));
  }
  return lines;
}

function copy(items: unknown[]): unknown[] | undefined {
  try {
    return [...items];
  } catch {
    return undefined;
  }
}

/** The cause of an error of the chain: an Error, or undefined. */
function readCause(err: Error): unknown {
  const cause = read(() => err.cause);
  return cause === THREW ? undefined : cause;
}

/** An AggregateError's `errors`, copied; `undefined` when there are none or they cannot be read (a throwing getter or proxy trap). */
function readErrors(err: Error): unknown[] | undefined {
  const errors = read(() => (err as { errors?: unknown }).errors);
  return Array.isArray(errors) ? copy(errors) : undefined;
}

function formatAny(value: unknown, seen: Set<unknown>, indent: string): string[] {
  if (seen.has(value)) return [`${indent}[Circular cause]`];
  if (isError(value)) return formatOne(value, seen, indent);
  // Not an Error: only a primitive cause is written the same while the reads are.
  if (reads !== undefined && (reads.length === 0 || (typeof value === "object" && value !== null) || typeof value === "function"))
    reads = undefined;
  const text = `${indent}${str(value)}`;
  if (NOT_PLAIN.test(text)) plain = false;
  return [text];
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
  return formatExceptionKeepingReads(error, false).text;
}

/**
 * {@link formatException}, also saying whether the text is plain and (with
 * `keepReads`) what it was made from (see {@link reads}): compiled-chain.ts
 * keeps the text of the last error written while those stay the same,
 * without reading any property of the error twice.
 */
export function formatExceptionKeepingReads(
  error: unknown,
  keepReads = true,
): { text: string; plain: boolean; reads: readonly unknown[] | undefined } {
  // A getter or toString that logs an error formats it inside this call: its answers are its own.
  const outerPlain = plain;
  const outerReads = reads;
  plain = true;
  reads = keepReads ? [] : undefined;
  try {
    const text = formatAny(error, new Set(), "").join("\n");
    return { text, plain, reads };
  } finally {
    plain = outerPlain;
    reads = outerReads;
  }
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
