/**
 * The bridge keeps core's guarantees: a log call never throws and never
 * loses its record, whatever the values (cycles, BigInts, symbols, throwing
 * getters and proxies, huge values) and whatever the LoggerProvider does.
 * Everything emitted is a valid OTel AnyValue, which the SDK keeps whole.
 */
import { inspect } from "node:util";
import { type DiagLogger, DiagLogLevel, diag } from "@opentelemetry/api";
import type { LoggerProvider as ApiLoggerProvider } from "@opentelemetry/api-logs";
import { LoggerProvider, SimpleLogRecordProcessor } from "@opentelemetry/sdk-logs";
import { type Logger, processors, wrapLogger } from "@structlog/core";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostileFields, hostileString, hostileValue, hugeValues, unbox } from "../../core/test/reliability/arbitraries.js";
import { otelLoggerFactory, otelRenderer, otelTee } from "../src/index.js";
import { captureReports, logsSdk } from "./helpers.js";

const MAX = 32_768;
const SUFFIX = 40;

/** Is `value` an AnyValue (string, finite number, boolean, null, array or plain object of AnyValues), with every string cut? */
function expectAnyValue(value: unknown, path = "value"): void {
  if (value === null || typeof value === "boolean") return;
  if (typeof value === "string") {
    expect(value.length, path).toBeLessThanOrEqual(MAX + SUFFIX);
    return;
  }
  if (typeof value === "number") {
    expect(Number.isFinite(value), path).toBe(true);
    return;
  }
  expect(typeof value, path).toBe("object");
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) expectAnyValue(item, `${path}[${i}]`);
    return;
  }
  expect(Object.getPrototypeOf(value), `${path} is a plain object`).toBe(Object.prototype);
  for (const [k, v] of Object.entries(value as object)) expectAnyValue(v, `${path}.${k}`);
}

const warnings: string[] = [];
const diagLogger: DiagLogger = {
  error: (m) => warnings.push(m),
  warn: (m) => warnings.push(m),
  info: () => {},
  debug: () => {},
  verbose: () => {},
};

let sdk: ReturnType<typeof logsSdk>;
let log: Logger;
let teeLog: Logger;

beforeAll(() => {
  diag.setLogger(diagLogger, DiagLogLevel.WARN);
  sdk = logsSdk();
  const factory = otelLoggerFactory({ loggerProvider: sdk.provider });
  log = wrapLogger(factory("hostile\n\u001b[31m"), { processors: [processors.addLogLevel, processors.addLoggerName, otelRenderer()] });
  const sink = { name: "tee", msg: () => undefined };
  teeLog = wrapLogger(sink, { processors: [processors.addLogLevel, otelTee({ loggerProvider: sdk.provider }), processors.jsonRenderer()] });
});

afterAll(() => diag.disable());

/** Logs through both the renderer and the tee; checks one valid record each, and no warning from the SDK. */
function check(call: (l: Logger) => void): void {
  warnings.length = 0;
  for (const l of [log, teeLog]) {
    sdk.exporter.reset();
    try {
      call(l);
    } catch (e) {
      throw new Error(`the log call threw ${inspect(e)}`);
    }
    const records = sdk.records();
    expect(records).toHaveLength(1);
    const record = records[0];
    if (record?.body !== undefined) expectAnyValue(record.body, "body");
    for (const [k, v] of Object.entries(record?.attributes ?? {})) expectAnyValue(v, `attributes[${JSON.stringify(k)}]`);
    expect(record?.droppedAttributesCount).toBe(0);
  }
  expect(warnings).toEqual([]);
}

describe("hostile values through the bridge", () => {
  it("never throw and always give one valid record, as a field, as exc_info and as the event", async () => {
    const { reports } = await captureReports(() =>
      fc.assert(
        fc.property(hostileString, hostileValue, hostileFields, (event, boxed, fields) => {
          const value = unbox(boxed);
          check((l) => l.info(event, { ...(unbox(fields) as object), value }));
          check((l) => l.exception(event, { exc_info: value }));
          check((l) => l.bind({ value }).warning(event));
          check((l) => l.error(value as string));
        }),
        { numRuns: Number(process.env.RELIABILITY_RUNS ?? 150) },
      ),
    );
    // Only the fields object itself (a throwing proxy) can make a call fall back; no conversion failed.
    expect(reports.filter((r) => r.includes("otelRenderer") || r.includes("otelTee"))).toEqual([]);
  });

  it("cut huge values to a bounded record", () => {
    for (const value of hugeValues()) check((l) => l.info("huge", { value, again: value }));
  });

  it("cap an event with very many fields, counting what was left out", () => {
    const fields = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i]));
    const sdkWide = logsSdk();
    const wide = wrapLogger(otelLoggerFactory({ loggerProvider: sdkWide.provider })("w"), { processors: [otelRenderer()] });
    wide.info("wide", fields);
    // The SDK applies its own attribute count limit (128 by default) on top.
    const record = sdkWide.records()[0];
    expect(Object.keys(record?.attributes ?? {}).length).toBeLessThanOrEqual(1001);
  });
});

describe("a broken LoggerProvider", () => {
  const cases: Array<[string, () => ApiLoggerProvider]> = [
    [
      "getLogger throws",
      () => ({
        getLogger() {
          throw new Error("no logger for you");
        },
      }),
    ],
    ["getLogger returns null", () => ({ getLogger: () => null as never })],
    [
      "emit throws",
      () => ({
        getLogger: () => ({
          emit() {
            throw new Error("exporter on fire");
          },
          enabled: () => true,
        }),
      }),
    ],
    [
      "emit throws a non-Error whose toString throws",
      () => ({
        getLogger: () => ({
          emit() {
            throw {
              toString() {
                throw new Error("nope");
              },
            };
          },
          enabled: () => true,
        }),
      }),
    ],
  ];

  it.each(cases)("never makes the log call throw when %s", async (_name, make) => {
    const provider = make();
    const broken = wrapLogger(otelLoggerFactory({ loggerProvider: provider })("b"), { processors: [otelRenderer()] });
    const tee = otelTee({ loggerProvider: provider });
    await captureReports(() => {
      expect(() => broken.info("first")).not.toThrow();
      expect(() => broken.error("second", { exc_info: new Error("x") })).not.toThrow();
      expect(tee({ name: "t", msg: () => undefined }, "info", { event: "teed" })).toEqual({ event: "teed" });
    });
  });
});

describe("a record logged while one is being emitted", () => {
  /** A LogRecordProcessor that logs through structlog on every record, as an app's own processor or exporter might. */
  function reentrant(logged: (body: unknown) => boolean) {
    const sdkInner = logsSdk();
    let looped: Logger | undefined;
    const provider = new LoggerProvider({
      processors: [
        {
          onEmit: (record) => {
            if (logged(record.body)) looped?.info("logged_by_the_processor", { about: record.body });
          },
          forceFlush: async () => {},
          shutdown: async () => {},
        },
        new SimpleLogRecordProcessor({ exporter: sdkInner.exporter }),
      ],
    });
    looped = wrapLogger(otelLoggerFactory({ loggerProvider: provider })("loop"), { processors: [otelRenderer()] });
    return { log: looped, records: sdkInner.records };
  }

  it("is emitted too", async () => {
    const { log: once, records } = reentrant((body) => body === "outer");
    await captureReports(() => once.info("outer"));
    expect(records().map((r) => r.body)).toEqual(expect.arrayContaining(["outer", "logged_by_the_processor"]));
    expect(records()).toHaveLength(2);
  });

  it("is dropped once the nesting is a loop: the call returns, with a bounded number of records, and says so once", async () => {
    const { log: loop, records } = reentrant(() => true);
    const { reports } = await captureReports(() => expect(() => loop.info("outer")).not.toThrow());
    expect(records().length).toBeLessThanOrEqual(10);
    expect(reports).toEqual([expect.stringMatching(/structlog: .*logged while .* loop/)]);
  });
});
