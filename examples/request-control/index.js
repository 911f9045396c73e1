// Request-scoped log control (docs/request-control.md), end to end: a
// Fastify app at "info" that
// - gives a request debug lines from every logger when it carries a header
//   the app trusts (levelFor),
// - holds each request's debug lines and writes them only if the request
//   fails (logControl),
// - keeps 1 in 4 of the request lines of fast successful requests, each with
//   sample_rate: 4 (sampling),
// and a background job runner that holds its jobs' debug lines the same way
// (withLogControl). It serves a few real requests on 127.0.0.1, runs two
// jobs, and exits. JSON lines on stdout.
import * as structlog from "@structlog/core";
import { structlogPlugin } from "@structlog/fastify";
import Fastify from "fastify";

structlog.configure({
  processors: [
    structlog.contextvars.mergeContextVars,
    structlog.processors.addLogLevel,
    structlog.processors.addLoggerName,
    structlog.processors.timeStamper({ fmt: "iso" }),
    structlog.processors.jsonRenderer(),
  ],
  wrapperClass: structlog.makeFilteringBoundLogger("info"),
});

// A module far from request.log: its debug lines follow the request's control too.
const inventory = structlog.getLogger("inventory");
function reserve(sku, fail) {
  inventory.debug("stock_checked", { sku, available: fail ? 0 : 3 });
  inventory.debug("reservation_attempted", { sku });
  if (fail) throw new Error(`no stock for ${sku}`);
  inventory.info("reserved", { sku });
}

const app = Fastify();
await app.register(structlogPlugin, {
  levelFor: (request) => (request.headers["x-debug-token"] === "let-me-see" ? "debug" : undefined),
  logControl: { holdBelow: "info", maxHeld: 200 },
  sampling: { oneIn: 4, keepSlowerThanMs: 1000 },
});
app.get("/reserve/:sku", async (request) => {
  reserve(request.params.sku, request.query.fail === "1");
  return { ok: true };
});
await app.listen({ port: 0, host: "127.0.0.1" });
const base = `http://127.0.0.1:${app.server.address().port}`;

// Twelve ordinary requests: their debug lines are discarded, and about a quarter of their request lines written.
for (let i = 0; i < 12; i++) await fetch(`${base}/reserve/sku-${i}`, { headers: { "x-request-id": `ok-${i}` } });
// One the developer asked to see: its debug lines are written as they happen, and its request line kept.
await fetch(`${base}/reserve/sku-debug`, { headers: { "x-request-id": "debug-1", "x-debug-token": "let-me-see" } });
// One that fails: its held debug lines are written, in order, before its request line.
await fetch(`${base}/reserve/sku-gone?fail=1`, { headers: { "x-request-id": "failed-1" } });
await app.close();

// The same outside HTTP: a job's debug lines are written only if the job fails.
const jobs = structlog.getLogger("jobs");
for (const [id, fail] of [
  ["job-ok", false],
  ["job-failed", true],
]) {
  try {
    await structlog.withLogControl({ holdBelow: "info" }, async () => {
      structlog.contextvars.bindContextVars({ job_id: id });
      jobs.info("job_started");
      reserve(`sku-${id}`, fail);
    });
  } catch (error) {
    jobs.error("job_failed", { job_id: id, error: error.message });
  }
}
