import { context, INVALID_SPAN_CONTEXT, type SpanContext, trace } from "@opentelemetry/api";
import { AlwaysOffSampler } from "@opentelemetry/sdk-trace-node";
import { contextvars, type ProcessorChain, presets, processors, wrapLogger } from "@structlog/core";
import { CapturingLogger } from "@structlog/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addTraceContext } from "../src/index.js";
import { dictLogger, registerTracing } from "./helpers.js";

describe("addTraceContext() with the API alone (no SDK registered)", () => {
  it("adds nothing, even inside startActiveSpan", () => {
    const { log, dicts } = dictLogger([addTraceContext()]);
    trace.getTracer("t").startActiveSpan("noop", (span) => {
      log.info("inside");
      span.end();
    });
    expect(dicts()).toEqual([{ event: "inside" }]);
  });
});

describe("addTraceContext() with the tracing SDK", () => {
  let tracing: ReturnType<typeof registerTracing>;
  beforeAll(() => {
    tracing = registerTracing();
  });
  afterAll(() => tracing.close());

  const tracer = () => trace.getTracer("test");

  it("adds trace_id, span_id and trace_flags of the active span", () => {
    const { log, dicts } = dictLogger([addTraceContext()]);
    const ids = tracer().startActiveSpan("work", (span) => {
      log.info("inside");
      span.end();
      return span.spanContext();
    });
    expect(dicts()).toEqual([{ event: "inside", trace_id: ids.traceId, span_id: ids.spanId, trace_flags: "01" }]);
    expect(ids.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(ids.spanId).toMatch(/^[0-9a-f]{16}$/);
  });

  it("adds nothing outside a span", () => {
    const { log, dicts } = dictLogger([addTraceContext()]);
    log.info("outside");
    expect(dicts()).toEqual([{ event: "outside" }]);
  });

  it("adds nothing when the active span context is invalid", () => {
    const { log, dicts } = dictLogger([addTraceContext()]);
    context.with(trace.setSpan(context.active(), trace.wrapSpanContext(INVALID_SPAN_CONTEXT)), () => log.info("invalid"));
    expect(dicts()).toEqual([{ event: "invalid" }]);
  });

  it("uses the innermost span of nested spans", () => {
    const { log, dicts } = dictLogger([addTraceContext()]);
    const [outer, inner] = tracer().startActiveSpan("outer", (o): [SpanContext, SpanContext] => {
      const i = tracer().startActiveSpan("inner", (s) => {
        log.info("in_inner");
        s.end();
        return s.spanContext();
      });
      log.info("in_outer");
      o.end();
      return [o.spanContext(), i];
    });
    expect(dicts().map((d) => [d.event, d.span_id, d.trace_id])).toEqual([
      ["in_inner", inner.spanId, outer.traceId],
      ["in_outer", outer.spanId, outer.traceId],
    ]);
  });

  it("follows the span across awaits and timers, and concurrent spans never mix", async () => {
    const { log, dicts } = dictLogger([addTraceContext()]);
    const work = (name: string) =>
      tracer().startActiveSpan(name, async (span) => {
        await new Promise((r) => setTimeout(r, 5));
        log.info("after_timer", { name });
        await Promise.resolve();
        log.info("after_await", { name });
        span.end();
        return span.spanContext().spanId;
      });
    const [a, b] = await Promise.all([work("a"), work("b")]);
    for (const d of dicts()) expect(d.span_id).toBe(d.name === "a" ? a : b);
    expect(dicts()).toHaveLength(4);
  });

  it("writes trace_flags 00 for a span that is not sampled, with its ids", async () => {
    await tracing.close();
    const unsampled = registerTracing(new AlwaysOffSampler());
    try {
      const { log, dicts } = dictLogger([addTraceContext()]);
      trace.getTracer("t").startActiveSpan("dropped", (span) => {
        log.info("unsampled");
        span.end();
      });
      expect(dicts()[0]).toMatchObject({ trace_flags: "00", trace_id: expect.stringMatching(/^[0-9a-f]{32}$/) });
    } finally {
      await unsampled.close();
      tracing = registerTracing();
    }
  });

  it("takes the key names as options, so ECS's trace.id and span.id are possible", () => {
    const { log, dicts } = dictLogger([addTraceContext({ traceIdKey: "trace.id", spanIdKey: "span.id", traceFlagsKey: false })]);
    const ids = tracer().startActiveSpan("ecs", (span) => {
      log.info("ecs");
      span.end();
      return span.spanContext();
    });
    expect(dicts()).toEqual([{ event: "ecs", "trace.id": ids.traceId, "span.id": ids.spanId }]);
  });

  it("leaves an event that already has a trace id as it is", () => {
    const { log, dicts } = dictLogger([addTraceContext()]);
    tracer().startActiveSpan("x", (span) => {
      log.info("relayed", { trace_id: "0af7651916cd43dd8448eb211c80319c" });
      span.end();
    });
    expect(dicts()).toEqual([{ trace_id: "0af7651916cd43dd8448eb211c80319c", event: "relayed" }]);
  });

  it("gives presets.ecs() its trace.id and span.id, and presets.otel() its TraceId and SpanId", () => {
    const ecsLine = presetLine(presets.ecs({ base: null, processors: [addTraceContext()] }));
    const otelLine = presetLine(presets.otel({ processors: [addTraceContext()] }));
    expect(ecsLine.line).toMatchObject({ "trace.id": ecsLine.ids.traceId, "span.id": ecsLine.ids.spanId });
    expect(otelLine.line).toMatchObject({ TraceId: otelLine.ids.traceId, SpanId: otelLine.ids.spanId, TraceFlags: "01" });
  });

  it("composes with mergeContextVars and a JSON renderer", () => {
    const { log, dicts } = dictLogger([contextvars.mergeContextVars, processors.addLogLevel, addTraceContext()]);
    contextvars.boundContextVars({ request_id: "r-1" }, () =>
      tracer().startActiveSpan("req", (span) => {
        log.warning("slow");
        span.end();
      }),
    );
    expect(dicts()[0]).toMatchObject({ request_id: "r-1", level: "warning", trace_id: expect.any(String) });
  });
});

/** One line through a preset chain, logged inside a span. */
function presetLine(chain: ProcessorChain): { line: Record<string, unknown>; ids: SpanContext } {
  const out = new CapturingLogger("app");
  const log = wrapLogger(out, { processors: chain });
  const ids = trace.getTracer("test").startActiveSpan("op", (span) => {
    log.info("in_span");
    span.end();
    return span.spanContext();
  });
  return { line: JSON.parse(out.calls[0]?.rendered as string), ids };
}

describe("addTraceContext() options", () => {
  it("rejects an unknown option, naming the right one", () => {
    expect(() => addTraceContext({ traceIDKey: "x" } as never)).toThrow(/unknown option "traceIDKey" \(did you mean traceIdKey\?\)/);
  });

  it("rejects a snake_case option, naming the camelCase one, as core's factories do", () => {
    expect(() => addTraceContext({ trace_id_key: "x" } as never)).toThrow(/unknown option "trace_id_key" \(did you mean traceIdKey\?\)/);
  });

  it("rejects an empty key name", () => {
    expect(() => addTraceContext({ spanIdKey: "" })).toThrow(/spanIdKey must be a non-empty key name/);
  });

  it("rejects two options naming the same key", () => {
    expect(() => addTraceContext({ traceIdKey: "id", spanIdKey: "id" })).toThrow(/three different keys/);
  });

  it("is branded as a processor, so configure() rejects it as the last step", async () => {
    const { configure, resetDefaults } = await import("@structlog/core");
    expect(() => configure({ processors: [addTraceContext()] as never })).toThrow(/does not render/);
    resetDefaults();
  });
});
