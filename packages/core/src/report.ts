/**
 * The fallback channel: a failure inside logging (a processor, a renderer, a
 * writer) is written once to stderr, and the application goes on.
 */
import { writeSync } from "node:fs";

const reported = new Set<string>();

/**
 * Writes `structlog: <where> failed: <error>` to stderr the first time
 * `where` fails; later failures of the same `where` stay silent. For sinks
 * and processors outside core that must never throw into a log call.
 *
 * @example
 * try { sink.emit(record); } catch (e) { report("my sink", e); }
 */
export function report(where: string, error: unknown): void {
  if (reported.has(where)) return;
  reported.add(where);
  let message: string;
  try {
    message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } catch {
    message = "unknown error";
  }
  try {
    writeSync(2, `structlog: ${where} failed: ${message.replace(/[\r\n]+/g, " ")} (reported once)\n`);
  } catch {
    // stderr itself is gone: there is nowhere left to report to.
  }
}

/** Forgets what was reported (for tests). */
export function resetReports(): void {
  reported.clear();
}
