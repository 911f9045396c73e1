import { type BoundLoggerClass, type Logger, wrapLogger } from "../src/index.js";
import { jsonRenderer } from "../src/renderers/json.js";
import { CapturingLogger } from "../src/testing.js";
import type { EventDict, Processor, ProcessorChain } from "../src/types.js";

/** A renderer that hands the event dict through, so tests can look at it. */
export const keepDict = ((_l: unknown, _m: string, ed: EventDict) => ed) as unknown as ProcessorChain[number];

/** A logger over a CapturingLogger, with the given processors. */
export function capturing(
  processors: readonly Processor[] = [],
  options: { wrapperClass?: BoundLoggerClass; renderer?: "json" | "dict" } = {},
): { log: Logger; out: CapturingLogger; dicts: () => EventDict[]; lines: () => string[] } {
  const out = new CapturingLogger();
  const renderer = options.renderer === "json" ? jsonRenderer() : keepDict;
  const log = wrapLogger(out, {
    processors: [...processors, renderer] as unknown as ProcessorChain,
    ...(options.wrapperClass ? { wrapperClass: options.wrapperClass } : {}),
  });
  return {
    log,
    out,
    dicts: () => out.calls.map((c) => c.rendered as EventDict),
    lines: () => out.calls.map((c) => c.rendered as string),
  };
}
