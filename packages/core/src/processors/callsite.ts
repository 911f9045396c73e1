import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import { markFactory, markProcessor } from "../brand.js";
import { checkOptions } from "../options.js";
import { isOwnFrame, parseStack, stackLines } from "../stack.js";
import type { EventDict, Processor } from "../types.js";

/** The fields {@link callsiteParameterAdder} can add. */
export type CallsiteParameter = "pathname" | "filename" | "module" | "func_name" | "lineno" | "colno" | "process" | "process_name";

/** Every {@link CallsiteParameter}. */
export const ALL_CALLSITE_PARAMETERS: readonly CallsiteParameter[] = [
  "pathname",
  "filename",
  "module",
  "func_name",
  "lineno",
  "colno",
  "process",
  "process_name",
];

/** Options for {@link callsiteParameterAdder}. */
export interface CallsiteParameterAdderOptions {
  /** Which fields to add. Default: all of them. */
  readonly parameters?: readonly CallsiteParameter[];
  /** Also skip frames whose line contains one of these (your own logging wrappers). */
  readonly additionalIgnores?: readonly string[];
}

function toPath(filename: string): string {
  if (!filename.startsWith("file://")) return filename;
  try {
    return fileURLToPath(filename);
  } catch {
    return filename;
  }
}

/**
 * Processor factory: adds where the log call was made (file, function,
 * line), read from a captured stack. Costs a stack capture per line: use it
 * in development, or add only the parameters you need.
 *
 * @example
 * callsiteParameterAdder({ parameters: ["filename", "func_name", "lineno"] });
 */
export function callsiteParameterAdder(options: CallsiteParameterAdderOptions = {}): Processor {
  checkOptions("callsiteParameterAdder()", options, { parameters: "array", additionalIgnores: "array of strings" });
  const parameters = options.parameters ?? ALL_CALLSITE_PARAMETERS;
  for (const p of parameters) {
    if (!ALL_CALLSITE_PARAMETERS.includes(p)) {
      throw new TypeError(
        `callsiteParameterAdder: unknown parameter ${JSON.stringify(p)}; use any of ${ALL_CALLSITE_PARAMETERS.join(", ")}.`,
      );
    }
  }
  const ignores = options.additionalIgnores ?? [];
  return markProcessor((_l, _m, eventDict: EventDict) => {
    const line = stackLines(new Error().stack).find(
      (l) => !isOwnFrame(l) && !l.includes("node:internal") && !ignores.some((i) => l.includes(i)),
    );
    const frame = line === undefined ? undefined : parseStack(line)[0];
    if (frame === undefined) return eventDict;
    const pathname = toPath(frame.filename);
    const filename = basename(pathname);
    const values: Record<CallsiteParameter, unknown> = {
      pathname,
      filename,
      module: filename.replace(/\.[cm]?[jt]sx?$/, ""),
      func_name: frame.name.replace(/^async /, ""),
      lineno: frame.lineno,
      colno: frame.colno,
      process: process.pid,
      process_name: process.title,
    };
    for (const p of parameters) eventDict[p] = values[p];
    return eventDict;
  }, "callsiteParameterAdder");
}
markFactory(callsiteParameterAdder, "callsiteParameterAdder()");
