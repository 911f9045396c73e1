/** presets.otel(): the OpenTelemetry log data model's field names, as JSON lines. */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { boundContextVars } from "../../src/context.js";
import { otel } from "../../src/presets/index.js";
import { formatExcInfo } from "../../src/processors/exceptions.js";
import { captureReports } from "../../src/testing.js";
import type { Processor } from "../../src/types.js";
import { presetLogger } from "./helpers.js";

/** What addTraceContext() (in @structlog/opentelemetry) adds inside a span. */
const inSpan: Processor = (_l, _m, ed) =>
  Object.assign(ed, { trace_id: "4bf92f3577b34da6a3ce929d0e0e4736", span_id: "00f067aa0ba902b7", trace_flags: "01" });

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2026-05-02T10:00:00.123Z"));
});
afterEach(() => vi.useRealTimers());

describe("presets.otel()", () => {
  it("writes Timestamp in nanoseconds as a string, SeverityText, SeverityNumber, Body and Attributes", () => {
    const { log, lines } = presetLogger(otel());
    log.info("user_login", { user_id: 42, tags: ["a"] });
    expect(lines()[0]).toEqual({
      Timestamp: "1777716000123000000",
      SeverityText: "info",
      SeverityNumber: 9,
      Body: "user_login",
      Attributes: { "user.id": 42, tags: ["a"] },
    });
    expect(BigInt(lines()[0]?.Timestamp as string) / 1_000_000n).toBe(BigInt(Date.now()));
  });

  it.each([
    ["trace", 1, "trace"],
    ["debug", 5, "debug"],
    ["info", 9, "info"],
    ["warning", 13, "warning"],
    ["warn", 13, "warning"],
    ["error", 17, "error"],
    ["exception", 17, "error"],
    ["critical", 21, "critical"],
    ["fatal", 21, "critical"],
  ] as const)("writes %s as SeverityNumber %i, SeverityText %s", (method, number, text) => {
    const { log, lines } = presetLogger(otel());
    captureReports(() => log[method]("e")); // exception() without an error notes so on stderr
    expect(lines()[0]).toMatchObject({ SeverityNumber: number, SeverityText: text });
  });

  it("writes the logger name as InstrumentationScope, and the resource", () => {
    const { log, lines } = presetLogger(otel({ resource: { "service.name": "shop", "service.version": "1.2.3" } }), "orders");
    log.info("e");
    expect(lines()[0]).toMatchObject({
      InstrumentationScope: { Name: "orders" },
      Resource: { "service.name": "shop", "service.version": "1.2.3" },
    });
  });

  it("writes addTraceContext's ids as TraceId, SpanId and TraceFlags, not as attributes", () => {
    const { log, lines } = presetLogger(otel({ processors: [inSpan] }));
    log.info("in_span");
    expect(lines()[0]).toMatchObject({
      TraceId: "4bf92f3577b34da6a3ce929d0e0e4736",
      SpanId: "00f067aa0ba902b7",
      TraceFlags: "01",
      Attributes: {},
    });
  });

  it("writes an Error as exception.type, exception.message and exception.stacktrace", () => {
    const { log, lines } = presetLogger(otel());
    const err = new RangeError("too big", { cause: new Error("root") });
    log.exception("failed", { exc_info: err });
    const attributes = lines()[0]?.Attributes as Record<string, string>;
    expect(attributes).toMatchObject({ "exception.type": "RangeError", "exception.message": "too big" });
    expect(attributes["exception.stacktrace"]).toMatch(/^RangeError: too big\n[\s\S]*Caused by:\nError: root/);
  });

  it("takes formatExcInfo's text as the stack trace", () => {
    const { log, lines } = presetLogger(otel({ processors: [formatExcInfo] }));
    log.error("failed", { exc_info: new Error("boom") });
    const attributes = lines()[0]?.Attributes as Record<string, string>;
    expect(attributes["exception.stacktrace"]).toMatch(/^Error: boom\n/);
  });

  it("writes the request line's fields as semantic-convention attributes", () => {
    const { log, lines } = presetLogger(otel(), "http");
    boundContextVars({ request_id: "req-1" }, () =>
      log.info("request_completed", {
        method: "GET",
        path: "/orders/7",
        route: "/orders/:id",
        status_code: 200,
        duration_ms: 2.5,
        response_size: 17,
        remote_address: "127.0.0.1",
      }),
    );
    expect(lines()[0]?.Attributes).toEqual({
      request_id: "req-1",
      "http.request.method": "GET",
      "url.path": "/orders/7",
      "http.route": "/orders/:id",
      "http.response.status_code": 200,
      duration_ms: 2.5,
      "http.response.body.size": 17,
      "client.address": "127.0.0.1",
    });
  });

  it("always writes Attributes, so a collector's move of it never fails", () => {
    const { log, lines } = presetLogger(otel());
    log.info("bare");
    expect(lines()[0]?.Attributes).toEqual({});
  });

  it("rejects base, which the data model calls a resource", () => {
    expect(() => otel({ base: null } as never)).toThrow(/use resource/);
  });

  it("rejects a resource that is not an object", () => {
    expect(() => otel({ resource: "shop" as never })).toThrow(/resource must be an object/);
  });
});
