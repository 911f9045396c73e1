/**
 * Worker threads' lines go to the main thread, which writes them through
 * its own queue for the output: two threads writing one pipe on their own
 * would tear each other's lines (each leaves a partly written line pending
 * when the pipe is full, and the other writes in between).
 *
 * The main thread, when it loads this module, opens a BroadcastChannel and
 * publishes its name, with a shared counter of what is in flight, as
 * environment data, which every worker it starts afterwards inherits. A
 * worker that finds it posts each line at once, so nothing is held in the
 * worker when the main thread exits: the main thread's exit handler takes
 * whatever is still in the channel with `receiveMessageOnPort`, then
 * flushes. A worker started before the main thread loaded structlog, or in
 * a process whose main thread does not use it, writes directly, in whole
 * pieces of at most PIPE_BUF bytes (a longer line can then be torn by
 * another thread's writes).
 *
 * Memory is bounded: past {@link MAX_IN_FLIGHT} characters posted and not
 * yet taken (the main thread busy or stalled), a worker drops lines and
 * counts them; the count travels with its next line and is reported as the
 * main thread's own dropped lines are.
 */
import {
  BroadcastChannel,
  getEnvironmentData,
  isMainThread,
  receiveMessageOnPort,
  setEnvironmentData,
  threadId,
} from "node:worker_threads";

const ENV_KEY = "@structlog/core:output-bridge@1";

/** The most characters of worker lines in flight, posted and not yet written by the main thread. */
export const MAX_IN_FLIGHT = 8 * 1024 * 1024;

interface BridgeInfo {
  readonly channel: string;
  readonly inFlight: SharedArrayBuffer;
}

/**
 * Where the main thread writes a worker's line: the output's fd and key,
 * the line (undefined for a count alone), and how many lines the worker
 * dropped before it.
 */
export type Deliver = (fd: number, key: string, line: string | undefined, dropped: number) => void;

/** Parses `fd \t key \t dropped \t hasLine \n line`, the one string a worker posts per line (a string clones fastest). */
function parse(message: string, deliver: Deliver, inFlight: Int32Array): void {
  const headerEnd = message.indexOf("\n");
  const [fd, key, dropped, hasLine] = message.slice(0, headerEnd).split("\t");
  const line = hasLine === "1" ? message.slice(headerEnd + 1) : undefined;
  if (line !== undefined) Atomics.sub(inFlight, 0, line.length);
  deliver(Number(fd), key as string, line, Number(dropped));
}

/**
 * The main thread's end: receives worker lines as they come, and `drain()`
 * takes the rest synchronously (at exit). Undefined in a worker.
 */
export function listenForWorkers(deliver: Deliver): { drain(): void } | undefined {
  if (!isMainThread) return undefined;
  // Unique per copy of the library: if two are loaded, workers talk to the last one only.
  const info: BridgeInfo = { channel: `${ENV_KEY}:${process.pid}:${threadId}:${Math.random()}`, inFlight: new SharedArrayBuffer(4) };
  const inFlight = new Int32Array(info.inFlight);
  const channel = new BroadcastChannel(info.channel);
  // Node's BroadcastChannel has unref(); the DOM type does not.
  (channel as unknown as { unref(): void }).unref();
  channel.onmessage = (event) => parse((event as unknown as { data: string }).data, deliver, inFlight);
  setEnvironmentData(ENV_KEY, info);
  return {
    drain() {
      for (let m = receiveMessageOnPort(channel as never); m !== undefined; m = receiveMessageOnPort(channel as never)) {
        parse(m.message as string, deliver, inFlight);
      }
    },
  };
}

/** A worker's end: posts lines for the main thread to write. */
export class WorkerSender {
  readonly #channel: BroadcastChannel;
  readonly #inFlight: Int32Array;
  #droppedUnsent = 0;
  /** Lines this worker dropped because too much was in flight. */
  dropped = 0;

  constructor(info: BridgeInfo) {
    this.#channel = new BroadcastChannel(info.channel);
    (this.#channel as unknown as { unref(): void }).unref();
    this.#inFlight = new Int32Array(info.inFlight);
  }

  /** Posts `line` for the output `fd`/`key`; false when it was dropped (too much in flight). */
  send(fd: number, key: string, line: string): boolean {
    if (Atomics.load(this.#inFlight, 0) + line.length > MAX_IN_FLIGHT) {
      this.dropped++;
      this.#droppedUnsent++;
      return false;
    }
    Atomics.add(this.#inFlight, 0, line.length);
    this.#channel.postMessage(`${fd}\t${key}\t${this.#droppedUnsent}\t1\n${line}`);
    this.#droppedUnsent = 0;
    return true;
  }

  /** Sends the count of dropped lines not yet sent (at the worker's exit). */
  sendCount(fd: number, key: string): void {
    if (this.#droppedUnsent === 0) return;
    this.#channel.postMessage(`${fd}\t${key}\t${this.#droppedUnsent}\t0\n`);
    this.#droppedUnsent = 0;
  }
}

let sender: WorkerSender | null | undefined;

/** In a worker started by a main thread that uses structlog: the sender to it. */
export function workerSender(): WorkerSender | undefined {
  if (sender === undefined) {
    const info = isMainThread ? undefined : (getEnvironmentData(ENV_KEY) as BridgeInfo | undefined);
    sender = info === undefined ? null : new WorkerSender(info);
  }
  return sender ?? undefined;
}
