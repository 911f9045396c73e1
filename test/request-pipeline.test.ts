/**
 * One scenario, run on Fastify 5, Express 5 and Express 4: a 200, a 404, a
 * thrown 500 and an aborted request must give the same lines (events,
 * field names, levels, values) on every framework, with exactly one
 * `request_completed` per request, carrying `err` when something threw.
 */
import type http from "node:http";
import * as structlog from "@structlog/core";
import { captureReports, capturingLoggerFactory } from "@structlog/core/testing";
import { structlogErrorHandler, structlogMiddleware } from "@structlog/express";
import { structlogPlugin, withStructlog } from "@structlog/fastify";
import express5 from "express";
import express4 from "express4";
import Fastify, { type FastifyInstance, LogController } from "fastify";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { captureLines, eventually, get, type Line, listen } from "./http-helpers.js";

interface App {
  readonly server: http.Server;
  close(): Promise<void>;
}

const service = structlog.getLogger("service");

/** The scenario's routes: what each framework is asked to do. */
const SCENARIO = {
  ok: "/ok",
  missing: "/nope",
  boom: "/boom",
  hang: "/hang",
} as const;

/** The scenario's routes on a Fastify app, with the plugin registered first. */
async function fastifyRoutes(app: FastifyInstance): Promise<App> {
  await app.register(structlogPlugin, { getUserId: (req) => req.headers["x-user"] });
  app.get(SCENARIO.ok, async () => {
    service.info("order_loaded", { order_id: 7 });
    return { ok: true };
  });
  app.get(SCENARIO.boom, async () => {
    throw new TypeError("boom");
  });
  app.get(SCENARIO.hang, () => {
    service.info("hanging");
    return new Promise(() => {});
  });
  await app.ready();
  return { server: app.server, close: () => app.close() };
}

/** The recommended setup: Fastify(withStructlog()), whose log controller leaves each request's line to the plugin. */
function fastifyApp(): Promise<App> {
  return fastifyRoutes(Fastify(withStructlog()) as unknown as FastifyInstance);
}

/**
 * The plugin alone, with Fastify's own request lines (its 404 sentence among
 * them) turned off the way Fastify 5.12 asks (its top-level
 * disableRequestLogging is deprecated, FSTDEP023).
 */
function fastifyPluginAlone(): Promise<App> {
  return fastifyRoutes(Fastify({ logController: new LogController({ disableRequestLogging: true }) }));
}

function expressApp(express: typeof express5): () => Promise<App> {
  return async () => {
    const app = express();
    app.use(structlogMiddleware({ getUserId: (req) => req.headers["x-user"] }));
    app.get(SCENARIO.ok, (_req, res) => {
      service.info("order_loaded", { order_id: 7 });
      res.json({ ok: true });
    });
    app.get(SCENARIO.boom, () => {
      throw new TypeError("boom");
    });
    app.get(SCENARIO.hang, () => {
      service.info("hanging");
    });
    app.use(structlogErrorHandler());
    const { createServer } = await import("node:http");
    const server = createServer(app);
    return { server, close: async () => {} };
  };
}

const FRAMEWORKS: ReadonlyArray<readonly [string, () => Promise<App>]> = [
  ["Fastify 5, withStructlog()", fastifyApp],
  ["Fastify 5, the plugin alone with Fastify's request logging off", fastifyPluginAlone],
  ["Express 5", expressApp(express5)],
  ["Express 4", expressApp(express4 as unknown as typeof express5)],
];

/** What must match across frameworks: the fields' names, and every value that is not a measurement. */
function comparable(line: Line): Line {
  if (line.event !== "request_completed") return line;
  const { duration_ms, remote_address, response_size, err, ...rest } = line;
  const out: Line = { ...rest, fields: Object.keys(line).sort() };
  expect(typeof duration_ms).toBe("number");
  expect(typeof remote_address).toBe("string");
  if (response_size !== undefined) expect(typeof response_size).toBe("number");
  if (err !== undefined) {
    const { type, message, stack } = err as Record<string, unknown>;
    expect(String(stack)).toContain("TypeError: boom");
    out.err = { type, message };
  }
  return out;
}

/** Runs the scenario on one framework and returns its lines, comparable. */
async function runScenario(make: () => Promise<App>): Promise<{ lines: Line[]; reports: string[] }> {
  const lines = captureLines();
  const app = await make();
  const running = await listen(app.server);
  const reports = await captureReports(async () => {
    const user = (id: string, u?: string) => ({ "x-request-id": id, ...(u === undefined ? {} : { "x-user": u }) });
    expect((await get(running.port, SCENARIO.ok, user("r-ok", "alice"))).status).toBe(200);
    expect((await get(running.port, SCENARIO.missing, user("r-404"))).status).toBe(404);
    expect((await get(running.port, SCENARIO.boom, user("r-500", "bob"))).status).toBe(500);
    const hung = get(running.port, SCENARIO.hang, user("r-abort", "carol"), undefined, 100);
    await hung;
    await eventually(() => lines().filter((l) => l.event === "request_completed").length === 4, "four request lines");
  });
  await running.close();
  await app.close();
  return { lines: lines().map(comparable), reports };
}

describe("the request lines of Fastify 5, Express 5 and Express 4", () => {
  beforeEach(() => structlog.resetDefaults());
  afterEach(() => structlog.resetDefaults());

  it("are the same for a 200, a 404, a thrown 500 and an aborted request", async () => {
    const results: Record<string, Line[]> = {};
    for (const [name, make] of FRAMEWORKS) {
      const { lines, reports } = await runScenario(make);
      expect(reports, name).toEqual([]);
      results[name] = lines;
    }
    const [first, ...others] = Object.keys(results) as [string, ...string[]];
    for (const other of others) expect(results[other], `${other} against ${first}`).toEqual(results[first]);
  });

  it("are one request_completed per request, at the level of its outcome, carrying err only when something threw", async () => {
    const { lines } = await runScenario(fastifyApp);
    const completed = lines.filter((l) => l.event === "request_completed");
    expect(completed.map((l) => [l.request_id, l.level, l.status_code, l.user_id, l.err, l.aborted])).toEqual([
      ["r-ok", "info", 200, "alice", undefined, undefined],
      ["r-404", "warning", 404, undefined, undefined, undefined],
      ["r-500", "error", 500, "bob", { type: "TypeError", message: "boom" }, undefined],
      ["r-abort", "warning", 200, "carol", undefined, true],
    ]);
    expect(lines.map((l) => l.event)).toEqual([
      "order_loaded",
      "request_completed",
      "request_completed",
      "request_completed",
      "hanging",
      "request_completed",
    ]);
  });

  it("with the plugin alone and Fastify's request lines on, add Fastify's 404 line as a route_not_found event", async () => {
    const { lines: alone } = await runScenario(() => fastifyRoutes(Fastify()));
    const { lines: native } = await runScenario(fastifyApp);
    const notFound = alone.filter((l) => l.event === "route_not_found");
    expect(notFound.map((l) => [l.request_id, l.level, l.method, l.url])).toEqual([["r-404", "info", "GET", "/nope"]]);
    expect(alone.filter((l) => !notFound.includes(l))).toEqual(native);
    expect(native.some((l) => typeof l.event === "string" && /not.found/i.test(l.event))).toBe(false);
  });

  it.each(FRAMEWORKS)("show a thrown error's stack as an exception block in the dev console on %s", async (_name, make) => {
    const factory = capturingLoggerFactory();
    structlog.configure({
      processors: [
        structlog.contextvars.mergeContextVars,
        structlog.processors.addLogLevel,
        structlog.dev.consoleRenderer({ colors: false }),
      ],
      loggerFactory: factory,
    });
    const app = await make();
    const running = await listen(app.server);
    await get(running.port, SCENARIO.boom, { "x-request-id": "r-dev" });
    await eventually(() => factory.calls.some((c) => String(c.rendered).startsWith("[error")), "the request line");
    await running.close();
    await app.close();
    const line = String(factory.calls.find((c) => String(c.rendered).includes("request_completed"))?.rendered);
    expect(line).toMatch(/^\[error {4}\] request_completed .*request_id=r-dev.*\n {2}TypeError: boom\n {6}at /);
    expect(line).not.toContain("err=");
  });
});
