import { trace } from "@opentelemetry/api";
import { logs, SeverityNumber } from "@opentelemetry/api-logs";
import { configure, contextvars, getLogger, processors, resetDefaults, wrapLogger } from "@structlog/core";
import { capturingLoggerFactory } from "@structlog/core/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { addTraceContext, otelLoggerFactory, otelRenderer, otelTee } from "../src/index.js";
import { captureReports, disableLogs, logsSdk, registerTracing } from "./helpers.js";

let sdk: ReturnType<typeof logsSdk>;

function bridge(): void {
  sdk = logsSdk();
  configure({
    processors: [contextvars.mergeContextVars, processors.addLogLevel, processors.addLoggerName, otelRenderer()],
    loggerFactory: otelLoggerFactory({ loggerProvider: sdk.provider }),
  });
}

const only = () => {
  const records = sdk.records();
  expect(records).toHaveLength(1);
  return records[0] as NonNullable<(typeof records)[0]>;
};

afterEach(() => {
  resetDefaults();
  disableLogs();
});

describe("otelRenderer() with otelLoggerFactory()", () => {
  it("makes the event the body and the other fields attributes", () => {
    bridge();
    getLogger("orders").info("order_paid", { order_id: "ORD-1", amount: 42.5, paid: true });
    const record = only();
    expect(record.body).toBe("order_paid");
    expect(record.attributes).toEqual({ order_id: "ORD-1", amount: 42.5, paid: true });
  });

  it.each([
    ["trace", SeverityNumber.TRACE, "trace"],
    ["debug", SeverityNumber.DEBUG, "debug"],
    ["info", SeverityNumber.INFO, "info"],
    ["warning", SeverityNumber.WARN, "warning"],
    ["warn", SeverityNumber.WARN, "warning"],
    ["error", SeverityNumber.ERROR, "error"],
    ["exception", SeverityNumber.ERROR, "error"],
    ["critical", SeverityNumber.FATAL, "critical"],
    ["fatal", SeverityNumber.FATAL, "critical"],
  ] as const)("maps %s to severity %i (%s)", async (method, number, text) => {
    bridge();
    // exception() without an error notes once on stderr that it logs none.
    await captureReports(() => getLogger("x")[method]("e"));
    expect(only()).toMatchObject({ severityNumber: number, severityText: text });
    expect(only().attributes).not.toHaveProperty("level");
  });

  it("sets the timestamp to the time of the call", () => {
    bridge();
    const before = Date.now();
    getLogger().info("now");
    const after = Date.now();
    const [s, ns] = only().hrTime;
    const ms = s * 1000 + ns / 1e6;
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(after + 1);
  });

  it("takes timeStamper's timestamp, so a tee's line and record agree", () => {
    sdk = logsSdk();
    const log = wrapLogger(otelLoggerFactory({ loggerProvider: sdk.provider })("t"), {
      processors: [(_l, _m, ed) => ({ ...ed, timestamp: "2026-05-02T10:00:00.123Z" }), otelRenderer()],
    });
    log.info("fixed_time");
    expect(only().hrTime).toEqual([Date.parse("2026-05-02T10:00:00.000Z") / 1000, 123_000_000]);
    expect(only().attributes).not.toHaveProperty("timestamp");
    sdk.exporter.reset();
    wrapLogger(otelLoggerFactory({ loggerProvider: sdk.provider })("t"), {
      processors: [(_l, _m, ed) => ({ ...ed, timestamp: 1_777_716_000.5 }), otelRenderer()],
    }).info("unix_seconds");
    expect(only().hrTime).toEqual([1_777_716_000, 500_000_000]);
  });

  it("keeps a timestamp field in epoch milliseconds (Date.now()) as an attribute, not as seconds 1000 times too late", () => {
    bridge();
    const before = Date.now();
    getLogger().info("js_time", { timestamp: before });
    const [s, ns] = only().hrTime;
    expect(s * 1000 + ns / 1e6).toBeLessThanOrEqual(Date.now() + 1);
    expect(s * 1000 + ns / 1e6).toBeGreaterThanOrEqual(before);
    expect(only().attributes).toMatchObject({ timestamp: before });
  });

  it("keeps nested objects and arrays as AnyValue maps and arrays", () => {
    bridge();
    getLogger().info("nested", {
      user: { id: 7, roles: ["admin", "dev"], address: { city: "Lyon" } },
      mixed: [1, "two", { three: 3 }, null],
    });
    expect(only().attributes).toEqual({
      user: { id: 7, roles: ["admin", "dev"], address: { city: "Lyon" } },
      mixed: [1, "two", { three: 3 }, null],
    });
  });

  it("turns exc_info into exception.type, exception.message and exception.stacktrace, causes included", () => {
    bridge();
    class PaymentError extends Error {}
    const err = new PaymentError("card declined", { cause: new Error("gateway timeout") });
    getLogger().exception("payment_failed", { exc_info: err, order_id: 3 });
    const { attributes } = only();
    expect(attributes).toMatchObject({ "exception.type": "PaymentError", "exception.message": "card declined", order_id: 3 });
    expect(attributes["exception.stacktrace"]).toMatch(/^Error: card declined\n\s+at /);
    expect(attributes["exception.stacktrace"]).toContain("Caused by:\nError: gateway timeout");
    expect(attributes).not.toHaveProperty("exc_info");
  });

  it("turns an Error in another field (pino's err) into exception.* too", () => {
    bridge();
    getLogger().error("failed", { err: new TypeError("bad input") });
    expect(only().attributes).toMatchObject({ "exception.type": "TypeError", "exception.message": "bad input" });
    expect(only().attributes).not.toHaveProperty("err");
  });

  it("turns log.error(err), pino's shape, into exception.* with the message as body", () => {
    bridge();
    getLogger().error(new RangeError("out of range"));
    expect(only().body).toBe("out of range");
    expect(only().attributes["exception.type"]).toBe("RangeError");
  });

  it("makes formatExcInfo's text the stack trace", () => {
    sdk = logsSdk();
    configure({
      processors: [processors.formatExcInfo, otelRenderer()],
      loggerFactory: otelLoggerFactory({ loggerProvider: sdk.provider }),
    });
    getLogger().error("formatted", { exc_info: new Error("boom") });
    expect(only().attributes["exception.stacktrace"]).toMatch(/^Error: boom\n/);
  });

  it("uses the logger name as the instrumentation scope", () => {
    bridge();
    getLogger("payments").info("a");
    expect(only().instrumentationScope.name).toBe("payments");
    expect(only().attributes).not.toHaveProperty("logger");
  });

  it("uses @structlog/opentelemetry, or defaultScopeName, as the scope of a logger without a name", () => {
    bridge();
    getLogger().info("a");
    expect(only().instrumentationScope.name).toBe("@structlog/opentelemetry");
    sdk.exporter.reset();
    configure({ loggerFactory: otelLoggerFactory({ loggerProvider: sdk.provider, defaultScopeName: "my-app" }) });
    getLogger().info("b");
    expect(only().instrumentationScope.name).toBe("my-app");
  });

  it("keeps a level or logger field that the chain did not add", () => {
    sdk = logsSdk();
    configure({ processors: [otelRenderer()], loggerFactory: otelLoggerFactory({ loggerProvider: sdk.provider }) });
    getLogger("svc").info("game_over", { level: 3, logger: "someone else" });
    expect(only().attributes).toEqual({ level: 3, logger: "someone else" });
  });

  it("renames the keys the SDK cannot hold: empty, __proto__, and constructor inside a nested map", () => {
    bridge();
    const fields = JSON.parse('{"":1,"__proto__":{"polluted":true},"meta":{"constructor":"Foo","__proto__":[1]}}');
    getLogger().info("odd_keys", fields);
    expect(only().attributes).toEqual({
      "[empty key]": 1,
      "[__proto__]": { polluted: true },
      meta: { "[constructor]": "Foo", "[__proto__]": [1] },
    });
    expect(Object.getPrototypeOf(only().attributes)).toBe(Object.prototype);
  });

  it("carries the context variables of the scope", () => {
    bridge();
    contextvars.boundContextVars({ request_id: "req-9" }, () => getLogger().info("in_request"));
    expect(only().attributes).toEqual({ request_id: "req-9" });
  });

  it("copies every value, so changing an object after the call cannot change the record", () => {
    bridge();
    const cart = { items: ["a"] };
    getLogger().info("cart", { cart });
    cart.items.push("b");
    expect(only().attributes.cart).toEqual({ items: ["a"] });
  });

  it("emits to the global LoggerProvider by default, including one registered after configure()", () => {
    configure({ processors: [otelRenderer()], loggerFactory: otelLoggerFactory() });
    getLogger().info("before_registration");
    sdk = logsSdk();
    logs.setGlobalLoggerProvider(sdk.provider);
    getLogger().info("after_registration");
    expect(sdk.records().map((r) => r.body)).toEqual(["after_registration"]);
  });

  it("returns a Renderer<OtelLogRecord> that any wrapped logger can receive", () => {
    const factory = capturingLoggerFactory();
    configure({ processors: [otelRenderer()], loggerFactory: factory });
    getLogger().warning("w", { a: 1n });
    expect(factory.calls[0]?.rendered).toMatchObject({ body: "w", severityNumber: 13, attributes: { a: "1" } });
  });
});

describe("the bridge inside a span", () => {
  let tracing: ReturnType<typeof registerTracing>;
  beforeAll(() => {
    tracing = registerTracing();
  });
  afterAll(() => tracing.close());

  it("passes the active context, so the SDK attaches the trace and span ids", () => {
    bridge();
    const ids = trace.getTracer("t").startActiveSpan("op", (span) => {
      getLogger().info("in_span");
      span.end();
      return span.spanContext();
    });
    expect(only().spanContext).toMatchObject({ traceId: ids.traceId, spanId: ids.spanId, traceFlags: 1 });
  });

  it("does not repeat addTraceContext's fields as attributes", () => {
    sdk = logsSdk();
    configure({ processors: [addTraceContext(), otelRenderer()], loggerFactory: otelLoggerFactory({ loggerProvider: sdk.provider }) });
    trace.getTracer("t").startActiveSpan("op", (span) => {
      getLogger().info("in_span");
      span.end();
    });
    expect(only().attributes).toEqual({});
    expect(only().spanContext?.traceId).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe("otelTee()", () => {
  it("writes the JSON line and hands the same event to OpenTelemetry in one call", () => {
    sdk = logsSdk();
    const lines = capturingLoggerFactory();
    configure({
      processors: [
        processors.addLogLevel,
        processors.timeStamper({ fmt: "iso" }),
        otelTee({ loggerProvider: sdk.provider }),
        processors.jsonRenderer(),
      ],
      loggerFactory: lines,
    });
    getLogger("api").info("user_login", { user_id: 42, tags: ["a"] });
    const line = JSON.parse(lines.calls[0]?.rendered as string);
    expect(line).toMatchObject({ event: "user_login", level: "info", user_id: 42, tags: ["a"] });
    const record = only();
    expect(record).toMatchObject({ body: "user_login", severityText: "info", attributes: { user_id: 42, tags: ["a"] } });
    expect(record.instrumentationScope.name).toBe("api");
    const [s, ns] = record.hrTime;
    expect(new Date(s * 1000 + ns / 1e6).toISOString()).toBe(line.timestamp);
  });

  it("passes the event dict on unchanged", () => {
    sdk = logsSdk();
    const tee = otelTee({ loggerProvider: sdk.provider });
    const ed = { event: "e", n: 1n, nested: { a: 1 } };
    expect(tee({ name: "x", msg: () => undefined }, "info", ed)).toBe(ed);
    expect(ed).toEqual({ event: "e", n: 1n, nested: { a: 1 } });
  });
});

describe("option checks", () => {
  it("otelRenderer() rejects an unknown option", () => {
    expect(() => otelRenderer({ maxStringLen: 5 } as never)).toThrow(/unknown option "maxStringLen"/);
  });

  it("otelRenderer() rejects a bad maxStringLength", () => {
    expect(() => otelRenderer({ maxStringLength: 0 })).toThrow(/maxStringLength must be a whole number/);
  });

  it.each([
    ["addTraceContext", () => addTraceContext, "addTraceContext()"],
    ["otelTee", () => otelTee, "otelTee()"],
    ["otelRenderer", () => otelRenderer, "otelRenderer()"],
  ])("configure() rejects the factory %s passed without calling it, showing the call", (_name, factory, call) => {
    const chain = [factory(), otelRenderer()];
    expect(() => configure({ processors: chain as never, loggerFactory: otelLoggerFactory() })).toThrow(
      `item 0 is a factory, not a processor: call it, e.g. ${call}.`,
    );
  });

  it("otelLoggerFactory() and otelTee() reject a snake_case option, naming the camelCase one", () => {
    expect(() => otelLoggerFactory({ logger_provider: {} } as never)).toThrow(
      /unknown option "logger_provider" \(did you mean loggerProvider\?\)/,
    );
    expect(() => otelTee({ max_string_length: 5 } as never)).toThrow(
      /unknown option "max_string_length" \(did you mean maxStringLength\?\)/,
    );
  });

  it("otelLoggerFactory() rejects something that is not a LoggerProvider", () => {
    expect(() => otelLoggerFactory({ loggerProvider: {} as never })).toThrow(/loggerProvider must be an OpenTelemetry LoggerProvider/);
  });

  it("otelTee() rejects an unknown option", () => {
    expect(() => otelTee({ provider: {} } as never)).toThrow(/unknown option "provider"/);
  });
});

describe("an event dict that cannot even be read", () => {
  it("still gives a record, at the call's level, and the failure is reported once", async () => {
    sdk = logsSdk();
    const unreadable = () =>
      new Proxy(
        {},
        {
          ownKeys() {
            throw new Error("no keys for you");
          },
        },
      );
    const log = wrapLogger(otelLoggerFactory({ loggerProvider: sdk.provider })("x"), { processors: [unreadable, otelRenderer()] });
    const { reports } = await captureReports(() => {
      log.error("first");
      log.error("second");
    });
    expect(sdk.records().map((r) => [r.body, r.severityNumber, r.attributes.structlog_error])).toEqual([
      ["[unrenderable event]", SeverityNumber.ERROR, "the event could not be converted"],
      ["[unrenderable event]", SeverityNumber.ERROR, "the event could not be converted"],
    ]);
    expect(reports).toEqual([expect.stringMatching(/^structlog: otelRenderer\(\) failed: Error: no keys for you/)]);
  });
});

describe("a line rendered by another renderer", () => {
  it("still reaches OpenTelemetry as the body, and the mistake is reported once", async () => {
    sdk = logsSdk();
    configure({ processors: [processors.jsonRenderer()], loggerFactory: otelLoggerFactory({ loggerProvider: sdk.provider }) });
    const { reports } = await captureReports(() => {
      getLogger().error("as_line");
      getLogger().error("again");
    });
    expect(sdk.records().map((r) => [r.body, r.severityNumber])).toEqual([
      ['{"event":"as_line"}', SeverityNumber.ERROR],
      ['{"event":"again"}', SeverityNumber.ERROR],
    ]);
    expect(reports).toEqual([expect.stringMatching(/otelLoggerFactory\(\) failed: TypeError: received a line, not a LogRecord/)]);
  });
});
