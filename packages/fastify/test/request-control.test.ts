import { execFile } from "node:child_process";
import * as structlog from "@structlog/core";
import { captureLogs, capturingLoggerFactory } from "@structlog/core/testing";
import Fastify, { type FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { type StructlogFastifyOptions, structlogPlugin, withStructlog } from "../src/index.js";

type Line = Record<string, unknown>;

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

/** A module-level logger of the app, far from request.log. */
const deep = structlog.getLogger("orders.repository");
function loadOrder(id: string): void {
  deep.debug("cache_miss", { order_id: id });
  deep.info("order_loaded", { order_id: id });
}

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
  structlog.resetDefaults();
});

async function appWith(options: StructlogFastifyOptions): Promise<FastifyInstance> {
  app = Fastify();
  await app.register(structlogPlugin, options);
  app.get("/orders/:id", async (request) => {
    loadOrder((request.params as { id: string }).id);
    return { ok: true };
  });
  app.get("/quiet", { logLevel: "warn" }, async () => {
    loadOrder("q");
    return { ok: true };
  });
  app.get("/fail", async () => {
    loadOrder("f");
    throw new Error("database down");
  });
  app.get("/not-found-error", async () => {
    loadOrder("n");
    throw Object.assign(new Error("no such order"), { statusCode: 404 });
  });
  app.get("/logged-error", async () => {
    loadOrder("e");
    deep.error("charge_failed");
    return { ok: true };
  });
  app.get("/slow", async () => {
    await new Promise((r) => setTimeout(r, 60));
    return { ok: true };
  });
  app.get("/missing", async (_request, reply) => reply.code(404).send({ error: "nope" }));
  return app;
}

const events = (lines: Line[]) => lines.map((l) => l.event);

describe("a route's logLevel", () => {
  it("reaches a deep module logger, not only request.log", async () => {
    const lines = captureAtInfo();
    await (await appWith({})).inject("/quiet");
    expect(events(lines())).toEqual([]);
  });

  it("reaches a deep module logger, and a failed request writes its held lines, in an app made with Fastify(withStructlog()) too", async () => {
    const lines = captureAtInfo();
    const created = Fastify(withStructlog());
    app = created as unknown as FastifyInstance;
    await created.register(structlogPlugin, { logControl: { holdBelow: "info" } });
    created.get("/quiet", { logLevel: "warn" }, async () => {
      loadOrder("q");
      return { ok: true };
    });
    created.get("/fail", async () => {
      loadOrder("f");
      throw new Error("database down");
    });
    await created.inject("/quiet");
    expect(events(lines())).toEqual([]);
    await created.inject("/fail");
    expect(events(lines())).toEqual(["order_loaded", "cache_miss", "request_completed"]);
  });

  it("leaves the other routes at the configured level", async () => {
    const lines = captureAtInfo();
    await (await appWith({})).inject("/orders/1");
    expect(events(lines())).toEqual(["order_loaded", "request_completed"]);
  });
});

describe("levelFor(request)", () => {
  const trusted = { levelFor: (req: { headers: Record<string, unknown> }) => (req.headers["x-debug"] === "1" ? "debug" : undefined) };

  it("gives one request debug lines from every logger, and the next request none", async () => {
    const lines = captureAtInfo();
    const a = await appWith(trusted);
    await a.inject({ url: "/orders/1", headers: { "x-debug": "1" } });
    await a.inject({ url: "/orders/2" });
    expect(lines().map((l) => [l.event, l.order_id])).toEqual([
      ["cache_miss", "1"],
      ["order_loaded", "1"],
      ["request_completed", undefined],
      ["order_loaded", "2"],
      ["request_completed", undefined],
    ]);
  });

  it("wins over the route's logLevel", async () => {
    const lines = captureAtInfo();
    await (await appWith(trusted)).inject({ url: "/quiet", headers: { "x-debug": "1" } });
    expect(events(lines())).toEqual(["cache_miss", "order_loaded", "request_completed"]);
  });

  it("keeps two overlapping requests over a socket apart", async () => {
    const lines = captureAtInfo();
    const a = await appWith(trusted);
    a.get("/wait/:id", async (request) => {
      await new Promise((r) => setTimeout(r, 30));
      loadOrder((request.params as { id: string }).id);
      return { ok: true };
    });
    const base = await a.listen({ port: 0, host: "127.0.0.1" });
    await Promise.all([fetch(`${base}/wait/dbg`, { headers: { "x-debug": "1" } }), fetch(`${base}/wait/plain`)]);
    expect(
      lines()
        .filter((l) => l.event === "cache_miss")
        .map((l) => l.order_id),
    ).toEqual(["dbg"]);
  });
});

describe("logControl: held lines per request", () => {
  const hold = { logControl: { holdBelow: "info" } } as const;

  it("discards a successful request's held lines", async () => {
    const lines = captureAtInfo();
    await (await appWith(hold)).inject("/orders/1");
    expect(events(lines())).toEqual(["order_loaded", "request_completed"]);
  });

  it("writes a 5xx request's held lines before its request line, with their original timestamps", async () => {
    const lines = captureAtInfo();
    const response = await (await appWith(hold)).inject("/fail");
    expect(response.statusCode).toBe(500);
    const written = lines();
    expect(events(written)).toEqual(["order_loaded", "cache_miss", "request_completed"]);
    const [loaded, held, completed] = written as [Line, Line, Line];
    expect((held.timestamp as string) <= (loaded.timestamp as string)).toBe(true);
    expect((held.timestamp as string) <= (completed.timestamp as string)).toBe(true);
    expect(held).toMatchObject({ level: "debug", order_id: "f", request_id: completed.request_id });
  });

  it("writes them when a handler threw, whatever status its error chose", async () => {
    const lines = captureAtInfo();
    const response = await (await appWith(hold)).inject("/not-found-error");
    expect(response.statusCode).toBe(404);
    expect(events(lines())).toEqual(["order_loaded", "cache_miss", "request_completed"]);
  });

  it("writes them at the first error line of a request that still answers 200", async () => {
    const lines = captureAtInfo();
    await (await appWith(hold)).inject("/logged-error");
    expect(events(lines())).toEqual(["order_loaded", "cache_miss", "charge_failed", "request_completed"]);
  });

  it("writes a failed request's held lines even when its path gets no request line", async () => {
    const lines = captureAtInfo();
    const server = await appWith({ ...hold, ignorePaths: ["/health"] });
    server.get("/health", async (_request, reply) => {
      deep.debug("health_probe");
      return reply.code(503).send("down");
    });
    expect((await server.inject("/health")).statusCode).toBe(503);
    await server.inject("/orders/1");
    expect(events(lines())).toEqual(["health_probe", "order_loaded", "request_completed"]);
  });

  it("discards a skipped request's held lines when it succeeds", async () => {
    const lines = captureAtInfo();
    const server = await appWith({ ...hold, ignorePaths: ["/orders/1"] });
    await server.inject("/orders/1");
    await server.inject("/orders/2");
    expect(lines().map((l) => [l.event, l.order_id])).toEqual([
      ["order_loaded", "1"],
      ["order_loaded", "2"],
      ["request_completed", undefined],
    ]);
  });

  it("discards them for a 4xx that threw nothing", async () => {
    const lines = captureAtInfo();
    await (await appWith(hold)).inject("/missing");
    expect(events(lines())).toEqual(["request_completed"]);
  });

  it("writes only the failed request's lines when two overlap over a socket", async () => {
    const lines = captureAtInfo();
    const a = await appWith(hold);
    a.get("/race/:id", async (request) => {
      const { id } = request.params as { id: string };
      deep.debug("step", { id });
      await new Promise((r) => setTimeout(r, 20));
      if (id === "bad") throw new Error("bad");
      return { ok: true };
    });
    const base = await a.listen({ port: 0, host: "127.0.0.1" });
    await Promise.all([fetch(`${base}/race/bad`), fetch(`${base}/race/good`)]);
    expect(
      lines()
        .filter((l) => l.event === "step")
        .map((l) => l.id),
    ).toEqual(["bad"]);
  });

  it("lets captureLogs() see what would be written", async () => {
    captureAtInfo();
    const a = await appWith(hold);
    const ok = await captureLogs(async () => a.inject("/orders/1"));
    const failed = await captureLogs(async () => a.inject("/fail"));
    expect(events(ok)).toEqual(["order_loaded", "request_completed"]);
    expect(events(failed)).toEqual(["order_loaded", "cache_miss", "request_completed"]);
  });
});

describe("sampling of request lines", () => {
  it("drops the sampled-out lines of successful requests, and only those", async () => {
    const lines = captureAtInfo();
    const a = await appWith({ sampling: { oneIn: 1_000_000_000 } });
    for (const url of ["/orders/1", "/orders/2", "/missing", "/fail"]) await a.inject(url);
    expect(lines().map((l) => [l.event, l.status_code])).toEqual([
      ["order_loaded", undefined],
      ["order_loaded", undefined],
      ["request_completed", 404],
      ["order_loaded", undefined],
      ["request_completed", 500],
    ]);
  });

  it("gives each kept line sample_rate, and none to lines that are never sampled", async () => {
    const lines = captureAtInfo();
    const a = await appWith({ sampling: { rate: 1 } });
    await a.inject("/orders/1");
    await a.inject("/missing");
    expect(
      lines()
        .filter((l) => l.event === "request_completed")
        .map((l) => [l.status_code, l.sample_rate]),
    ).toEqual([
      [200, 1],
      [404, undefined],
    ]);
  });

  it("never drops a request slower than keepSlowerThanMs", async () => {
    const lines = captureAtInfo();
    const a = await appWith({ sampling: { oneIn: 1_000_000_000, keepSlowerThanMs: 40 } });
    await a.inject("/slow");
    expect(lines().map((l) => [l.event, l.sample_rate])).toEqual([["request_completed", undefined]]);
  });

  it("never drops a 2xx request that logged an error line", async () => {
    const lines = captureAtInfo();
    await (await appWith({ sampling: { oneIn: 1_000_000_000 } })).inject("/logged-error");
    expect(events(lines())).toEqual(["order_loaded", "charge_failed", "request_completed"]);
  });
});

describe("the plugin's control options", () => {
  it.each([
    [{ sampling: { rate: 0 } }, /sampling: rate must be above 0/],
    [{ logControl: { holdBelow: "loud" } }, /logControl: holdBelow: Unknown log level "loud"/],
    [{ levelFor: "debug" }, /levelFor must be a function/],
  ])("rejects %j at registration, saying what to change", async (options, message) => {
    app = Fastify();
    await expect(app.register(structlogPlugin, options as never).ready()).rejects.toThrow(message);
  });
});

describe("a crash during a request", () => {
  it("writes the request's held lines, marked held=unfinished", async () => {
    const fixture = new URL("./fixtures/crash-app.mjs", import.meta.url).pathname;
    const { stdout, code } = await new Promise<{ stdout: string; code: number | null }>((resolve) => {
      execFile(process.execPath, [fixture], { timeout: 20_000 }, (error, stdout) =>
        resolve({ stdout, code: error === null ? 0 : typeof error.code === "number" ? error.code : null }),
      );
    });
    expect(code).toBe(1);
    const lines = stdout
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as Line);
    expect(lines.map((l) => [l.event, l.held])).toEqual([
      ["order_loaded", undefined],
      ["cache_miss", "unfinished"],
    ]);
    expect(lines[1]?.request_id).toBe("crash-1");
  });
});
