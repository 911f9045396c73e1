/**
 * The fallback channel: a failure inside logging (a processor, a renderer, a
 * writer) is written once to stderr, and the application goes on. Notes
 * about a likely mistake (an `exc_info: true` that names no error) go the
 * same way. `captureReports()` in testing.ts reads this channel in tests.
 */
import { writeSync } from "node:fs";
import { nonBlocking } from "./output/target.js";

/** Where report lines go, and which keys were already reported there. */
interface Channel {
  write(line: string): void;
  readonly seen: Set<string>;
}

/** stderr, through a descriptor that never waits (a report must not stall the app on a full pipe). */
let stderrFd: number | undefined;

function writeStderr(line: string): void {
  try {
    stderrFd ??= nonBlocking(2);
    writeSync(stderrFd, `${line}\n`);
  } catch {
    // stderr is gone, or full (EAGAIN): there is nowhere to report to now, and waiting would stall the app.
  }
}

const stderr: Channel = { write: writeStderr, seen: new Set() };
let channel: Channel = stderr;

function once(key: string, line: () => string): void {
  if (channel.seen.has(key)) return;
  channel.seen.add(key);
  let text: string;
  try {
    text = line().replace(/[\r\n]+/g, " ");
  } catch {
    text = `structlog: ${key} failed (reported once)`;
  }
  channel.write(text);
}

function messageOf(error: unknown): string {
  try {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } catch {
    return "unknown error";
  }
}

/**
 * Writes `structlog: <where> failed: <error>` to stderr the first time
 * `where` fails; later failures of the same `where` stay silent. For sinks
 * and processors outside core that must never throw into a log call.
 *
 * @example
 * try { sink.emit(record); } catch (e) { report("my sink", e); }
 */
export function report(where: string, error: unknown): void {
  once(where, () => `structlog: ${where} failed: ${messageOf(error)} (reported once)`);
}

/**
 * Writes `structlog: note: <message>` to stderr the first time `key` is
 * noted: for calls that work but probably do not do what was meant.
 *
 * @example
 * note("exc_info", "exc_info: true names no error in JavaScript; pass the error itself");
 */
export function note(key: string, message: string): void {
  once(`note ${key}`, () => `structlog: note: ${message} (shown once)`);
}

/**
 * @internal Sends every report and note to `write` until the returned
 * function is called, each reported once within this capture whatever was
 * reported before. For `captureReports()`; captures nest.
 */
export function redirectReports(write: (line: string) => void): () => void {
  const previous = channel;
  const mine: Channel = { write, seen: new Set() };
  channel = mine;
  return () => {
    if (channel === mine) channel = previous;
  };
}
