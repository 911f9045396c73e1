/** The presets keep core's guarantees: any value, one well-formed JSON line, never a throw. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { configure, resetDefaults } from "../../src/config.js";
import { boundContextVars } from "../../src/context.js";
import { ecs, otel, pino } from "../../src/presets/index.js";
import { captureReports } from "../../src/testing.js";
import { hostileFields, hostileString, hostileValue, hugeValues, unbox } from "../reliability/arbitraries.js";
import { presetLogger } from "./helpers.js";

const loggers = [
  ["ecs", presetLogger(ecs(), "ecs")],
  ["otel", presetLogger(otel(), "otel")],
  ["pino", presetLogger(pino(), "pino")],
] as const;

function check(call: (log: (typeof loggers)[number][1]["log"]) => void): void {
  for (const [name, logger] of loggers) {
    const before = logger.raw().length;
    expect(() => call(logger.log), name).not.toThrow();
    const written = logger.raw().slice(before);
    expect(written, name).toHaveLength(1);
    const line = written[0] as string;
    expect(line, name).not.toMatch(/[\n\r\u2028\u2029]/);
    expect(JSON.parse(line), name).toBeTypeOf("object");
    // The preset wrote it, not the fallback for a processor that threw.
    expect(line, name).not.toContain("structlog_error");
  }
}

describe("hostile values through the presets", () => {
  it("give one JSON line each: as fields, exc_info, err, the request line's fields and the context", () => {
    fc.assert(
      fc.property(hostileString, hostileValue, hostileFields, (event, boxed, fields) => {
        const value = unbox(boxed);
        check((log) => log.info(event, { ...(unbox(fields) as object), value }));
        // exc_info: true notes once on stderr that it names no exception.
        check((log) => captureReports(() => log.exception(event, { exc_info: value })));
        check((log) => log.error(event, { err: value, error: value }));
        check((log) =>
          log.info("request_completed", {
            method: value,
            path: value,
            status_code: value,
            duration_ms: value,
            req: value,
            res: value,
            user: value,
            user_id: value,
          }),
        );
        check((log) => boundContextVars({ request_id: value, trace_id: value, http: value }, () => log.warning(event)));
      }),
      { numRuns: Number(process.env.RELIABILITY_RUNS ?? 150) },
    );
  });

  it("cut huge values", () => {
    for (const value of hugeValues()) check((log) => log.info("request_completed", { req: value, method: value }));
  });

  it("are whole chains that configure() accepts", () => {
    for (const chain of [ecs(), otel(), pino()]) expect(() => configure({ processors: chain })).not.toThrow();
    resetDefaults();
  });
});
