/** Parsing V8 stack traces into frames, and telling structlog's own frames from the caller's. */
import { fileURLToPath } from "node:url";

/** One frame of a stack trace. */
export interface StackFrame {
  readonly filename: string;
  readonly lineno: number;
  readonly colno: number;
  readonly name: string;
}

// "    at fn (file:1:2)", "    at async fn (file:1:2)", "    at file:1:2", "    at new C (file:1:2)"
const FRAME = /^\s*at (?:(.+?) \()?(.*?):(\d+):(\d+)\)?$/;

/** The frames of a stack string; lines that are not frames are skipped. */
export function parseStack(stack: string): StackFrame[] {
  const frames: StackFrame[] = [];
  for (const line of stack.split("\n")) {
    const m = FRAME.exec(line);
    if (m === null) continue;
    frames.push({ name: m[1] ?? "<anonymous>", filename: m[2] ?? "", lineno: Number(m[3]), colno: Number(m[4]) });
  }
  return frames;
}

/** The stack lines (`    at …`) of an `Error().stack`, without its first line. */
export function stackLines(stack: string | undefined): string[] {
  if (stack === undefined) return [];
  return stack.split("\n").filter((line) => /^\s*at /.test(line));
}

// This package's own code, as frames name it: the folders beside this file's
// folder (dist/ when installed, src/ when run from source), as a path
// (CommonJS, vitest) or as a file URL (ESM). Matching on the package's real
// location, not on a pattern such as /packages/core/src/, keeps a user's
// monorepo with that layout from being mistaken for structlog.
const OWN_PREFIXES: string[] = [];

/** The prefixes that name files under `folder` in a stack line: its file URL and its path. */
function prefixesOf(folder: URL): string[] {
  const url = folder.href.endsWith("/") ? folder : new URL(`${folder.href}/`);
  return [url.href, fileURLToPath(url)];
}

/**
 * Treats the files under `folder` as logging code, as structlog's own are:
 * `callsiteParameterAdder` looks past their frames for the caller, and
 * `stackInfoRenderer` leaves them out. For packages that wrap structlog
 * loggers (a framework adapter, say), so the callsite is their user's code.
 *
 * @example
 * ignoreFramesUnder(new URL(".", import.meta.url)); // this package's own folder
 */
export function ignoreFramesUnder(folder: URL | string): void {
  for (const prefix of prefixesOf(new URL(folder))) if (!OWN_PREFIXES.includes(prefix)) OWN_PREFIXES.push(prefix);
}

const root = new URL("..", import.meta.url);
ignoreFramesUnder(new URL("src/", root));
ignoreFramesUnder(new URL("dist/", root));

/** Is this stack line inside @structlog/core itself (and so not the caller)? */
export function isOwnFrame(line: string): boolean {
  for (const prefix of OWN_PREFIXES) if (line.includes(prefix)) return true;
  return false;
}
