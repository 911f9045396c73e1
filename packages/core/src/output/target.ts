/**
 * What an output descriptor is, and how to write to it without ever
 * blocking.
 *
 * Two descriptors can name one output: fd 1 and `/dev/stdout`, or a file
 * opened twice. Outputs are told apart by device and inode, so every writer
 * of the process for one output shares one queue, and their lines cannot
 * interleave.
 *
 * A pipe, a socket or a terminal can be slower than the logging. If the
 * process inherited it in blocking mode (fd 1 is, until something touches
 * `process.stdout`), a write to a full pipe waits in the kernel for as long
 * as the reader does. On Linux the pipe or terminal is opened again through
 * `/proc/self/fd/N` with `O_NONBLOCK`: a description of our own, so the
 * mode of the inherited one (shared with the shell and other processes) is
 * left alone. Where that is not possible (a socket, no /proc), fd 1 and 2
 * get Node's own stdio streams to set non-blocking mode, as `console.log`
 * would; any other such descriptor is written as it is.
 */
import { closeSync, constants, fstatSync, openSync } from "node:fs";
import { isatty } from "node:tty";

/** One output, as the queue writes it. */
export interface Target {
  /** The descriptor written to (ours when the output was reopened). */
  readonly fd: number;
  /** Device and inode: the same for every descriptor of this output. */
  readonly key: string;
  /**
   * A pipe, socket or terminal: writes can be partial, and other writers
   * can come in between, so lines are written in pieces of at most
   * {@link PIPE_BUF} bytes that end at a line's end, which the kernel writes
   * whole. A regular file (or /dev/null) takes a batch in one write.
   */
  readonly stream: boolean;
  /** Is `fd` ours to close? */
  readonly owned: boolean;
  /** How reports name it: `fd 1`, or the path it was opened from. */
  readonly name: string;
}

/** The size up to which Linux (and POSIX) writes to a pipe whole or not at all. */
export const PIPE_BUF = 4096;

/** The key and kind of `fd`, or an error for a descriptor that is not open. */
export function describe(fd: number): { key: string; stream: boolean } {
  // BigInt stats: under vitest, a plain fstatSync at this point made a later
  // require() resolve a package through its symlink (type-is found the
  // hoisted media-typer 0.3 and Express failed to parse a body); the BigInt
  // variant does not touch whatever that shares. Plain Node is unaffected.
  const st = fstatSync(fd, { bigint: true });
  const stream = st.isFIFO() || st.isSocket() || (st.isCharacterDevice() && isatty(fd));
  return { key: `${st.dev}:${st.ino}`, stream };
}

/**
 * A target for `fd` (named `name` in reports), reopened non-blocking when
 * it is a pipe or terminal (see the module comment). `owned`: `fd` was
 * opened for this target, and is closed if it is reopened.
 */
export function targetFor(fd: number, owned: boolean, name = `fd ${fd}`): Target {
  const { key, stream } = describe(fd);
  if (!stream) return { fd, key, stream, owned, name };
  const reopened = reopenNonBlocking(fd);
  if (reopened !== undefined) {
    if (owned) closeSync(fd);
    return { fd: reopened, key, stream, owned: true, name };
  }
  // A socket, or no /proc: let Node's stdio stream set non-blocking mode, as console.log would.
  if (fd === 1) void process.stdout;
  else if (fd === 2) void process.stderr;
  return { fd, key, stream, owned, name };
}

/**
 * A descriptor for writing to `fd` that never waits: `fd` reopened
 * non-blocking if it is a pipe or terminal (see the module comment), else
 * `fd` itself (a file, which does not make a writer wait).
 */
export function nonBlocking(fd: number): number {
  try {
    const { stream } = describe(fd);
    return (stream ? reopenNonBlocking(fd) : undefined) ?? fd;
  } catch {
    return fd;
  }
}

function reopenNonBlocking(fd: number): number | undefined {
  if (process.platform !== "linux") return undefined;
  try {
    return openSync(`/proc/self/fd/${fd}`, constants.O_WRONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch {
    return undefined;
  }
}
