import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import { context, propagation, trace } from "@opentelemetry/api";
import { logs } from "@opentelemetry/api-logs";
import { InMemoryLogRecordExporter, LoggerProvider, type ReadableLogRecord, SimpleLogRecordProcessor } from "@opentelemetry/sdk-logs";
import { InMemorySpanExporter, NodeTracerProvider, type Sampler, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-node";
import { type EventDict, type Logger, type Processor, wrapLogger } from "@structlog/core";
import { CapturingLogger } from "@structlog/core/testing";

/** The real tracing SDK, registered globally (AsyncLocalStorage context manager), with spans kept in memory. */
export function registerTracing(sampler?: Sampler): {
  provider: NodeTracerProvider;
  spans: InMemorySpanExporter;
  close: () => Promise<void>;
} {
  const spans = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)], ...(sampler ? { sampler } : {}) });
  provider.register();
  return {
    provider,
    spans,
    close: async () => {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

/** The real logs SDK with an in-memory exporter: what the bridge emitted, as the SDK recorded it. */
export function logsSdk(): { provider: LoggerProvider; exporter: InMemoryLogRecordExporter; records: () => ReadableLogRecord[] } {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter })] });
  return { provider, exporter, records: () => exporter.getFinishedLogRecords() };
}

/** Unregisters a global LoggerProvider set by a test. */
export function disableLogs(): void {
  logs.disable();
}

/** A logger over a CapturingLogger: the event dicts as the renderer would see them. */
export function dictLogger(processors: readonly Processor[]): { log: Logger; dicts: () => EventDict[] } {
  const out = new CapturingLogger();
  const keep = (_l: unknown, _m: string, ed: EventDict) => ed;
  const log = wrapLogger(out, { processors: [...processors, keep] as never });
  return { log, dicts: () => out.calls.map((c) => c.rendered as EventDict) };
}

/**
 * Runs `fn` with core's fallback channel (`structlog: ... failed`, written
 * with fs.writeSync to fd 2) captured instead of printed, so a green run
 * stays quiet and the report can be asserted.
 */
export async function captureReports<T>(fn: () => T | Promise<T>): Promise<{ result: T; reports: string[] }> {
  const original = fs.writeSync;
  const reports: string[] = [];
  fs.writeSync = function (this: unknown, fd: number, data: unknown, ...rest: unknown[]) {
    if (fd === 2 && typeof data === "string" && data.startsWith("structlog:")) {
      reports.push(data.trimEnd());
      return data.length;
    }
    return (original as (...args: unknown[]) => number).call(this, fd, data, ...rest);
  } as typeof fs.writeSync;
  syncBuiltinESMExports();
  try {
    return { result: await fn(), reports };
  } finally {
    fs.writeSync = original;
    syncBuiltinESMExports();
  }
}
