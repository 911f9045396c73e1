/**
 * The whole path to a collector: structlog → the bridge → the real SDK
 * (BatchLogRecordProcessor) → the real OTLP/HTTP exporter (JSON protocol) →
 * an HTTP receiver on 127.0.0.1, which decodes what arrives.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { trace } from "@opentelemetry/api";
import { SeverityNumber } from "@opentelemetry/api-logs";
import { OTLPLogExporter } from "@opentelemetry/exporter-logs-otlp-http";
import type { IAnyValue, IKeyValue } from "@opentelemetry/otlp-transformer/build/src/common/internal-types.js";
import type { IExportLogsServiceRequest, ILogRecord } from "@opentelemetry/otlp-transformer/build/src/logs/internal-types.js";
import { BatchLogRecordProcessor, LoggerProvider } from "@opentelemetry/sdk-logs";
import { configure, contextvars, getLogger, processors, resetDefaults } from "@structlog/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { otelLoggerFactory, otelRenderer } from "../src/index.js";
import { registerTracing } from "./helpers.js";

/** OTLP JSON's AnyValue as a plain value. */
function decode(value: IAnyValue | undefined): unknown {
  if (value === undefined) return undefined;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.arrayValue !== undefined) return (value.arrayValue.values ?? []).map(decode);
  if (value.kvlistValue !== undefined) return decodeAttributes(value.kvlistValue.values ?? []);
  if (value.bytesValue !== undefined) return Buffer.from(value.bytesValue as string, "base64");
  return null;
}

function decodeAttributes(list: IKeyValue[]): Record<string, unknown> {
  return Object.fromEntries(list.map((kv) => [kv.key, decode(kv.value)]));
}

interface Received {
  readonly path: string;
  readonly contentType: string | undefined;
  readonly body: IExportLogsServiceRequest;
}

/** A nested value: maps, arrays, a double, a boolean, a null. */
const ORDER = {
  id: "ORD-7",
  lines: [
    { sku: "A", qty: 2 },
    { sku: "B", qty: 1 },
  ],
  total: 19.5,
  gift: false,
  note: null,
};

let server: Server;
let url: string;
const received: Received[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({
        path: req.url ?? "",
        contentType: req.headers["content-type"],
        body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as IExportLogsServiceRequest,
      });
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/logs`;
});

afterAll(async () => {
  resetDefaults();
  await new Promise((resolve) => server.close(resolve));
});

describe("the OTLP/HTTP exporter", () => {
  let records: Array<ILogRecord & { scope: string }>;
  let spanIds: { traceId: string; spanId: string };
  const started = Date.now();

  beforeAll(async () => {
    const tracing = registerTracing();
    const provider = new LoggerProvider({ processors: [new BatchLogRecordProcessor({ exporter: new OTLPLogExporter({ url }) })] });
    configure({
      processors: [contextvars.mergeContextVars, processors.addLogLevel, processors.addLoggerName, otelRenderer()],
      loggerFactory: otelLoggerFactory({ loggerProvider: provider }),
    });
    spanIds = trace.getTracer("test").startActiveSpan("checkout", (span) => {
      contextvars.boundContextVars({ request_id: "req-1" }, () => {
        getLogger("shop.orders").info("order_placed", { order: ORDER, tags: ["new", 3, true] });
        getLogger("shop.payments").exception("payment_failed", { exc_info: new TypeError("card expired") });
      });
      span.end();
      return span.spanContext();
    });
    getLogger("shop.orders").warning("outside_span", { big: 2n ** 70n });
    await provider.forceFlush();
    await provider.shutdown();
    await tracing.close();
    records = received.flatMap((r) =>
      (r.body.resourceLogs ?? []).flatMap((rl) =>
        rl.scopeLogs.flatMap((sl) => (sl.logRecords ?? []).map((lr) => ({ ...lr, scope: sl.scope?.name ?? "" }))),
      ),
    );
  });

  const byBody = (body: string) => {
    const record = records.find((r) => decode(r.body) === body);
    if (record === undefined) throw new Error(`no record with body ${body}`);
    return record;
  };

  it("posts OTLP JSON to the collector's /v1/logs", () => {
    expect(received.length).toBeGreaterThan(0);
    expect(received.every((r) => r.path === "/v1/logs" && r.contentType === "application/json")).toBe(true);
    // The exporter groups records by scope: order within a scope is kept.
    expect(records.map((r) => decode(r.body))).toEqual(["order_placed", "outside_span", "payment_failed"]);
  });

  it("sends body, severity and a timestamp in nanoseconds", () => {
    const r = byBody("order_placed");
    expect([r.severityNumber, r.severityText]).toEqual([SeverityNumber.INFO, "info"]);
    expect([byBody("payment_failed").severityNumber, byBody("outside_span").severityNumber]).toEqual([
      SeverityNumber.ERROR,
      SeverityNumber.WARN,
    ]);
    const ms = Number(BigInt(String(r.timeUnixNano)) / 1_000_000n);
    expect(ms).toBeGreaterThanOrEqual(started);
    expect(ms).toBeLessThanOrEqual(Date.now());
  });

  it("sends nested objects and arrays as kvlist and array AnyValues", () => {
    const r = byBody("order_placed");
    expect(r.attributes.find((a) => a.key === "order")?.value.kvlistValue).toBeDefined();
    expect(decodeAttributes(r.attributes)).toEqual({
      request_id: "req-1",
      order: ORDER,
      tags: ["new", 3, true],
    });
  });

  it("sends an exception as exception.type, exception.message and exception.stacktrace", () => {
    const attributes = decodeAttributes(byBody("payment_failed").attributes);
    expect(attributes).toMatchObject({ request_id: "req-1", "exception.type": "TypeError", "exception.message": "card expired" });
    expect(attributes["exception.stacktrace"]).toMatch(/^TypeError: card expired\n\s+at /);
  });

  it("sends the span's trace and span ids on the lines logged inside it, and none outside", () => {
    expect(byBody("order_placed")).toMatchObject({ traceId: spanIds.traceId, spanId: spanIds.spanId, flags: 1 });
    expect(byBody("payment_failed")).toMatchObject({ traceId: spanIds.traceId, spanId: spanIds.spanId });
    expect(byBody("outside_span").traceId ?? "").toBe("");
  });

  it("sends the logger name as the instrumentation scope", () => {
    expect(records.map((r) => [decode(r.body), r.scope])).toEqual([
      ["order_placed", "shop.orders"],
      ["outside_span", "shop.orders"],
      ["payment_failed", "shop.payments"],
    ]);
  });

  it("sends a BigInt as its decimal string", () => {
    expect(decodeAttributes(byBody("outside_span").attributes)).toEqual({ big: "1180591620717411303424" });
  });
});
