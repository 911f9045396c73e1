/**
 * Helpers for your own tests: capture what your code logs, as event dicts.
 *
 * @example
 * import { captureLogs } from "@structlog/core/testing";
 * const logs = await captureLogs(() => service.charge(order));
 * expect(logs).toContainEqual(expect.objectContaining({ event: "payment_failed", log_level: "error" }));
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { globalPreChain } from "./bound-logger.js";
import { safeStringify } from "./json-line.js";
import { METHOD_TO_LEVEL_NAME } from "./levels.js";
import { checkOptions } from "./options.js";
import { redirectReports } from "./report.js";
import { scopeHook } from "./scope-hook.js";
import { DropEvent, type EventDict, type Processor, type WrappedLogger } from "./types.js";

/** Options for {@link captureLogs}. */
export interface CaptureLogsOptions {
  /** Processors to run before capturing, e.g. `[mergeContextVars]`. Default: none. */
  readonly processors?: readonly Processor[];
}

/**
 * structlog's `LogCapture`: a processor that keeps each event dict, with
 * `log_level` added, in `entries`, and drops the event. `captureLogs()`
 * uses one per call; put one last in a chain of your own to collect events
 * without rendering them.
 *
 * @example
 * const cap = new LogCapture();
 * wrapLogger(new CapturingLogger(), { processors: [cap.processor] }).info("hi");
 * cap.entries; // [{ event: "hi", log_level: "info" }]
 */
export class LogCapture {
  readonly entries: EventDict[] = [];
  readonly #processors: readonly Processor[];

  constructor(processors: readonly Processor[] = []) {
    this.#processors = processors;
  }

  /** The processor: captures the event dict and returns `DropEvent`, so it may also end a chain. */
  readonly processor = (logger: WrappedLogger, method: string, eventDict: EventDict): DropEvent => {
    const ed = this.prepare(logger, method, eventDict);
    if (ed !== DropEvent) this.entries.push(ed);
    return DropEvent;
  };

  /** @internal The entry for an event (its processors run, `log_level` added), or `DropEvent`. */
  prepare(logger: WrappedLogger, method: string, eventDict: EventDict): EventDict | DropEvent {
    let ed: EventDict | DropEvent = eventDict;
    for (const p of this.#processors) {
      ed = p(logger, method, ed);
      if (ed === DropEvent) return DropEvent;
    }
    ed.log_level = METHOD_TO_LEVEL_NAME[method] ?? method;
    return ed;
  }

  /** @internal Where a held entry goes if its scope writes it. */
  readonly sink: WrappedLogger = { msg: (entry) => void this.entries.push(entry as EventDict) };
}

const captures = new AsyncLocalStorage<LogCapture>();
let active = 0;

/**
 * The processor `captureLogs()` puts in front of every chain while a capture
 * is active: an event logged inside a capture's async context goes to that
 * capture; any other event passes through untouched.
 */
const captureProcessor: Processor = (logger, method, eventDict) => {
  const capture = captures.getStore();
  if (capture === undefined) return eventDict;
  const holding = scopeHook.holding;
  if (holding === undefined) return capture.processor(logger, method, eventDict);
  // Held by its scope (scope-control.ts): captured only if the scope writes it, as a real line would be.
  const entry = capture.prepare(logger, method, eventDict);
  if (entry !== DropEvent) holding.holdEvent(capture.sink, entry, method, Buffer.byteLength(safeStringify(entry)));
  return DropEvent;
};

function start(): void {
  if (active++ === 0) globalPreChain.unshift(captureProcessor);
}

function stop(): void {
  if (--active === 0) globalPreChain.splice(globalPreChain.indexOf(captureProcessor), 1);
}

/**
 * Runs `fn` and returns the event dicts of every line logged inside it
 * (including by loggers created, bound or cached before the capture
 * started), with `log_level` added, instead of writing them. The capture
 * follows `fn`'s async context, so concurrent tests each see only their own
 * lines. Levels filtered out by the configured wrapper class are not
 * captured.
 *
 * @example
 * const logs = captureLogs(() => getLogger().info("hi", { a: 1 }));
 * // [{ a: 1, event: "hi", log_level: "info" }]
 */
export function captureLogs(fn: () => Promise<unknown>, options?: CaptureLogsOptions): Promise<EventDict[]>;
export function captureLogs(fn: () => unknown, options?: CaptureLogsOptions): EventDict[];
export function captureLogs(fn: () => unknown, options: CaptureLogsOptions = {}): EventDict[] | Promise<EventDict[]> {
  checkOptions("captureLogs()", options, { processors: "array" });
  const capture = new LogCapture(options.processors);
  start();
  return afterRun(
    () => captures.run(capture, fn),
    stop,
    () => capture.entries,
  );
}

/**
 * Runs `fn` and returns the lines structlog wrote to its fallback channel
 * meanwhile (`structlog: … failed: … (reported once)` and
 * `structlog: note: …`), instead of writing them to stderr. Each is
 * reported once within the capture, even if it was reported before it. The
 * channel is process-wide: while `fn` runs, reports from other code are
 * captured too.
 *
 * @example
 * const reports = captureReports(() => log.info("x", { v: hostile }));
 * expect(reports).toEqual([expect.stringMatching(/^structlog: processor addHost failed/)]);
 */
export function captureReports(fn: () => Promise<unknown>): Promise<string[]>;
export function captureReports(fn: () => unknown): string[];
export function captureReports(fn: () => unknown): string[] | Promise<string[]> {
  const lines: string[] = [];
  const restore = redirectReports((line) => lines.push(line));
  return afterRun(fn, restore, () => lines);
}

/**
 * Runs `fn`, then `done()` once it has finished (when its promise settles,
 * if it returns one), and returns `value()` (or a promise of it).
 */
function afterRun<T>(fn: () => unknown, done: () => void, value: () => T): T | Promise<T> {
  let result: unknown;
  try {
    result = fn();
  } catch (e) {
    done();
    throw e;
  }
  if (result instanceof Promise) return result.then(value).finally(done);
  done();
  return value();
}

/** One call a {@link CapturingLogger} received. */
export interface CapturedCall {
  readonly methodName: string;
  readonly rendered: unknown;
}

/**
 * A wrapped logger that stores what it is given (the rendered line and the
 * method name) instead of writing it.
 *
 * @example
 * const out = new CapturingLogger();
 * wrapLogger(out, { processors: [jsonRenderer()] }).info("hi");
 * out.calls[0]?.rendered; // '{"event":"hi"}'
 */
export class CapturingLogger implements WrappedLogger {
  readonly calls: CapturedCall[] = [];
  readonly name: string | undefined;

  constructor(name?: string) {
    this.name = name;
  }

  msg(rendered: unknown, methodName: string): void {
    this.calls.push({ methodName, rendered });
  }
}

/** A factory of {@link CapturingLogger}s that all share one `calls` list. */
export function capturingLoggerFactory(): ((name?: string) => WrappedLogger) & { calls: CapturedCall[] } {
  const calls: CapturedCall[] = [];
  const factory = (name?: string): WrappedLogger => ({ name, msg: (rendered, methodName) => void calls.push({ methodName, rendered }) });
  return Object.assign(factory, { calls });
}

/**
 * A wrapped logger that writes nothing and returns what it is given, so a
 * log call returns its rendered line.
 *
 * @example
 * wrapLogger(new ReturnLogger(), { processors: [jsonRenderer()] }).info("hi"); // '{"event":"hi"}'
 */
export class ReturnLogger implements WrappedLogger {
  readonly name: string | undefined;

  constructor(name?: string) {
    this.name = name;
  }

  msg(rendered: unknown): unknown {
    return rendered;
  }
}
