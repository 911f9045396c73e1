/**
 * The sample lines in docs/presets.md are what the presets write: each is
 * made again here, with the scenario that file describes, and compared
 * character for character.
 */
import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { boundContextVars } from "../../src/context.js";
import { ecs, otel, pino } from "../../src/presets/index.js";
import type { Processor, ProcessorChain } from "../../src/types.js";
import { presetLogger } from "./helpers.js";

const doc = readFileSync(new URL("../../../../docs/presets.md", import.meta.url), "utf8");

/** The JSON line after `<!-- sample: name -->`. */
function sample(name: string): string {
  const match = new RegExp(`<!-- sample: ${name} -->\\n\`\`\`json\\n(.*)\\n\`\`\``).exec(doc);
  if (match?.[1] === undefined) throw new Error(`docs/presets.md has no sample ${name}`);
  return match[1];
}

/** What addTraceContext() adds inside a span. */
const inSpan: Processor = (_l, _m, ed) =>
  Object.assign(ed, { trace_id: "4bf92f3577b34da6a3ce929d0e0e4736", span_id: "00f067aa0ba902b7", trace_flags: "01" });
const base = { pid: 4242, hostname: "web-1" };

const PRESETS: ReadonlyArray<readonly [string, () => ProcessorChain]> = [
  ["ecs", () => ecs({ serviceName: "shop", base, processors: [inSpan] })],
  ["otel", () => otel({ resource: { "service.name": "shop" }, processors: [inSpan] })],
  ["pino", () => pino({ base, processors: [inSpan] })],
];

/** The scenario of docs/presets.md: inside a request with request_id and user_id. */
function write(chain: ProcessorChain, line: "app" | "request"): string {
  const { log, raw } = presetLogger(chain, line === "app" ? "api" : "http");
  boundContextVars({ request_id: "req-7f3a", user_id: 42 }, () => {
    if (line === "app") log.info("user_login", { login_method: "password" });
    else
      log.info("request_completed", {
        method: "GET",
        path: "/orders/7",
        route: "/orders/:id",
        status_code: 200,
        duration_ms: 3.25,
        remote_address: "127.0.0.1",
      });
  });
  return raw()[0] as string;
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2026-05-02T10:00:00.123Z"));
});
afterEach(() => vi.useRealTimers());

describe("the sample lines in docs/presets.md", () => {
  for (const [name, chain] of PRESETS) {
    for (const line of ["app", "request"] as const) {
      it(`${name}: the ${line} line is what the preset writes`, () => {
        expect(write(chain(), line)).toBe(sample(`${name}/${line}`));
      });
    }
  }
});
