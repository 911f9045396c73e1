/**
 * The writers loggers write through. A {@link BufferedWriter} is a policy
 * (its options) over the one shared queue of its output (queue.ts), so any
 * number of writers, with different options, can write to one descriptor
 * without interleaving: `printLoggerFactory({ overflow: "block" })` after
 * the default configuration gets its own policy for its own lines.
 *
 * The policy (docs/output.md): lines are batched and written at the end of
 * the turn, at `flushAt` bytes, on `flush()` and at exit; a slow reader
 * never stalls the app (past `maxBuffered`, lines are dropped and counted,
 * and the count is written in a line of its own once output resumes); a
 * reader that is gone ends output, reported once on stderr.
 */
import type { Writable } from "node:stream";
import { checkOptions, type OptionSpec } from "../options.js";
import { report } from "../report.js";
import type { Policy } from "./queue.js";
import { DEFAULT_EXIT_TIMEOUT_MS, release, type Sink, sinkForFd, sinkForPath } from "./queues.js";

export { flushAll } from "./queues.js";

/** Options of a {@link BufferedWriter}. */
export interface WriterOptions {
  /** Write each line at once (still without waiting for a slow reader). Default: `false` (`true` for a TTY). */
  readonly sync?: boolean;
  /** Write the batch when it reaches this many bytes. Default 64 KiB. */
  readonly flushAt?: number;
  /** The most this writer lets its output hold in memory for a slow reader. Default 16 MiB. */
  readonly maxBuffered?: number;
  /**
   * Past `maxBuffered`: `"drop"` (the default) drops the line and counts it;
   * `"block"` makes the logging call wait for the reader (up to
   * `blockTimeoutMs` without progress), which stalls the app: for batch
   * jobs that would rather slow down than lose a line.
   */
  readonly overflow?: "block" | "drop";
  /** With `block`: how long to wait for a reader that makes no progress before dropping. Default 30 s. */
  readonly blockTimeoutMs?: number;
  /**
   * How long the exit flush (and `flushAll()`, `flush()`) may wait for a
   * slow reader, in all; an output waits as long as the largest of the
   * writers that wrote to it ask. Default 2 s.
   */
  readonly exitTimeoutMs?: number;
}

/** Where rendered lines go. */
export interface LineWriter {
  /** Appends one line (a newline is added). Never throws. */
  write(line: string): void;
  /** Writes everything buffered, waiting for a slow reader up to `exitTimeoutMs`. */
  flush(): void;
  /** Lines dropped so far on this writer's output (a reader gone, a full buffer, the exit deadline). */
  readonly dropped: number;
}

const WRITER_OPTIONS: OptionSpec = {
  sync: "boolean",
  flushAt: "number",
  maxBuffered: "number",
  overflow: "string",
  blockTimeoutMs: "number",
  exitTimeoutMs: "number",
};

function positive(where: string, options: WriterOptions, name: keyof WriterOptions, fallback: number): number {
  const value = options[name] ?? fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new TypeError(`${where}: option ${name} must be a whole number of at least 1, not ${String(value)}.`);
  }
  return value;
}

/** The policy of `options`, checked: a mistake throws here, at creation, saying what to change. */
export function resolvePolicy(options: WriterOptions, where = "the writer"): Policy {
  checkOptions(where, options, WRITER_OPTIONS);
  const overflow = options.overflow ?? "drop";
  if (overflow !== "drop" && overflow !== "block") {
    throw new TypeError(`${where}: option overflow must be "drop" or "block", not ${JSON.stringify(overflow)}.`);
  }
  return {
    sync: options.sync === true,
    flushAt: positive(where, options, "flushAt", 64 * 1024),
    maxBuffered: positive(where, options, "maxBuffered", 16 * 1024 * 1024),
    overflow,
    blockTimeoutMs: positive(where, options, "blockTimeoutMs", 30_000),
    exitTimeoutMs: positive(where, options, "exitTimeoutMs", DEFAULT_EXIT_TIMEOUT_MS),
  };
}

/**
 * A batching writer to a file descriptor or a path (opened for appending),
 * with its own policy over the output's shared queue. See the module
 * comment for the policy.
 *
 * @example
 * const writer = new BufferedWriter(1, { overflow: "drop", maxBuffered: 4 * 1024 * 1024 });
 */
export class BufferedWriter implements LineWriter {
  readonly #sink: Sink;
  readonly #policy: Policy;
  readonly #exitTimeoutMs: number;
  #closed = false;

  constructor(target: number | string, options: WriterOptions = {}) {
    const policy = resolvePolicy(options, typeof target === "number" ? `the writer for fd ${target}` : `the writer for ${target}`);
    this.#sink = typeof target === "number" ? sinkForFd(target) : sinkForPath(target);
    this.#sink.refs++;
    this.#sink.admit(policy.maxBuffered);
    this.#policy = policy;
    this.#exitTimeoutMs = policy.exitTimeoutMs;
  }

  get dropped(): number {
    return this.#sink.dropped;
  }

  /** The file descriptor written to (on Linux, a pipe or terminal is written through a non-blocking descriptor of its own). */
  get fd(): number {
    return this.#sink.target.fd;
  }

  write(line: string): void {
    try {
      this.#sink.append(line, this.#policy);
    } catch (e) {
      report(`writing to ${this.#sink.target.name}`, e);
    }
  }

  flush(): void {
    this.#sink.flushUntil(Date.now() + this.#exitTimeoutMs);
  }

  /** Flushes and detaches; the last writer of a file opened by path closes it. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.flush();
    release(this.#sink);
  }
}

/** A writer over a stream that has no file descriptor: batches, respects 'drain', and drops past `maxBuffered`. */
export class StreamWriter implements LineWriter {
  readonly #stream: Writable;
  readonly #maxBuffered: number;
  #batch = "";
  #waitingForDrain = false;
  #scheduled = false;
  #dropped = 0;
  #unreported = 0;

  constructor(stream: Writable, options: WriterOptions = {}) {
    this.#stream = stream;
    this.#maxBuffered = resolvePolicy(options).maxBuffered;
    stream.on("error", (e) => report("writing to stream", e));
  }

  get dropped(): number {
    return this.#dropped;
  }

  write(line: string): void {
    if (this.#batch.length + this.#stream.writableLength >= this.#maxBuffered) {
      // A stream cannot be waited for synchronously: past the bound, drop and count.
      this.#dropped++;
      this.#unreported++;
      return;
    }
    if (this.#unreported > 0) {
      this.#batch += `{"event":"structlog_lines_dropped","level":"warning","logger":"structlog","timestamp":"${new Date().toISOString()}","dropped":${this.#unreported},"reason":"output buffer full: the stream is slower than the logging"}\n`;
      this.#unreported = 0;
    }
    this.#batch += `${line}\n`;
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => {
        this.#scheduled = false;
        this.flush();
      });
    }
  }

  flush(): void {
    if (this.#waitingForDrain || this.#batch === "") return;
    const batch = this.#batch;
    this.#batch = "";
    try {
      if (!this.#stream.write(batch)) {
        this.#waitingForDrain = true;
        this.#stream.once("drain", () => {
          this.#waitingForDrain = false;
          this.flush();
        });
      }
    } catch (e) {
      report("writing to stream", e);
    }
  }
}

/**
 * A writer for `fd` with these options, over the output's shared queue:
 * every writer of one output shares its queue, so their lines cannot
 * interleave, and each keeps its own options.
 *
 * @example
 * writerForFd(2, { sync: true });
 */
export function writerForFd(fd: number, options: WriterOptions = {}): BufferedWriter {
  return new BufferedWriter(fd, options);
}

/**
 * A writer for a stream, a file path (opened for appending) or a file
 * descriptor. Streams with a file descriptor (stdout, stderr, file streams)
 * are written through it.
 *
 * @example
 * createWriter("/var/log/app.log");
 */
export function createWriter(target: Writable | string | number, options: WriterOptions = {}): LineWriter {
  if (typeof target === "number" || typeof target === "string") return new BufferedWriter(target, options);
  if (target === null || typeof target !== "object" || typeof (target as Writable).write !== "function") {
    throw new TypeError("writeLoggerFactory(target) needs a writable stream, a file path or a file descriptor.");
  }
  const fd = (target as { fd?: unknown }).fd;
  if (typeof fd === "number") return new BufferedWriter(fd, options);
  return new StreamWriter(target as Writable, options);
}

/** Flushes a writer and, for the last writer of a file opened by {@link createWriter} for a path, closes it (tests, rotation). */
export function closeWriter(writer: LineWriter): void {
  if (writer instanceof BufferedWriter) writer.close();
  else writer.flush();
}
