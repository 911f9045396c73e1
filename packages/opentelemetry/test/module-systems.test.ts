/**
 * The package under Node's two module systems, in child processes with
 * nothing preloaded: `require()` and `import` both get trace ids on the line
 * and the record to the SDK, because nothing is patched.
 */
import { execFile } from "node:child_process";
import { describe, expect, it } from "vitest";

const packageDir = new URL("..", import.meta.url).pathname;

function run(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd: packageDir, timeout: 30_000 }, (error, stdout, stderr) =>
      error ? reject(Object.assign(error, { stdout, stderr })) : resolve({ stdout, stderr }),
    );
  });
}

/** The same program in either syntax: a span, one JSON line with its ids, one record in the SDK. */
const body = `
  const logExporter = new InMemoryLogRecordExporter();
  const loggerProvider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter: logExporter })] });
  new NodeTracerProvider().register();
  const lines = [];
  structlog.configure({
    processors: [structlog.processors.addLogLevel, addTraceContext(), otelTee({ loggerProvider }), structlog.processors.jsonRenderer()],
    loggerFactory: (name) => ({ name, msg: (line) => lines.push(JSON.parse(line)) }),
  });
  const ids = trace.getTracer("t").startActiveSpan("job", (span) => {
    structlog.getLogger("job").info("step_done", { step: 1 });
    span.end();
    return span.spanContext();
  });
  const record = logExporter.getFinishedLogRecords()[0];
  console.log(JSON.stringify({ ids, line: lines[0], record: { body: record.body, spanContext: record.spanContext, scope: record.instrumentationScope.name } }));
`;

const cjs = `
  const { trace } = require("@opentelemetry/api");
  const { NodeTracerProvider } = require("@opentelemetry/sdk-trace-node");
  const { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } = require("@opentelemetry/sdk-logs");
  const structlog = require("@structlog/core");
  const { addTraceContext, otelTee } = require("@structlog/opentelemetry");
  ${body}
`;

const esm = `
  import { trace } from "@opentelemetry/api";
  import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
  import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from "@opentelemetry/sdk-logs";
  import * as structlog from "@structlog/core";
  import { addTraceContext, otelTee } from "@structlog/opentelemetry";
  ${body}
`;

function expectCorrelated(stdout: string): void {
  const { ids, line, record } = JSON.parse(stdout);
  expect(line).toEqual({ step: 1, event: "step_done", level: "info", trace_id: ids.traceId, span_id: ids.spanId, trace_flags: "01" });
  expect(record).toMatchObject({ body: "step_done", scope: "job", spanContext: { traceId: ids.traceId, spanId: ids.spanId } });
}

describe("module systems", () => {
  it("works from CommonJS: require() of the package, with no preloaded hook", async () => {
    expectCorrelated((await run(["-e", cjs])).stdout);
  });

  it("works from ESM: import of the package, with no loader hook", async () => {
    expectCorrelated((await run(["--input-type=module", "-e", esm])).stdout);
  });
});

describe("a broken LoggerProvider in a real process", () => {
  it("is reported once on stderr, and the app goes on logging and exits normally", async () => {
    const script = `
      import * as structlog from "@structlog/core";
      import { otelLoggerFactory, otelRenderer } from "@structlog/opentelemetry";
      const loggerProvider = { getLogger() { throw new Error("collector config is broken"); } };
      structlog.configure({ processors: [otelRenderer()], loggerFactory: otelLoggerFactory({ loggerProvider }) });
      for (let i = 0; i < 3; i++) structlog.getLogger("app").info("tick", { i });
      console.log("still running");
    `;
    const { stdout, stderr } = await run(["--input-type=module", "-e", script]);
    expect(stdout).toBe("still running\n");
    expect(stderr).toBe("structlog: otelLoggerFactory() emit failed: Error: collector config is broken (reported once)\n");
  });
});

describe("a process that ends without loggerProvider.shutdown()", () => {
  it("still hands its batched records to the exporter: the bridge flushes the providers it used before exit", async () => {
    const { stdout } = await run([new URL("./fixtures/exit-without-shutdown.mjs", import.meta.url).pathname]);
    expect(JSON.parse(stdout)).toEqual(["job_done"]);
  });
});
