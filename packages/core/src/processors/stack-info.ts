import { markFactory, markProcessor } from "../brand.js";
import { checkOptions } from "../options.js";
import { isOwnFrame, stackLines } from "../stack.js";
import type { EventDict, Processor } from "../types.js";

/** Options for {@link stackInfoRenderer}. */
export interface StackInfoRendererOptions {
  /** Leave out frames whose line matches one of these (besides structlog's own). */
  readonly additionalIgnores?: readonly (string | RegExp)[];
}

/**
 * Processor factory: when a call passes `stack_info: true`, replaces it with
 * `stack`, the caller's stack (structlog's own frames left out).
 *
 * @example
 * log.info("odd_state", { stack_info: true });
 */
export function stackInfoRenderer(options: StackInfoRendererOptions = {}): Processor {
  checkOptions("stackInfoRenderer()", options, { additionalIgnores: "array of strings" });
  const ignores = options.additionalIgnores ?? [];
  const ignored = (line: string) => isOwnFrame(line) || ignores.some((i) => (typeof i === "string" ? line.includes(i) : i.test(line)));
  return markProcessor((_l, _m, eventDict: EventDict) => {
    if (eventDict.stack_info === undefined) return eventDict;
    const wanted = eventDict.stack_info;
    delete eventDict.stack_info;
    if (wanted) {
      const lines = stackLines(new Error().stack).filter((line) => !ignored(line));
      eventDict.stack = `Stack (most recent call first):\n${lines.join("\n")}`;
    }
    return eventDict;
  }, "stackInfoRenderer");
}
markFactory(stackInfoRenderer, "stackInfoRenderer()");
