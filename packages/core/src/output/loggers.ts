/** The wrapped loggers that write rendered lines: stdout, any target. */
import type { Writable } from "node:stream";
import { safeStringify } from "../json-line.js";
import { report } from "../report.js";
import { describeThrow } from "../serialize.js";
import type { LoggerFactory, WrappedLogger } from "../types.js";
import { createWriter, type LineWriter, type WriterOptions, writerForFd } from "./writer.js";

/**
 * Writes each rendered line to a {@link LineWriter}. Cheap to create: one
 * per logger name, all sharing the writer.
 */
export class WriteLogger implements WrappedLogger {
  readonly name: string | undefined;
  readonly writer: LineWriter;

  constructor(writer: LineWriter, name?: string) {
    this.writer = writer;
    this.name = name;
  }

  msg(rendered: unknown): void {
    this.writer.write(typeof rendered === "string" ? rendered : unrendered(rendered));
  }

  /** Writes what is buffered. */
  flush(): void {
    this.writer.flush();
  }
}

/**
 * The line for a value that is not text: the chain's last step did not
 * render (a custom processor placed last). Said once on stderr; the event is
 * written as JSON rather than as `[object Object]`, so the line is not lost,
 * and so is anything else whose `toString` throws.
 */
function unrendered(value: unknown): string {
  const isRecord = typeof value === "object" && value !== null && !Array.isArray(value);
  report(
    "the processor chain",
    new TypeError(
      `its last step returned ${isRecord ? "an object" : typeof value}, not a string; end the chain with a renderer, e.g. jsonRenderer()`,
    ),
  );
  if (isRecord) return safeStringify(value as Record<string, unknown>);
  try {
    return String(value);
  } catch (e) {
    return safeStringify({ structlog_error: `the last step returned a ${typeof value} that cannot be made a string: ${describeThrow(e)}` });
  }
}

/** structlog's `PrintLogger`: a {@link WriteLogger} on stdout. */
export class PrintLogger extends WriteLogger {
  constructor(name?: string, options: WriterOptions = {}) {
    super(writerForFd(1, { sync: process.stdout.isTTY === true, ...options }), name);
  }
}

/**
 * Loggers that write to stdout, buffered (unbuffered on a TTY, so lines keep
 * their order with other console output).
 *
 * @example
 * configure({ loggerFactory: printLoggerFactory() });
 */
export function printLoggerFactory(options: WriterOptions = {}): LoggerFactory {
  const writer = writerForFd(1, { sync: process.stdout.isTTY === true, ...options });
  return (name?: string) => new WriteLogger(writer, name);
}

/**
 * Loggers that write to a stream, a file path (appended to) or a file
 * descriptor, through one shared buffered writer.
 *
 * @example
 * configure({ loggerFactory: writeLoggerFactory("/var/log/app.jsonl") });
 */
export function writeLoggerFactory(target: Writable | string | number, options: WriterOptions = {}): LoggerFactory {
  const writer = createWriter(target, options);
  return (name?: string) => new WriteLogger(writer, name);
}
