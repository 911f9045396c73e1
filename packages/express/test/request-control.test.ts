import { setTimeout as sleep } from "node:timers/promises";
import * as structlog from "@structlog/core";
import { capturingLoggerFactory } from "@structlog/core/testing";
import type { Request } from "express";
import { afterEach, describe, expect, it } from "vitest";
import { type StructlogMiddlewareOptions, structlogErrorHandler, structlogMiddleware } from "../src/index.js";
import { EXPRESS_MAJORS, type Line, listen, type Running, send, waitFor } from "./helpers.js";

/** JSON lines into memory through a production-like chain at info, with timestamps. */
function captureAtInfo(): () => Line[] {
  const factory = capturingLoggerFactory();
  structlog.configure({
    processors: [
      structlog.contextvars.mergeContextVars,
      structlog.processors.addLogLevel,
      structlog.processors.timeStamper({ fmt: "iso" }),
      structlog.processors.jsonRenderer(),
    ],
    loggerFactory: factory,
    wrapperClass: structlog.makeFilteringBoundLogger("info"),
  });
  return () => factory.calls.map((c) => JSON.parse(c.rendered as string) as Line);
}

/** A module-level logger of the app, far from req.log. */
const deep = structlog.getLogger("orders.repository");
function loadOrder(id: string): void {
  deep.debug("cache_miss", { order_id: id });
  deep.info("order_loaded", { order_id: id });
}

const events = (lines: Line[]) => lines.map((l) => l.event);

describe.each(EXPRESS_MAJORS)("request-scoped control on %s", (_major, express) => {
  let running: Running | undefined;
  afterEach(async () => {
    await running?.close();
    running = undefined;
    structlog.resetDefaults();
  });

  async function serve(options: StructlogMiddlewareOptions): Promise<number> {
    const app = express();
    app.use(structlogMiddleware(options));
    app.get("/orders/:id", (req, res) => {
      loadOrder(req.params.id as string);
      res.json({ ok: true });
    });
    app.get("/wait/:id", async (req, res) => {
      await sleep(20);
      deep.debug("step", { id: req.params.id });
      await sleep(20);
      if (req.params.id === "bad") res.status(500).json({ error: "bad" });
      else res.json({ ok: true });
    });
    app.get("/fail", (_req, _res, next) => {
      loadOrder("f");
      next(new Error("database down"));
    });
    app.get("/logged-error", (_req, res) => {
      loadOrder("e");
      deep.error("charge_failed");
      res.json({ ok: true });
    });
    app.get("/missing", (_req, res) => {
      res.status(404).json({ error: "nope" });
    });
    app.get("/health", (_req, res) => {
      deep.debug("health_probe");
      res.status(503).send("down");
    });
    app.use(structlogErrorHandler({ respond: true }));
    running = await listen(app);
    return running.port;
  }

  /** The lines once the request line (or `last`) of the one request sent is written. */
  async function linesAfter(lines: () => Line[], last = "request_completed"): Promise<Line[]> {
    await waitFor(() => (lines().some((l) => l.event === last) ? true : undefined), last);
    return lines();
  }

  const trusted = { levelFor: (req: Request) => (req.headers["x-debug"] === "1" ? "debug" : undefined) };

  it("gives one request debug lines from every logger with levelFor(), and the next request none", async () => {
    const lines = captureAtInfo();
    const port = await serve(trusted);
    await send(port, "/orders/1", { headers: { "x-debug": "1" } });
    await linesAfter(lines);
    await send(port, "/orders/2");
    await waitFor(() => (lines().filter((l) => l.event === "request_completed").length === 2 ? true : undefined), "two lines");
    expect(lines().map((l) => [l.event, l.order_id])).toEqual([
      ["cache_miss", "1"],
      ["order_loaded", "1"],
      ["request_completed", undefined],
      ["order_loaded", "2"],
      ["request_completed", undefined],
    ]);
  });

  it("discards a successful request's held lines", async () => {
    const lines = captureAtInfo();
    const port = await serve({ logControl: { holdBelow: "info" } });
    await send(port, "/orders/1");
    expect(events(await linesAfter(lines))).toEqual(["order_loaded", "request_completed"]);
  });

  it("writes a failed request's held lines, with their original timestamps, before its request line carrying err", async () => {
    const lines = captureAtInfo();
    const port = await serve({ logControl: { holdBelow: "info" } });
    expect((await send(port, "/fail")).status).toBe(500);
    const written = await linesAfter(lines);
    expect(events(written)).toEqual(["order_loaded", "cache_miss", "request_completed"]);
    const [loaded, held, line] = written as [Line, Line, Line];
    expect((held.timestamp as string) <= (loaded.timestamp as string)).toBe(true);
    expect(held).toMatchObject({ level: "debug", order_id: "f", request_id: line.request_id });
    expect(line).toMatchObject({ level: "error", err: { message: "database down" } });
  });

  it("writes them at the first error line of a request that still answers 200", async () => {
    const lines = captureAtInfo();
    const port = await serve({ logControl: { holdBelow: "info" } });
    await send(port, "/logged-error");
    expect(events(await linesAfter(lines))).toEqual(["order_loaded", "cache_miss", "charge_failed", "request_completed"]);
  });

  it("writes only the 5xx request's lines when two overlap", async () => {
    const lines = captureAtInfo();
    const port = await serve({ logControl: { holdBelow: "info" } });
    await Promise.all([send(port, "/wait/bad"), send(port, "/wait/good")]);
    await waitFor(() => (lines().filter((l) => l.event === "request_completed").length === 2 ? true : undefined), "two lines");
    expect(
      lines()
        .filter((l) => l.event === "step")
        .map((l) => l.id),
    ).toEqual(["bad"]);
  });

  it("writes a failed request's held lines even when its path gets no request line", async () => {
    const lines = captureAtInfo();
    const port = await serve({ logControl: { holdBelow: "info" }, ignorePaths: ["/health"] });
    await send(port, "/health");
    await linesAfter(lines, "health_probe");
    await send(port, "/orders/1");
    expect(events(await linesAfter(lines))).toEqual(["health_probe", "order_loaded", "request_completed"]);
  });

  it("drops the sampled-out lines of successful requests, and only those", async () => {
    const lines = captureAtInfo();
    const port = await serve({ sampling: { oneIn: 1_000_000_000 } });
    await send(port, "/orders/1");
    await send(port, "/missing");
    await waitFor(() => (lines().some((l) => l.status_code === 404) ? true : undefined), "the 404 line");
    expect(lines().map((l) => [l.event, l.status_code])).toEqual([
      ["order_loaded", undefined],
      ["request_completed", 404],
    ]);
  });

  it("gives each kept line sample_rate", async () => {
    const lines = captureAtInfo();
    const port = await serve({ sampling: { rate: 1 } });
    await send(port, "/orders/1");
    expect((await linesAfter(lines)).find((l) => l.event === "request_completed")).toMatchObject({ status_code: 200, sample_rate: 1 });
  });

  it("rejects a wrong control option at setup, saying what to change", () => {
    expect(() => structlogMiddleware({ sampling: { oneIn: 0 } })).toThrow(/sampling: oneIn must be a whole number of at least 1/);
  });
});
