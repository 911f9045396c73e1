/**
 * Trace ids on every line of a request, on Fastify and on Express, with the
 * real SDK (NodeTracerProvider, InMemorySpanExporter) and the real
 * instrumentation-http, set up the documented way: `node --import` a setup
 * file before the app (test/fixtures/). Each server runs in a child process,
 * so the http patch never touches the test runner.
 */
import { type ChildProcess, fork } from "node:child_process";
import { createInterface } from "node:readline";
import { beforeAll, describe, expect, it } from "vitest";

type Line = Record<string, unknown>;
interface SpanInfo {
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  attributes: Record<string, unknown>;
}

const fixtures = new URL("./fixtures/", import.meta.url);
const SERVER_KIND = 1;

/** A W3C traceparent for a made-up caller: `00-<trace id>-<parent span id>-01`. */
function traceparent(traceId: string, parentId: string): string {
  return `00-${traceId}-${parentId}-01`;
}

interface Run {
  lines: Line[];
  spans: SpanInfo[];
}

/** Starts the app, sends the requests, and collects every line and span. */
async function runApp(framework: "fastify" | "express", requests: (base: string) => Promise<void>): Promise<Run> {
  const child: ChildProcess = fork(new URL("server.mjs", fixtures).pathname, [], {
    cwd: new URL("..", fixtures).pathname,
    env: { ...process.env, FRAMEWORK: framework },
    execArgv: ["--import", new URL("tracing-setup.mjs", fixtures).pathname],
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  const lines: Line[] = [];
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const stdoutDone = new Promise<void>((resolve) => {
    createInterface({ input: child.stdout as NodeJS.ReadableStream })
      .on("line", (text) => lines.push(JSON.parse(text)))
      .on("close", resolve);
  });
  const message = <T>(key: string) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (m: Record<string, unknown>) => {
        if (key in m) {
          child.off("message", onMessage);
          resolve(m[key] as T);
        }
      };
      child.on("message", onMessage);
      child.once("exit", (code) => reject(new Error(`the ${framework} app exited (${code}): ${stderr}`)));
    });
  try {
    const port = await message<number>("listening");
    await requests(`http://127.0.0.1:${port}`);
    child.send("spans");
    const spans = await message<SpanInfo[]>("spans");
    child.send("stop");
    await new Promise((resolve) => child.once("exit", resolve));
    await stdoutDone;
    expect(stderr).toBe("");
    return { lines, spans };
  } finally {
    if (child.exitCode === null) child.kill("SIGKILL");
  }
}

const TRACE_A = "4bf92f3577b34da6a3ce929d0e0e4736";
const PARENT_A = "00f067aa0ba902b7";
const TRACE_B = "0af7651916cd43dd8448eb211c80319c";
const PARENT_B = "b7ad6b7169203331";
const TRACE_D = "d0000000000000000000000000000d0d";

for (const framework of ["fastify", "express"] as const) {
  describe(`trace ids on every line of a request (${framework})`, () => {
    let run: Run;

    beforeAll(async () => {
      run = await runApp(framework, async (base) => {
        // Two overlapping requests from two traces: A is slower, so their lines interleave.
        const [a, b] = await Promise.all([
          fetch(`${base}/orders/apple?delay=40`, { headers: { traceparent: traceparent(TRACE_A, PARENT_A), "x-request-id": "req-a" } }),
          fetch(`${base}/orders/banana?delay=5`, { headers: { traceparent: traceparent(TRACE_B, PARENT_B), "x-request-id": "req-b" } }),
        ]);
        expect([a.status, b.status]).toEqual([200, 200]);
        await Promise.all([a.text(), b.text()]);
        const c = await fetch(`${base}/orders/cherry`, { headers: { "x-request-id": "req-c" } });
        await c.text();
        const d = await fetch(`${base}/broken`, { headers: { traceparent: traceparent(TRACE_D, PARENT_A), "x-request-id": "req-d" } });
        expect(d.status).toBe(500);
        await d.text();
      });
    });

    const linesOf = (requestId: string) => run.lines.filter((l) => l.request_id === requestId);
    const serverSpan = (traceId: string) => {
      const span = run.spans.find((s) => s.kind === SERVER_KIND && s.traceId === traceId);
      if (span === undefined) throw new Error(`no server span in trace ${traceId}: ${JSON.stringify(run.spans)}`);
      return span;
    };

    it("continues the caller's trace: the server span has the traceparent's trace id and parent", () => {
      expect(serverSpan(TRACE_A).parentSpanId).toBe(PARENT_A);
      expect(serverSpan(TRACE_B).parentSpanId).toBe(PARENT_B);
    });

    it("puts the server span's trace and span ids on the route line, the deep module's line and request_completed", () => {
      for (const [id, traceId] of [
        ["req-a", TRACE_A],
        ["req-b", TRACE_B],
      ] as const) {
        const span = serverSpan(traceId);
        expect(linesOf(id).map((l) => [l.event, l.logger, l.trace_id, l.span_id, l.trace_flags])).toEqual([
          ["order_received", "http", traceId, span.spanId, "01"],
          ["stock_reserved", "inventory", traceId, span.spanId, "01"],
          ["request_completed", "http", traceId, span.spanId, "01"],
        ]);
      }
    });

    it("keeps overlapping requests apart: the lines interleave, the ids never mix", () => {
      const order = run.lines.filter((l) => l.request_id === "req-a" || l.request_id === "req-b").map((l) => l.request_id);
      expect(order.indexOf("req-b", order.indexOf("req-a"))).toBeLessThan(order.lastIndexOf("req-a"));
      for (const line of run.lines) {
        if (line.request_id === "req-a") expect(line.trace_id).toBe(TRACE_A);
        if (line.request_id === "req-b") expect(line.trace_id).toBe(TRACE_B);
      }
    });

    it("puts the trace id on the request line of a request that failed with a 500", () => {
      const lines = linesOf("req-d");
      expect(lines.map((l) => [l.event, l.status_code, l.trace_id, l.span_id])).toEqual([
        ["stock_reserved", undefined, TRACE_D, serverSpan(TRACE_D).spanId],
        ["request_completed", 500, TRACE_D, serverSpan(TRACE_D).spanId],
      ]);
    });

    it("starts a new trace for a request without traceparent, and its lines carry it", () => {
      const lines = linesOf("req-c");
      expect(lines.map((l) => l.event)).toEqual(["order_received", "stock_reserved", "request_completed"]);
      const traceId = lines[0]?.trace_id as string;
      expect(traceId).toMatch(/^[0-9a-f]{32}$/);
      expect([TRACE_A, TRACE_B]).not.toContain(traceId);
      expect(serverSpan(traceId).parentSpanId).toBeUndefined();
      expect(new Set(lines.map((l) => l.trace_id))).toEqual(new Set([traceId]));
    });
  });
}
