/**
 * Hostile values through every renderer and every way a value reaches one:
 * call fields, bind(), exc_info, pino's call shapes and format arguments.
 * Real loggers (wrapLogger over a CapturingLogger, with the exception
 * processors in the chain). For every call: no throw, exactly one line, the
 * line well-formed for its renderer, and no prototype changed.
 */
import { inspect } from "node:util";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { wrapLogger } from "../../src/config.js";
import { dictTracebacks, formatExcInfo } from "../../src/processors/exceptions.js";
import { addLoggerName, addLogLevel } from "../../src/processors/level.js";
import { timeStamper } from "../../src/processors/timestamps.js";
import { consoleRenderer } from "../../src/renderers/console.js";
import { jsonRenderer } from "../../src/renderers/json.js";
import { keyValueRenderer } from "../../src/renderers/key-value.js";
import { logfmtRenderer } from "../../src/renderers/logfmt.js";
import { CapturingLogger, captureReports } from "../../src/testing.js";
import type { Logger, ProcessorChain } from "../../src/types.js";
import { anythingAll, hostileFields, hostileString, hostileValue, hugeValues, unbox } from "./arbitraries.js";
import { expectJsonLine, expectPrototypesUnchanged, expectTextLine, prototypeSnapshot } from "./checks.js";

type Kind = "json" | "text" | "color";

/** Builds the console renderer with colours exactly as asked, whatever FORCE_COLOR/NO_COLOR say. */
function consoleWith(colors: boolean, extra: Parameters<typeof consoleRenderer>[0] = {}) {
  const saved = { FORCE_COLOR: process.env.FORCE_COLOR, NO_COLOR: process.env.NO_COLOR };
  delete process.env.FORCE_COLOR;
  delete process.env.NO_COLOR;
  try {
    return consoleRenderer({ ...extra, colors });
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v !== undefined) process.env[k] = v;
  }
}

const ts = timeStamper({ fmt: "iso" });
const CHAINS: ReadonlyArray<readonly [string, Kind, () => readonly unknown[]]> = [
  ["json + formatExcInfo", "json", () => [addLogLevel, addLoggerName, ts, formatExcInfo, jsonRenderer()]],
  ["json + dictTracebacks", "json", () => [addLogLevel, addLoggerName, dictTracebacks, jsonRenderer()]],
  ["json sortKeys", "json", () => [addLogLevel, formatExcInfo, jsonRenderer({ sortKeys: true })]],
  ["console, colours off", "text", () => [addLogLevel, addLoggerName, ts, consoleWith(false)]],
  ["console, colours on", "color", () => [addLogLevel, addLoggerName, ts, consoleWith(true)]],
  ["console + formatExcInfo", "text", () => [addLogLevel, formatExcInfo, consoleWith(false, { reprNativeStr: true })]],
  ["console + dictTracebacks", "color", () => [addLogLevel, dictTracebacks, consoleWith(true)]],
  ["logfmt", "text", () => [addLogLevel, addLoggerName, formatExcInfo, logfmtRenderer()]],
  ["key-value", "text", () => [addLogLevel, formatExcInfo, keyValueRenderer({ sortKeys: true })]],
  ["key-value, reprNativeStr off", "text", () => [addLogLevel, dictTracebacks, keyValueRenderer({ reprNativeStr: false })]],
];

interface Target {
  readonly name: string;
  readonly kind: Kind;
  readonly log: Logger;
  readonly out: CapturingLogger;
}

const targets: Target[] = CHAINS.map(([name, kind, chain]) => {
  const out = new CapturingLogger("app\n\u001b[31m");
  return { name, kind, out, log: wrapLogger(out, { processors: chain() as unknown as ProcessorChain }) };
});

type Shape = readonly [
  name: string,
  call: (log: Logger, event: string, value: unknown, fields: Record<string, unknown>) => void,
  viaRenderer: boolean,
];

/**
 * The ways a value reaches a renderer. Where the value is a field (`viaRenderer`),
 * the configured renderer must write the line itself; where the value stands
 * for the whole fields object or a format argument, a value that cannot even
 * be read (a throwing proxy) may give the fallback line with `structlog_error`.
 */
const SHAPES: readonly Shape[] = [
  ["call fields", (log, event, value, fields) => log.info(event, { ...fields, value }), true],
  [
    "bind()",
    (log, event, value, fields) =>
      log
        .bind({ ...fields, value })
        .bind({ again: value })
        .warning(event),
    true,
  ],
  ["exc_info field", (log, event, value) => log.exception(event, { exc_info: value }), true],
  ["second argument", (log, event, value) => log.error(event, value as Error), false],
  ["pino (obj, msg)", (log, event, value) => log.info(value as object, event), false],
  [
    "format arguments",
    (log, event, value) => log.info(`${event} %s %o %O %j %d %i %f %c`, value, value, value, value, value, value, value, value),
    false,
  ],
  ["bare value", (log, _event, value) => log.fatal(value as string), false],
];

/** Cases per property; RELIABILITY_RUNS=20000 for a long exploratory run. */
const RUNS = Number(process.env.RELIABILITY_RUNS ?? 400);
const TIMEOUT = Math.max(60_000, RUNS * 100);
let checkedCalls = 0;
let generatedCases = 0;

/** Every shape through every chain: no throw, one line per call, a well-formed line. */
function checkEverywhere(event: string, value: unknown, fields: Record<string, unknown> = {}): void {
  const before = prototypeSnapshot();
  generatedCases++;
  for (const target of targets) {
    for (const [shape, call, viaRenderer] of SHAPES) {
      const n = target.out.calls.length;
      let reports: string[] = [];
      try {
        reports = captureReports(() => call(target.log, event, value, fields));
      } catch (e) {
        throw new Error(`${target.name}, ${shape}: the log call threw ${inspect(e)}`);
      }
      // The only report a hostile value may cause: exc_info: true names no exception.
      for (const report of reports) expect(report, `${target.name}, ${shape}`).toMatch(/^structlog: note: exc_info: true/);
      expect(target.out.calls.length, `${target.name}, ${shape}: lines written`).toBe(n + 1);
      const rendered = target.out.calls[n]?.rendered;
      try {
        if (target.kind === "json") expectJsonLine(rendered);
        else expectTextLine(rendered, target.kind === "color");
        if (viaRenderer) expect(rendered).not.toContain("structlog_error");
      } catch (e) {
        throw new Error(`${target.name}, ${shape}: ${(e as Error).message}\n${inspect(rendered)}`.slice(0, 4000));
      }
      checkedCalls++;
    }
    target.out.calls.length = 0;
  }
  expectPrototypesUnchanged(before);
}

afterAll(() => {
  // The counts recorded in docs/reliability.md, for an exploratory run (a
  // green run of the suite stays quiet).
  if (process.env.RELIABILITY_RUNS !== undefined) {
    console.log(
      `hostile values: ${generatedCases} cases, ${checkedCalls} log calls checked (${targets.length} chains × ${SHAPES.length} shapes)`,
    );
  }
});

describe("hostile values", () => {
  it(
    "fc.anything (every option on) never breaks a line, and the values are left unchanged",
    () => {
      fc.assert(
        fc.property(hostileString, anythingAll, fc.dictionary(fc.string(), anythingAll, { maxKeys: 3 }), (event, value, fields) => {
          const snapshot = inspect([value, fields], { depth: Number.POSITIVE_INFINITY, showHidden: true });
          checkEverywhere(event, value, fields);
          expect(inspect([value, fields], { depth: Number.POSITIVE_INFINITY, showHidden: true })).toBe(snapshot);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    "cycles, deep nesting, proxies, throwing getters and toJSON, odd errors, symbols and hostile keys never break a line",
    () => {
      fc.assert(
        fc.property(hostileString, hostileValue, hostileFields, (event, value, fields) =>
          checkEverywhere(event, unbox(value), unbox(fields) as Record<string, unknown>),
        ),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it("huge values (5 MB strings, a million items, 10,000 deep) never break a line", () => {
    for (const value of hugeValues()) checkEverywhere("huge", value, { again: value });
  });

  it(
    "a fields object that is itself hostile still gives one line",
    () => {
      fc.assert(
        fc.property(hostileString, hostileValue, (event, value) => {
          for (const target of targets) {
            const n = target.out.calls.length;
            target.log.info(event, unbox(value) as Record<string, unknown>);
            expect(target.out.calls.length).toBe(n + 1);
            target.out.calls.length = 0;
          }
        }),
        { numRuns: Math.ceil(RUNS / 2) },
      );
    },
    TIMEOUT,
  );
});
