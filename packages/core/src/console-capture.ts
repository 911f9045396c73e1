/**
 * Foreign logs: `console.*` calls from code that is not yours, routed
 * through the same processors (structlog's stdlib integration, for Node).
 */
import { format } from "node:util";
import { getLogger } from "./config.js";
import type { LazyLogger } from "./lazy-logger.js";
import { checkOptions } from "./options.js";
import { report } from "./report.js";
import { DropEvent, type EventDict, type Processor } from "./types.js";

/** Options for {@link captureConsole}. */
export interface CaptureConsoleOptions {
  /** The logger name for console lines. Default `"console"`. */
  readonly name?: string;
  /** Processors run on console events only, before the configured chain. */
  readonly foreignPreChain?: readonly Processor[];
}

const CONSOLE_METHODS = { log: "info", info: "info", warn: "warning", error: "error", debug: "debug", trace: "debug" } as const;
type ConsoleMethod = keyof typeof CONSOLE_METHODS;

let active: (() => void) | undefined;
/** A console call is being routed through the processors now. */
let routing = false;

function route(lazy: LazyLogger, level: string, preChain: readonly Processor[], args: unknown[]): void {
  const bound = lazy.resolve();
  if (!bound.isEnabledFor(level)) return;
  let eventDict: EventDict | DropEvent = { event: format(...args) };
  try {
    for (const p of preChain) {
      eventDict = p(bound._logger, level, eventDict);
      if (eventDict === DropEvent) return;
    }
  } catch (e) {
    report("captureConsole foreignPreChain", e);
  }
  const { event, ...fields } = eventDict as EventDict;
  (bound[level as "info"] as (e: unknown, f: EventDict) => void)(String(event), fields);
}

/**
 * Routes `console.log/info/warn/error/debug/trace` through the configured
 * processors. The `foreignPreChain` runs only on these foreign events, never
 * on your own loggers' events. Returns a function that restores the console.
 *
 * @example
 * const restore = captureConsole({ foreignPreChain: [(l, m, ed) => ({ ...ed, foreign: true })] });
 */
export function captureConsole(options: CaptureConsoleOptions = {}): () => void {
  checkOptions("captureConsole()", options, { name: "string", foreignPreChain: "array" });
  if (active !== undefined) active();
  const preChain = options.foreignPreChain ?? [];
  for (const [i, p] of preChain.entries()) {
    if (typeof p !== "function") throw new TypeError(`captureConsole({ foreignPreChain }): item ${i} is not a function.`);
  }
  const lazy = getLogger(options.name ?? "console") as LazyLogger;
  const originals = new Map<ConsoleMethod, (...args: unknown[]) => void>();
  for (const [method, level] of Object.entries(CONSOLE_METHODS) as Array<[ConsoleMethod, string]>) {
    const original = console[method];
    originals.set(method, original);
    console[method] = (...args: unknown[]) => {
      // A console call made while one is being routed (a processor or an
      // output that logs to the console) goes to the original console: routed
      // again, it would recurse until the stack overflows.
      if (routing) return original.apply(console, args);
      routing = true;
      try {
        route(lazy, level, preChain, args);
      } catch (e) {
        // util.format() of a hostile argument can throw; console.log must not.
        report("captureConsole", e);
      } finally {
        routing = false;
      }
    };
  }
  const restore = () => {
    for (const [method, original] of originals) console[method] = original;
    if (active === restore) active = undefined;
  };
  active = restore;
  return restore;
}
