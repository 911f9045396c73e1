/**
 * Buffered, loss-free output.
 *
 * Lines are appended to an in-memory batch and written with one synchronous
 * `write(2)` per batch: when the batch passes `flushAt` bytes, at the end of
 * the current turn of the event loop, on `flush()`, and on process exit. A
 * line is always appended whole and a batch is written to the end before the
 * next one starts, so lines are never split or interleaved.
 *
 * Backpressure policy (docs/output.md): when the reader is slow (`EAGAIN`),
 * unwritten data waits in memory and is retried shortly. Memory is bounded
 * by `maxBuffered`: past it, `overflow: "block"` (the default) makes the
 * logging call wait until the reader catches up, so nothing is lost;
 * `overflow: "drop"` drops new lines instead, counts them, and writes a
 * `structlog_lines_dropped` line with the count once output flows again.
 *
 * A reader that is gone (`EPIPE`, a closed fd) ends output: later lines are
 * discarded without further system calls, and the failure is reported once
 * on stderr.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import type { Writable } from "node:stream";
import { report } from "../report.js";
import { ByteQueue } from "./byte-queue.js";

/** Options of a {@link BufferedWriter}. */
export interface WriterOptions {
  /** Write each line at once, unbuffered. Default: `false` (`true` for a TTY). */
  readonly sync?: boolean;
  /** Write the batch when it reaches this many bytes. Default 64 KiB. */
  readonly flushAt?: number;
  /** The most data held in memory for a slow reader. Default 16 MiB. */
  readonly maxBuffered?: number;
  /** What to do past `maxBuffered`. Default `"block"`. */
  readonly overflow?: "block" | "drop";
  /** With `block`: how long to wait for a stuck reader before dropping. Default 30 s. */
  readonly blockTimeoutMs?: number;
}

/** Where rendered lines go. */
export interface LineWriter {
  /** Appends one line (a newline is added). Never throws. */
  write(line: string): void;
  /** Writes everything buffered, waiting for a slow reader if need be. */
  flush(): void;
  /** Lines dropped so far (broken reader, or the `drop` policy). */
  readonly dropped: number;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleep(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

const writers = new Set<BufferedWriter>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' runs on a natural end, process.exit(), an uncaught exception and
  // an unhandled rejection alike; only synchronous work is possible here,
  // which is why every write is synchronous.
  process.on("exit", flushAll);
}

/**
 * Writes every buffered line of every writer now. Called on process exit;
 * call it yourself before handing control to code that may kill the process.
 *
 * @example
 * process.on("SIGTERM", () => { flushAll(); process.exit(0); });
 */
export function flushAll(): void {
  for (const w of writers) w.flush();
}

function errorCode(e: unknown): string | undefined {
  return typeof e === "object" && e !== null ? (e as { code?: string }).code : undefined;
}

/** A batching writer over a file descriptor. See the module comment for its policy. */
export class BufferedWriter implements LineWriter {
  readonly #fd: number;
  readonly #sync: boolean;
  readonly #flushAt: number;
  readonly #maxBuffered: number;
  readonly #overflow: "block" | "drop";
  readonly #blockTimeoutMs: number;
  #batch = "";
  // A batch is encoded into one reused buffer and written from it; only what
  // a slow reader has not taken is copied, into reused chunks. (A new Buffer
  // per batch, appended to one growing Buffer, made a slow reader cost
  // quadratic copying and garbage several times maxBuffered.)
  #scratch: Buffer | undefined;
  readonly #pending: ByteQueue;
  #scheduled = false;
  #broken = false;
  #dropped = 0;
  #droppedUnreported = 0;

  constructor(fd: number, options: WriterOptions = {}) {
    this.#fd = fd;
    this.#sync = options.sync ?? false;
    this.#flushAt = options.flushAt ?? 64 * 1024;
    this.#maxBuffered = options.maxBuffered ?? 16 * 1024 * 1024;
    this.#overflow = options.overflow ?? "block";
    this.#blockTimeoutMs = options.blockTimeoutMs ?? 30_000;
    this.#pending = new ByteQueue(this.#maxBuffered);
    writers.add(this);
    installExitHook();
  }

  get dropped(): number {
    return this.#dropped;
  }

  /** The file descriptor written to. */
  get fd(): number {
    return this.#fd;
  }

  write(line: string): void {
    if (this.#broken) {
      this.#dropped++;
      return;
    }
    if (this.#overflow === "drop" && this.#buffered() >= this.#maxBuffered) {
      this.#dropped++;
      this.#droppedUnreported++;
      this.#schedule();
      return;
    }
    this.#batch += `${line}\n`;
    if (this.#sync || this.#batch.length >= this.#flushAt) this.#drain(false);
    else this.#schedule();
    if (this.#overflow === "block" && this.#buffered() >= this.#maxBuffered) this.#drain(true);
  }

  flush(): void {
    this.#drain(true);
  }

  #buffered(): number {
    return this.#batch.length + this.#pending.length;
  }

  /** The batch as UTF-8, in the reused buffer when it fits (UTF-8 takes at most 3 bytes per UTF-16 unit). */
  #encodeBatch(): Buffer {
    const batch = this.#batch;
    this.#batch = "";
    this.#scratch ??= Buffer.allocUnsafeSlow(Math.max(3 * this.#flushAt, 16 * 1024));
    if (3 * batch.length > this.#scratch.length && Buffer.byteLength(batch) > this.#scratch.length) return Buffer.from(batch, "utf8");
    return this.#scratch.subarray(0, this.#scratch.write(batch, 0, "utf8"));
  }

  /** Bytes written, 0 when the reader is not ready (EAGAIN), or the error that ends output. */
  #tryWrite(data: Buffer): number | { error: unknown } {
    try {
      return writeSync(this.#fd, data);
    } catch (e) {
      return errorCode(e) === "EAGAIN" ? 0 : { error: e };
    }
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    // Not unref'd: an unref'd immediate does not keep the poll phase from
    // blocking, so on an idle server the batch would wait for the next I/O.
    setImmediate(() => {
      this.#scheduled = false;
      this.#drain(false);
    });
  }

  #retryLater(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setTimeout(() => {
      this.#scheduled = false;
      this.#drain(false);
    }, 2).unref();
  }

  /**
   * Writes pending data and the batch. With `block`, waits out `EAGAIN`
   * until everything is written (or the reader stays stuck past the timeout);
   * otherwise leaves the rest pending and retries shortly.
   */
  #drain(block: boolean): void {
    if (this.#broken) return;
    if (this.#droppedUnreported > 0 && this.#pending.length === 0) {
      const count = this.#droppedUnreported;
      this.#droppedUnreported = 0;
      this.#batch += `{"event":"structlog_lines_dropped","level":"warning","logger":"structlog","dropped":${count},"reason":"reader slower than logging; overflow policy 'drop'"}\n`;
    }
    if (this.#batch.length > 0) {
      const data = this.#encodeBatch();
      // The usual case, a reader keeping up: written straight from the reused buffer.
      const written = this.#pending.length === 0 ? this.#tryWrite(data) : 0;
      if (typeof written !== "number") {
        this.#pending.push(data);
        this.#giveUp(written.error, true);
        return;
      }
      if (written < data.length) this.#pending.push(data.subarray(written));
    }
    let deadline = block ? Date.now() + this.#blockTimeoutMs : 0;
    while (this.#pending.length > 0) {
      const written = this.#tryWrite(this.#pending.peek());
      if (typeof written !== "number") {
        this.#giveUp(written.error, true);
        return;
      }
      if (written === 0) {
        if (!block) {
          this.#retryLater();
          return;
        }
        if (Date.now() > deadline) {
          this.#giveUp(new Error(`reader made no progress for ${this.#blockTimeoutMs} ms`), false);
          return;
        }
        sleep(1);
        continue;
      }
      this.#pending.consume(written);
      // The timeout is for a reader that makes no progress, not a slow one.
      if (block) deadline = Date.now() + this.#blockTimeoutMs;
    }
  }

  /**
   * Drops what could not be written. A stuck reader (`permanent: false`)
   * gets the count in a line of its own once it reads again; a gone reader
   * (EPIPE, EBADF) ends output for good.
   */
  #giveUp(error: unknown, permanent: boolean): void {
    const lost = this.#pending.clear();
    this.#dropped += lost;
    if (permanent) this.#broken = true;
    else this.#droppedUnreported += lost;
    report(`writing to fd ${this.#fd}`, error);
  }

  /** Stops tracking this writer for exit flushing (after a final flush). */
  close(): void {
    this.flush();
    writers.delete(this);
  }
}

/** A writer over a stream that has no file descriptor: batches, and respects 'drain'. */
export class StreamWriter implements LineWriter {
  readonly #stream: Writable;
  readonly #maxBuffered: number;
  #batch = "";
  #waitingForDrain = false;
  #scheduled = false;
  #dropped = 0;

  constructor(stream: Writable, options: WriterOptions = {}) {
    this.#stream = stream;
    this.#maxBuffered = options.maxBuffered ?? 16 * 1024 * 1024;
    stream.on("error", (e) => report("writing to stream", e));
  }

  get dropped(): number {
    return this.#dropped;
  }

  write(line: string): void {
    if (this.#batch.length >= this.#maxBuffered) {
      // A stream cannot be waited for synchronously: past the bound, drop and count.
      this.#dropped++;
      return;
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

const fdWriters = new Map<number, BufferedWriter>();

/**
 * The shared writer for `fd`: every logger writing to one descriptor goes
 * through one batch, so their lines cannot interleave.
 */
export function writerForFd(fd: number, options: WriterOptions = {}): BufferedWriter {
  let w = fdWriters.get(fd);
  if (w === undefined) {
    w = new BufferedWriter(fd, options);
    fdWriters.set(fd, w);
  }
  return w;
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
  if (typeof target === "number") return writerForFd(target, options);
  if (typeof target === "string") {
    const fd = openSync(target, "a");
    return new BufferedWriter(fd, options);
  }
  if (target === null || typeof target !== "object" || typeof (target as Writable).write !== "function") {
    throw new TypeError("writeLoggerFactory(target) needs a writable stream, a file path or a file descriptor.");
  }
  const fd = (target as { fd?: unknown }).fd;
  if (typeof fd === "number") return writerForFd(fd, options);
  return new StreamWriter(target as Writable, options);
}

/** Closes a file opened by {@link createWriter} for a path (tests, rotation). */
export function closeWriter(writer: LineWriter): void {
  if (writer instanceof BufferedWriter) {
    writer.close();
    if (![...fdWriters.values()].includes(writer) && writer.fd > 2) closeSync(writer.fd);
  } else writer.flush();
}
