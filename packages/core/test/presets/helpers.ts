import { wrapLogger } from "../../src/config.js";
import { CapturingLogger } from "../../src/testing.js";
import type { ProcessorChain } from "../../src/types.js";

/** A logger named `name` over a CapturingLogger, with `chain`; `lines()` parses what it wrote. */
export function presetLogger(chain: ProcessorChain, name?: string) {
  const out = new CapturingLogger(name);
  const log = wrapLogger(out, { processors: chain });
  return {
    log,
    raw: () => out.calls.map((c) => c.rendered as string),
    lines: () => out.calls.map((c) => JSON.parse(c.rendered as string) as Record<string, unknown>),
  };
}

/** A destination that keeps what pino writes, line by line (pino writes synchronously to it). */
export function pinoDestination(): { stream: { write(s: string): void }; lines: () => Array<Record<string, unknown>> } {
  const written: string[] = [];
  return {
    stream: { write: (s: string) => void written.push(s) },
    lines: () =>
      written
        .join("")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l)),
  };
}

/** Every leaf of a parsed JSON line as a dotted path (`http.request.method`), for comparing shapes. */
export function paths(value: unknown, prefix = ""): string[] {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => paths(v, prefix === "" ? k : `${prefix}.${k}`));
}

/** A line flattened to `{ "dotted.path": leaf }`. */
export function flatten(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const walk = (v: unknown, prefix: string) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) out[prefix] = v;
    else for (const [k, child] of Object.entries(v)) walk(child, prefix === "" ? k : `${prefix}.${k}`);
  };
  walk(value, "");
  return out;
}
