/** Parsing V8 stack traces into frames. */

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

const OWN_FILES = /[\\/]packages[\\/]core[\\/](?:dist|src)[\\/]|[\\/]@structlog[\\/]core[\\/]/;

/** Is this stack line inside @structlog/core itself (and so not the caller)? */
export function isOwnFrame(line: string): boolean {
  return OWN_FILES.test(line);
}
