/**
 * The one queue of an output: every writer of the process that writes to it
 * appends here, so lines are never interleaved or torn (docs/output.md).
 *
 * Lines are appended whole to a batch, written with synchronous
 * non-blocking writes at the end of the turn, at `flushAt` bytes, on flush
 * and at exit. To a pipe, socket or terminal a batch goes out in pieces of
 * at most PIPE_BUF bytes that end at a line's end, which the kernel writes
 * whole or not at all (on a pipe, nothing from another writer can come in
 * between, not even another process's). A line longer than that is finished
 * once its first byte is out, waiting for the reader up to
 * {@link FINISH_LINE_MS} ms.
 *
 * A reader slower than the logging (`EAGAIN`) never stalls the app: what it
 * has not taken waits in memory, up to the writer's `maxBuffered`, and is
 * retried every few milliseconds. Past the bound, lines are dropped and
 * counted (overflow `"drop"`, the default), and a line of its own reports
 * the count as soon as output resumes; overflow `"block"` waits instead.
 * A reader that is gone (`EPIPE`) ends output, reported once.
 */
import { writeSync } from "node:fs";
import { isMainThread } from "node:worker_threads";
import { report } from "../report.js";
import { ByteQueue } from "./byte-queue.js";
import { PIPE_BUF, type Target } from "./target.js";

/** How a writer wants its lines handled: its options, resolved. */
export interface Policy {
  readonly sync: boolean;
  readonly flushAt: number;
  readonly maxBuffered: number;
  readonly overflow: "block" | "drop";
  readonly blockTimeoutMs: number;
  readonly exitTimeoutMs: number;
}

/** How long a line that is partly out may wait for the reader before the rest is left for later. */
export const FINISH_LINE_MS = 5;
/** The largest piece written at once to a pipe, socket or terminal when a line is longer than PIPE_BUF. */
const BIG_PIECE = 64 * 1024;

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleep(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

// A worker thread can be stopped at any moment (the main thread exits), so
// it holds nothing: each line is written at once. (To a pipe, with the main
// thread using structlog, its lines go to the main thread instead.)
const WRITE_AT_ONCE = !isMainThread;

/** The process is exiting: our exit flush has run, so later lines are written at once (see queues.ts). */
export const exitState = { exiting: false, deadline: 0 };

function errorCode(e: unknown): string | undefined {
  return typeof e === "object" && e !== null ? (e as { code?: string }).code : undefined;
}

/** What the writer waits for when the reader is not ready. */
type Wait =
  | { readonly kind: "none"; left: number }
  | { readonly kind: "until"; deadline: number; readonly timeoutMs: number; readonly reset: boolean };

/**
 * The most one drain writes without waiting before it lets the event loop
 * turn: a reader that comes back after a stall takes the backlog in steps
 * of this size, one per turn, so the app never spends a long turn writing.
 */
export const MAX_BYTES_PER_TURN = 256 * 1024;
const noWait = (): Wait => ({ kind: "none", left: MAX_BYTES_PER_TURN });

export class OutputQueue {
  readonly target: Target;
  /** Lines dropped on this output so far: overflow, a reader gone, the exit deadline. */
  dropped = 0;
  /** How long the exit flush waits for this output: the largest `exitTimeoutMs` of the writers that wrote to it. */
  exitTimeoutMs = 0;
  #batch = "";
  // A batch is encoded into one reused buffer and written from it; only what
  // a slow reader has not taken is copied, into reused chunks.
  #scratch: Buffer | undefined;
  #pending: ByteQueue;
  /** The largest `maxBuffered` of the writers sharing this queue: its memory bound. */
  #limit = 0;
  /** Is the output in the middle of a line (its first bytes written, the rest pending)? */
  #midLine = false;
  #lineWaitLeft = FINISH_LINE_MS;
  #scheduled = false;
  #broken = false;
  #unreported = 0;
  // Where the count lines are, to tell at the end the drops whose count
  // never reached the reader: in the batch (UTF-16 offsets just past each
  // count line) and in the pending bytes (positions in the stream of bytes
  // ever made pending).
  #batchCounts: Array<{ readonly at: number; readonly dropped: number }> = [];
  #pendingCounts: Array<{ readonly end: number; readonly dropped: number }> = [];
  #pendingStart = 0;
  #pendingEnd = 0;
  /** The error that ended output, and how much of the data being written went out before it. */
  #failure: unknown;
  #failedAt = 0;
  /** Writers attached (for closing a file opened by path). */
  refs = 0;

  constructor(target: Target) {
    this.target = target;
    this.#pending = new ByteQueue(0);
  }

  /** Lets a writer with this bound share the queue: the bound of memory is the largest. */
  admit(maxBuffered: number): void {
    if (maxBuffered > this.#limit) {
      this.#limit = maxBuffered;
      this.#pending.reserve(maxBuffered);
    }
  }

  /** Bytes (or UTF-16 units, in the batch) held in memory. */
  get buffered(): number {
    return this.#batch.length + this.#pending.length;
  }

  /** Appends one line (a newline is added) under `policy`; false when it was dropped. */
  append(line: string, policy: Policy): boolean {
    if (policy.exitTimeoutMs > this.exitTimeoutMs) this.exitTimeoutMs = policy.exitTimeoutMs;
    if (this.#broken) {
      this.dropped++;
      return false;
    }
    if (this.buffered >= policy.maxBuffered && !this.#makeRoom(policy)) {
      this.dropped++;
      this.#unreported++;
      this.#schedule(true);
      return false;
    }
    if (this.#unreported > 0) this.#addCountLine();
    this.#batch += `${line}\n`;
    if (exitState.exiting) this.flushUntil(exitState.deadline);
    else if (policy.sync || WRITE_AT_ONCE || this.#batch.length >= policy.flushAt) this.#drain(noWait());
    else this.#schedule(false);
    return true;
  }

  /** Counts lines dropped elsewhere for this output (by a worker thread), to be reported with ours. */
  countDropped(n: number): void {
    if (n <= 0) return;
    this.dropped += n;
    this.#unreported += n;
    this.#schedule(true);
  }

  /** With `block`: waits (bounded) for the reader to take enough; with `drop`: no room. */
  #makeRoom(policy: Policy): boolean {
    if (policy.overflow !== "block") return false;
    const timeoutMs = policy.blockTimeoutMs;
    this.#drain({ kind: "until", deadline: Date.now() + timeoutMs, timeoutMs, reset: true }, policy.maxBuffered - 1);
    if (this.buffered < policy.maxBuffered) return true;
    report(`writing to ${this.target.name}`, new Error(`reader made no progress for ${timeoutMs} ms; dropping lines`));
    return false;
  }

  /** Writes everything now, waiting for a slow reader until `deadline` (ms since the epoch). */
  flushUntil(deadline: number): void {
    this.#drain({ kind: "until", deadline, timeoutMs: 0, reset: false });
    if (this.#pending.length > 0 && Date.now() >= deadline)
      this.#giveUp(new Error("the reader took too long at exit (exitTimeoutMs)"), false);
  }

  /** Writes what the reader takes now, without waiting. */
  flushNow(): void {
    this.#drain(noWait());
  }

  /** Appends the line that reports the lines dropped since the last one. */
  #addCountLine(): void {
    const count = this.#unreported;
    this.#unreported = 0;
    this.#batch += `{"event":"structlog_lines_dropped","level":"warning","logger":"structlog","timestamp":"${new Date().toISOString()}","dropped":${count},"reason":"output buffer full: the reader is slower than the logging"}\n`;
    this.#batchCounts.push({ at: this.#batch.length, dropped: count });
  }

  /** Makes the unwritten tail of a batch (`batch`, encoded as `data`, of which `written` bytes went out) pending. */
  #keepPending(batch: string, data: Buffer, written: number): void {
    for (const { at, dropped } of this.#batchCounts) {
      const end = at === batch.length ? data.length : Buffer.byteLength(batch.slice(0, at));
      if (end > written) this.#pendingCounts.push({ end: this.#pendingEnd + end - written, dropped });
    }
    this.#pending.push(data.subarray(written));
    this.#pendingEnd += data.length - written;
  }

  /** Forgets `n` written bytes, and the count lines among them. */
  #consume(n: number): void {
    this.#pending.consume(n);
    this.#pendingStart += n;
    while (this.#pendingCounts.length > 0 && (this.#pendingCounts[0] as { end: number }).end <= this.#pendingStart)
      this.#pendingCounts.shift();
  }

  #schedule(retry: boolean): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    const run = () => {
      this.#scheduled = false;
      this.#drain(noWait());
    };
    // Retries of a slow reader wait a little and let the process exit; the
    // end-of-turn flush (and the next step of a backlog the reader is
    // taking) is ref'd, since an unref'd immediate does not keep the poll
    // phase from blocking: on an idle server the batch would wait for the
    // next I/O.
    if (retry) setTimeout(run, 2).unref();
    else setImmediate(run);
  }

  /**
   * Writes pending data, then the batch, until done or the reader is not
   * ready and `wait` says to stop. With `until`, stops early once at most
   * `below` bytes are held.
   */
  #drain(wait: Wait, below = -1): void {
    for (;;) {
      if (this.#broken) return;
      if (this.#batch.length > 0) {
        const batch = this.#batch;
        const data = this.#encodeBatch();
        // The usual case, a reader keeping up: written straight from the reused buffer.
        const written = this.#pending.length === 0 ? this.#writeOut(data, wait) : 0;
        if (written < 0) {
          this.#keepPending(batch, data, this.#failedAt);
          this.#batchCounts = [];
          this.#giveUp(this.#failure, true);
          return;
        }
        if (written < data.length) this.#keepPending(batch, data, written);
        this.#batchCounts = [];
      }
      while (this.#pending.length > 0 && this.buffered > below) {
        const view = this.#pending.peek();
        const written = this.#writeOut(view, wait);
        if (written < 0) {
          this.#consume(this.#failedAt);
          this.#giveUp(this.#failure, true);
          return;
        }
        this.#consume(written);
        if (written < view.length) break;
      }
      // Output has resumed (all written): the count of dropped lines goes out now, in a line of its own.
      if (this.#pending.length === 0 && this.#unreported > 0) {
        this.#addCountLine();
        continue;
      }
      // More to write: at once next turn if this drain stopped at its step, a little later if the reader was not ready.
      if (this.#pending.length > 0) this.#schedule(!(wait.kind === "none" && wait.left <= 0));
      return;
    }
  }

  /** The batch as UTF-8, in the reused buffer when it fits (UTF-8 takes at most 3 bytes per UTF-16 unit). */
  #encodeBatch(): Buffer {
    const batch = this.#batch;
    this.#batch = "";
    this.#scratch ??= Buffer.allocUnsafeSlow(192 * 1024);
    if (3 * batch.length > this.#scratch.length && Buffer.byteLength(batch) > this.#scratch.length) return Buffer.from(batch, "utf8");
    return this.#scratch.subarray(0, this.#scratch.write(batch, 0, "utf8"));
  }

  /**
   * Writes `data` in pieces (see the module comment), waiting for the
   * reader as `wait` says; returns how many bytes went out, or -1 when
   * output has ended.
   */
  #writeOut(data: Buffer, wait: Wait): number {
    let offset = 0;
    while (offset < data.length) {
      // A drain without waiting stops at its step, at a line's end.
      if (wait.kind === "none" && wait.left <= 0 && !this.#midLine) return offset;
      const end = this.#pieceEnd(data, offset);
      let n: number;
      try {
        n = writeSync(this.target.fd, data, offset, end - offset);
      } catch (e) {
        if (errorCode(e) !== "EAGAIN") {
          // The caller makes the unwritten rest pending and gives up; data's first `offset` bytes went out.
          this.#failure = e;
          this.#failedAt = offset;
          return -1;
        }
        n = 0;
      }
      if (n > 0) {
        offset += n;
        this.#midLine = data[offset - 1] !== 10;
        if (!this.#midLine) this.#lineWaitLeft = FINISH_LINE_MS;
        if (wait.kind === "none") wait.left -= n;
        else if (wait.reset) wait.deadline = Date.now() + wait.timeoutMs;
        continue;
      }
      if (!this.#waitForReader(wait)) return offset;
    }
    return offset;
  }

  /** Where the piece starting at `offset` ends: a line's end within PIPE_BUF bytes, for a stream. */
  #pieceEnd(data: Buffer, offset: number): number {
    if (!this.target.stream || data.length - offset <= PIPE_BUF) return data.length;
    const lastNewline = data.lastIndexOf(10, offset + PIPE_BUF - 1);
    if (lastNewline >= offset) return lastNewline + 1;
    // A line longer than PIPE_BUF: written in big pieces, to its end.
    const end = data.indexOf(10, offset);
    return Math.min(end === -1 ? data.length : end + 1, offset + BIG_PIECE);
  }

  /** The reader is not ready: sleep a millisecond and try again (true), or leave the rest for later (false). */
  #waitForReader(wait: Wait): boolean {
    if (wait.kind === "until" && Date.now() < wait.deadline) {
      sleep(1);
      return true;
    }
    // A line that is partly out is finished now if the reader lets it soon,
    // so that no other writer of the process can come in between.
    if (this.#midLine && this.#lineWaitLeft > 0) {
      this.#lineWaitLeft--;
      sleep(1);
      return true;
    }
    return false;
  }

  /**
   * Drops what could not be written. A reader that is gone
   * (`permanent`: EPIPE, EBADF) ends output for good; a stuck one gets the
   * count in a line of its own once it reads again.
   */
  #giveUp(error: unknown, permanent: boolean): void {
    // Count lines are not log lines; the drops they would have reported are told here instead.
    const counts = [...this.#pendingCounts, ...this.#batchCounts];
    const lost = this.#pending.clear() + countLines(this.#batch) - counts.length;
    // Drops not yet in a count line, and those whose count line is being dropped here.
    const uncounted = counts.reduce((sum, c) => sum + c.dropped, this.#unreported);
    this.#batch = "";
    this.#batchCounts = [];
    this.#pendingCounts = [];
    this.#pendingStart = this.#pendingEnd;
    this.#midLine = false;
    this.dropped += lost;
    // What is told here is not told again in a count line.
    this.#unreported = 0;
    if (permanent) this.#broken = true;
    const earlier = uncounted > 0 ? `, and ${uncounted} dropped earlier, whose count could not be written` : "";
    report(
      `writing to ${this.target.name}`,
      lost + uncounted > 0 ? new Error(`${errorText(error)}; ${lost} lines dropped${earlier}`) : error,
    );
  }
}

function countLines(s: string): number {
  let n = 0;
  for (let i = s.indexOf("\n"); i !== -1; i = s.indexOf("\n", i + 1)) n++;
  return n;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
