/**
 * The queues of the process, one per output (device and inode), and the
 * exit flush.
 *
 * Exit: Node's `exit` event runs on a natural end, `process.exit()`, an
 * uncaught exception and an unhandled rejection; only synchronous work is
 * possible then, which is why every write is synchronous. Our handler takes
 * the worker threads' lines still in flight, then writes every queue, waiting
 * for a slow reader up to `exitTimeoutMs` in all. An `exit` handler the app
 * registered after ours runs later: from then on every line is written at
 * once, so its lines arrive too.
 */
import { closeSync, openSync } from "node:fs";
import { isMainThread } from "node:worker_threads";
import { exitState, OutputQueue, type Policy } from "./queue.js";
import { describe, type Target, targetFor } from "./target.js";
import { listenForWorkers, type WorkerSender, workerSender } from "./worker-bridge.js";

/** The default bound of the exit flush. */
export const DEFAULT_EXIT_TIMEOUT_MS = 2000;

/** Where a writer's lines go: the output's queue, or (in a worker thread) the main thread's. */
export interface Sink {
  readonly target: Pick<Target, "fd" | "key" | "name">;
  readonly dropped: number;
  /** How long the exit flush waits for this output (the largest of its writers' `exitTimeoutMs`). */
  readonly exitTimeoutMs: number;
  refs: number;
  admit(maxBuffered: number): void;
  append(line: string, policy: Policy): boolean;
  flushNow(): void;
  flushUntil(deadline: number): void;
}

/** A worker thread's sink for a pipe, socket or terminal: each line is posted to the main thread. */
class RemoteSink implements Sink {
  readonly target: Pick<Target, "fd" | "key" | "name">;
  readonly #sender: WorkerSender;
  dropped = 0;
  refs = 0;
  readonly exitTimeoutMs = 0;

  constructor(target: Pick<Target, "fd" | "key" | "name">, sender: WorkerSender) {
    this.target = target;
    this.#sender = sender;
  }

  admit(): void {}

  append(line: string): boolean {
    if (this.#sender.send(this.target.fd, this.target.key, line)) return true;
    this.dropped++;
    return false;
  }

  flushNow(): void {}

  flushUntil(): void {
    this.#sender.sendCount(this.target.fd, this.target.key);
  }
}

const sinks = new Map<string, Sink>();
let exitHookInstalled = false;

const bridge = listenForWorkers((fd, key, line, dropped) => {
  const sink = sinks.get(key) ?? register(targetFor(fd, false));
  if (!(sink instanceof OutputQueue)) return;
  sink.countDropped(dropped);
  if (line !== undefined) sink.append(line, WORKER_POLICY);
});

/** Worker lines are written under the main thread's default bound, and dropped past it (a worker cannot wait for the main thread). */
const WORKER_POLICY: Policy = {
  sync: false,
  flushAt: 64 * 1024,
  maxBuffered: 16 * 1024 * 1024,
  overflow: "drop",
  blockTimeoutMs: 0,
  exitTimeoutMs: DEFAULT_EXIT_TIMEOUT_MS,
};

function register(target: Target): Sink {
  const sender = target.stream ? workerSender() : undefined;
  const sink = sender === undefined ? new OutputQueue(target) : new RemoteSink(target, sender);
  sinks.set(target.key, sink);
  installExitHook();
  return sink;
}

/** The sink of the output `fd` is (shared by every writer of the process for that output). */
export function sinkForFd(fd: number): Sink {
  return sinks.get(describe(fd).key) ?? register(targetFor(fd, false));
}

/** The sink of the file or device at `path`, opened for appending (shared, as for a descriptor). */
export function sinkForPath(path: string): Sink {
  const fd = openSync(path, "a");
  const existing = sinks.get(describe(fd).key);
  if (existing === undefined) return register(targetFor(fd, true, path));
  closeSync(fd);
  return existing;
}

/** Detaches one writer; the last one to leave a queue it opened closes its descriptor. */
export function release(sink: Sink): void {
  sink.refs--;
  if (sink.refs > 0 || !(sink instanceof OutputQueue) || !sink.target.owned) return;
  sink.flushUntil(Date.now() + sink.exitTimeoutMs);
  sinks.delete(sink.target.key);
  try {
    closeSync(sink.target.fd);
  } catch {
    // Already closed: nothing left to release.
  }
}

/**
 * Writes every buffered line of every output now, waiting for a slow reader
 * up to `exitTimeoutMs` (default 2 s). Called on process exit; call it
 * yourself before handing control to code that may kill the process.
 *
 * @example
 * process.on("SIGTERM", () => { flushAll(); process.exit(0); });
 */
export function flushAll(): void {
  const start = Date.now();
  for (const sink of sinks.values()) sink.flushUntil(start + sink.exitTimeoutMs);
}

function onExit(): void {
  bridge?.drain();
  const start = Date.now();
  let longest = 0;
  for (const sink of sinks.values()) {
    sink.flushUntil(start + sink.exitTimeoutMs);
    longest = Math.max(longest, sink.exitTimeoutMs);
  }
  // Lines logged after this (by exit handlers registered later) are written at once, within the same bound.
  exitState.deadline = start + longest;
  exitState.exiting = true;
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", onExit);
}

// The main thread listens for worker lines from the start, so it must also
// flush them at exit even if it never writes a line itself.
if (isMainThread && bridge !== undefined) installExitHook();
