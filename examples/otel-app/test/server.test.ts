import { type ChildProcess, spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

type Line = Record<string, unknown>;

const dir = new URL("..", import.meta.url).pathname;
const TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
const PARENT_ID = "00f067aa0ba902b7";

let server: ChildProcess;
let stdout = "";
let stderr = "";
let exitCode: number | null = null;

/** structlog's JSON lines; the console exporters' output (util.inspect dumps) is the rest. */
const jsonLines = (): Line[] =>
  stdout
    .split("\n")
    .filter((l) => l.startsWith('{"'))
    .map((l) => JSON.parse(l));
const exporterOutput = () =>
  stdout
    .split("\n")
    .filter((l) => !l.startsWith('{"'))
    .join("\n");

async function lineWhere(predicate: (line: Line) => boolean): Promise<Line> {
  for (let i = 0; i < 1000; i++) {
    const found = jsonLines().find(predicate);
    if (found !== undefined) return found;
    if (exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`the app did not print the expected line:\n${stdout}\n${stderr}`);
}

beforeAll(async () => {
  server = spawn(process.execPath, ["--import", "./instrumentation.js", "server.js"], {
    cwd: dir,
    env: { ...process.env, PORT: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout?.on("data", (d: Buffer) => {
    stdout += d.toString();
  });
  server.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<void>((resolve) =>
    server.once("exit", (code) => {
      exitCode = code;
      resolve();
    }),
  );
  const base = String((await lineWhere((l) => l.event === "server_listening")).address);
  const traced = await fetch(`${base}/orders/7`, { headers: { traceparent: `00-${TRACE_ID}-${PARENT_ID}-01`, "x-request-id": "ex-1" } });
  expect(traced.status).toBe(200);
  await traced.text();
  const fresh = await fetch(`${base}/orders/8`, { headers: { "x-request-id": "ex-2" } });
  await fresh.text();
  await lineWhere((l) => l.event === "request_completed" && l.request_id === "ex-2");
  server.kill("SIGTERM");
  await exited;
});

afterAll(() => {
  if (server.exitCode === null) server.kill("SIGKILL");
});

const ofRequest = (id: string) => jsonLines().filter((l) => l.request_id === id);

describe("the OpenTelemetry example app", () => {
  it("stops cleanly on SIGTERM, with nothing on stderr", () => {
    expect(exitCode).toBe(0);
    expect(stderr).toBe("");
  });

  it("puts the caller's trace id on every line of the request: route, deep module, request_completed", () => {
    expect(ofRequest("ex-1").map((l) => [l.event, l.logger, l.trace_id])).toEqual([
      ["order_loaded", "http", TRACE_ID],
      ["stock_reserved", "stock", TRACE_ID],
      ["request_completed", "http", TRACE_ID],
    ]);
    const spanIds = new Set(ofRequest("ex-1").map((l) => l.span_id));
    expect(spanIds.size).toBe(1);
    expect([...spanIds][0]).toMatch(/^[0-9a-f]{16}$/);
    expect(spanIds.has(PARENT_ID)).toBe(false);
  });

  it("starts a new trace for a request without traceparent, on all its lines", () => {
    const ids = new Set(ofRequest("ex-2").map((l) => l.trace_id));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toMatch(/^[0-9a-f]{32}$/);
    expect(ids.has(TRACE_ID)).toBe(false);
  });

  it("exports the server span and the log records with the same trace id (console exporters)", () => {
    const spanId = ofRequest("ex-1")[0]?.span_id as string;
    const out = exporterOutput();
    // The server span (ConsoleSpanExporter) and the records (ConsoleLogRecordExporter).
    expect(out).toContain(`traceId: '${TRACE_ID}'`);
    expect(out).toContain("'service.name': 'otel-example'");
    expect(out).toContain(`parentSpanContext: {\n    traceId: '${TRACE_ID}',\n    spanId: '${PARENT_ID}'`);
    expect(out).toMatch(new RegExp(`traceId: '${TRACE_ID}',\\n  spanId: '${spanId}',[\\s\\S]*?body: 'order_loaded'`));
    expect(out).toMatch(new RegExp(`traceId: '${TRACE_ID}',\\n  spanId: '${spanId}',[\\s\\S]*?body: 'request_completed'`));
  });
});
