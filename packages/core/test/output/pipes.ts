/**
 * A real pipe (a FIFO) for a child's stdout. Node's `stdio: "pipe"` is a
 * Unix socket pair, which behaves differently (no PIPE_BUF atomicity, no
 * /dev/stdout to open), so the tests that are about pipes use this.
 */
import { execFileSync } from "node:child_process";
import { closeSync, constants, mkdtempSync, openSync, rmSync } from "node:fs";
import { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Fifo {
  /** Give this to the child as its stdout, then call {@link Fifo.parentDone}. */
  readonly writeFd: number;
  /** The read end, as a stream (paused until read). */
  readonly reader: Socket;
  /** Closes the parent's copy of the write end, so the reader sees the end when the child exits. */
  parentDone(): void;
}

export function fifo(): Fifo {
  const dir = mkdtempSync(join(tmpdir(), "structlog-fifo-"));
  const path = join(dir, "pipe");
  execFileSync("mkfifo", [path]);
  const readFd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  const writeFd = openSync(path, constants.O_WRONLY);
  rmSync(dir, { recursive: true, force: true });
  const reader = new Socket({ fd: readFd, readable: true, writable: false });
  reader.pause();
  return { writeFd, reader, parentDone: () => closeSync(writeFd) };
}
