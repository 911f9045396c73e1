import type { LogRecord } from "@opentelemetry/api-logs";
import * as structlog from "@structlog/core";
import { describe, expectTypeOf, it } from "vitest";
import { addTraceContext, type OtelLogRecord, otelLoggerFactory, otelRenderer, otelTee } from "../src/index.js";

describe("the bridge's types", () => {
  it("otelRenderer() is a Renderer<OtelLogRecord> that ends a chain configure() accepts", () => {
    expectTypeOf(otelRenderer()).toEqualTypeOf<structlog.Renderer<OtelLogRecord>>();
    structlog.configure({ processors: [structlog.contextvars.mergeContextVars, otelRenderer()], loggerFactory: otelLoggerFactory() });
  });

  it("an OtelLogRecord is a LogRecord the OTel Logs API can emit", () => {
    expectTypeOf<OtelLogRecord>().toExtend<LogRecord>();
  });

  it("otelRenderer() does not fit a chain of lines", () => {
    // @ts-expect-error a chain of lines (ProcessorChain<string>) must end in a renderer that returns a string
    const chain: structlog.ProcessorChain = [otelRenderer()];
    void chain;
  });

  it("addTraceContext() and otelTee() are processors, so neither can end a chain", () => {
    expectTypeOf(addTraceContext()).toEqualTypeOf<structlog.Processor>();
    expectTypeOf(otelTee()).toEqualTypeOf<structlog.Processor>();
    // @ts-expect-error the last step must render
    const chain: structlog.ProcessorChain = [addTraceContext()];
    void chain;
  });
});
