import * as structlog from "@structlog/core";
import { captureReports } from "@structlog/core/testing";
import Fastify, { type FastifyInstance } from "fastify";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { StructlogLogController, structlogPlugin, withStructlog } from "../src/index.js";
import { captureOutput, eventually, type Line, listen, requestLines } from "./helpers.js";

let out: ReturnType<typeof captureOutput>;
let app: FastifyInstance | undefined;

beforeEach(() => {
  out = captureOutput();
});
afterEach(async () => {
  await app?.close();
  app = undefined;
  structlog.resetDefaults();
});

/** An app made the recommended way: Fastify(withStructlog()) and the plugin registered first. */
async function recommendedApp(): Promise<FastifyInstance> {
  const created = Fastify(withStructlog());
  await created.register(structlogPlugin);
  created.get("/ok", async (request) => {
    request.log.info("order_loaded", { order_id: 7 });
    return { ok: true };
  });
  created.get("/boom", async () => {
    throw new Error("kaput");
  });
  app = created as unknown as FastifyInstance;
  return app;
}

const eventsOf = (lines: Line[]) => lines.map((l) => l.event);

describe("Fastify(withStructlog())", () => {
  it("makes request.log the request's structlog logger, in structlog's call shape", async () => {
    const created = await recommendedApp();
    await created.inject({ url: "/ok", headers: { "x-request-id": "r-1" } });
    expect(out.lines()[0]).toEqual({ request_id: "r-1", order_id: 7, event: "order_loaded", level: "info" });
  });

  it("keeps request.logger as the same logger as request.log", async () => {
    const created = Fastify(withStructlog());
    app = created as unknown as FastifyInstance;
    await created.register(structlogPlugin);
    let same = false;
    created.get("/", async (request) => {
      same = request.logger === request.log;
      request.log.bind({ step: 1 }).info("bound");
      return "ok";
    });
    await created.inject({ url: "/", headers: { "x-request-id": "r-2" } });
    expect(same).toBe(true);
    expect(out.lines()[0]).toMatchObject({ event: "bound", step: 1, request_id: "r-2" });
  });

  it("writes exactly one line for a 200, a 404 and a 500, over a listening socket", async () => {
    const base = await listen(await recommendedApp());
    out.clear();
    for (const path of ["/ok", "/nope", "/boom"]) await fetch(base + path);
    await eventually(() => requestLines(out.lines()).length === 3, "three request lines");
    const lines = out.lines().filter((l) => l.event !== "order_loaded");
    expect(lines.map((l) => [l.event, l.status_code, l.level])).toEqual([
      ["request_completed", 200, "info"],
      ["request_completed", 404, "warning"],
      ["request_completed", 500, "error"],
    ]);
    expect(lines[2]?.err).toMatchObject({ message: "kaput", type: "Error" });
  });

  it("writes none of Fastify's own request lines for a 404 or a thrown error, with inject", async () => {
    const created = await recommendedApp();
    await created.inject({ url: "/nope" });
    await created.inject({ url: "/boom" });
    expect(eventsOf(out.lines())).toEqual(["request_completed", "request_completed"]);
  });

  it("writes Fastify's listening line as a server_listening event with the address", async () => {
    const created = await recommendedApp();
    const base = await listen(created);
    expect(out.lines()[0]).toEqual({ event: "server_listening", address: base, level: "info" });
  });

  it("binds the request id under request_id on request.log before the plugin's hooks run", async () => {
    const created = Fastify(withStructlog());
    app = created as unknown as FastifyInstance;
    created.addHook("onRequest", async (request) => {
      request.log.info("early");
    });
    await created.register(structlogPlugin);
    created.get("/", async () => "ok");
    await created.inject({ url: "/", headers: { "x-request-id": "r-3" } });
    expect(out.lines()[0]).toMatchObject({ event: "early", request_id: "r-3" });
  });

  it("returns the app's own options, unchanged, and leaves the caller's object alone", () => {
    const mine = { trustProxy: true, bodyLimit: 10 };
    const options = withStructlog(mine);
    expect(options).toMatchObject({ trustProxy: true, bodyLimit: 10 });
    expect(options.logController).toBeInstanceOf(StructlogLogController);
    expect(typeof options.loggerInstance.bind).toBe("function");
    expect(mine).toEqual({ trustProxy: true, bodyLimit: 10 });
  });

  it.each([
    ["logger", { logger: true }, /withStructlog\(options, \{ level/],
    ["loggerInstance", { loggerInstance: {} }, /withStructlog\(options, \{ logger \}\)/],
    ["logController", { logController: {} }, /extend StructlogLogController/],
    ["disableRequestLogging", { disableRequestLogging: true }, /ignorePaths/],
    ["requestIdLogLabel", { requestIdLogLabel: "id" }, /requestIdKey/],
  ])("refuses %s, saying what to do instead", (_name, options, fix) => {
    expect(() => withStructlog(options as never)).toThrow(fix);
  });

  it("refuses an unknown setting by name", () => {
    expect(() => withStructlog({}, { levle: "warn" } as never)).toThrow(/levle/);
  });

  it("applies the level setting to Fastify's logger", async () => {
    const created = Fastify(withStructlog({}, { level: "warn" }));
    app = created as unknown as FastifyInstance;
    created.log.info("dropped");
    created.log.warn("kept");
    expect(eventsOf(out.lines())).toEqual(["kept"]);
  });
});

describe("withStructlog() with a hook before the plugin that ends the request", () => {
  it("still writes one request line, and no note about registration", async () => {
    const created = Fastify(withStructlog());
    app = created as unknown as FastifyInstance;
    created.addHook("onRequest", async (_request, reply) => reply.code(401).send({ error: "unauthorized" }));
    await created.register(structlogPlugin);
    created.get("/", async () => "ok");
    const reports = await captureReports(async () => {
      await created.inject({ url: "/" });
    });
    expect(reports).toEqual([]);
    expect(out.lines().filter((l) => l.event === "request_completed")).toHaveLength(1);
  });
});

describe("withStructlog() without the plugin", () => {
  it("writes Fastify's own request lines as events, and says once how to register the plugin", async () => {
    const created = Fastify(withStructlog());
    app = created as unknown as FastifyInstance;
    created.get("/", async () => "ok");
    const reports = await captureReports(async () => {
      await created.inject({ url: "/" });
      await created.inject({ url: "/" });
    });
    expect(reports).toEqual([expect.stringContaining("await app.register(structlogPlugin)")]);
    expect(eventsOf(out.lines())).toEqual(["request_started", "request_completed", "request_started", "request_completed"]);
  });
});

describe("the plugin on an app with a logger of its own", () => {
  it("says once that Fastify({ logger }) mixes two formats, naming withStructlog()", async () => {
    const created = Fastify({ logger: { stream: { write() {} } } });
    app = created as unknown as FastifyInstance;
    const reports = await captureReports(async () => {
      await created.register(structlogPlugin);
      await created.register(async (child) => {
        await child.register(structlogPlugin);
      });
      await created.ready();
    });
    expect(reports).toEqual([expect.stringMatching(/logger: true.*two formats.*Fastify\(withStructlog\(\)\)/)]);
  });

  it("says nothing when the app has no logger", async () => {
    const created = Fastify();
    app = created;
    const reports = await captureReports(async () => {
      await created.register(structlogPlugin);
      await created.ready();
    });
    expect(reports).toEqual([]);
  });
});
