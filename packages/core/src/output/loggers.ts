/** The wrapped loggers that write rendered lines: stdout, any target. */
import type { Writable } from "node:stream";
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
    this.writer.write(typeof rendered === "string" ? rendered : String(rendered));
  }

  /** Writes what is buffered. */
  flush(): void {
    this.writer.flush();
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
