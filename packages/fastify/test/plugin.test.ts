import * as structlog from "@structlog/core";
import { captureReports } from "@structlog/core/testing";
import Fastify, { type FastifyInstance, LogController } from "fastify";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { asFastifyLogger, structlogPlugin } from "../src/index.js";
import { appWith, captureOutput, listen, requestLines, sleep } from "./helpers.js";

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

describe("registration", () => {
  it("is a fastify-plugin named @structlog/fastify for Fastify 5", () => {
    const meta = (structlogPlugin as unknown as Record<symbol, { name: string; fastify: string }>)[Symbol.for("plugin-meta")];
    expect(meta).toMatchObject({ name: "@structlog/fastify", fastify: "5.x" });
  });

  it("applies to the whole app when registered at the root", async () => {
    app = Fastify();
    await app.register(structlogPlugin);
    await app.register(async (child) => {
      child.get("/child", async () => "ok");
    });
    const response = await app.inject({ url: "/child", headers: { "x-request-id": "c-1" } });
    expect(response.headers["x-request-id"]).toBe("c-1");
    expect(requestLines(out.lines())).toEqual([expect.objectContaining({ request_id: "c-1", route: "/child" })]);
  });

  it("stays inside the encapsulated plugin it is registered in", async () => {
    app = Fastify();
    await app.register(async (api) => {
      await api.register(structlogPlugin);
      api.get("/api/orders", async (request) => {
        request.logger.info("inside");
        return "ok";
      });
    });
    app.get("/outside", async (request) => ({ logger: typeof (request as { logger?: unknown }).logger }));
    const inside = await app.inject({ url: "/api/orders", headers: { "x-request-id": "in-1" } });
    const outside = await app.inject({ url: "/outside", headers: { "x-request-id": "out-1" } });
    expect(inside.headers["x-request-id"]).toBe("in-1");
    expect(outside.headers).not.toHaveProperty("x-request-id");
    expect(outside.json()).toEqual({ logger: "undefined" });
    expect(out.lines().map((l) => [l.event, l.request_id])).toEqual([
      ["inside", "in-1"],
      ["request_completed", "in-1"],
    ]);
  });

  it("does nothing the second time it is registered", async () => {
    app = Fastify();
    await app.register(structlogPlugin, { requestIdKey: "first" });
    await app.register(structlogPlugin, { requestIdKey: "second" });
    await app.register(async (child) => {
      await child.register(structlogPlugin);
      child.get("/", async () => "ok");
    });
    const response = await app.inject({ url: "/", headers: { "x-request-id": "once" } });
    expect(response.headers["x-request-id"]).toBe("once");
    expect(out.lines()).toEqual([expect.objectContaining({ event: "request_completed", first: "once" })]);
  });

  it("can be registered in two sibling plugins, each with its own options", async () => {
    app = Fastify();
    for (const name of ["a", "b"]) {
      await app.register(async (child) => {
        await child.register(structlogPlugin, { completedEvent: `done_${name}` });
        child.get(`/${name}`, async () => name);
      });
    }
    await app.inject({ url: "/a" });
    await app.inject({ url: "/b" });
    expect(out.lines().map((l) => l.event)).toEqual(["done_a", "done_b"]);
  });

  it("rejects a misspelt option, naming the right one", async () => {
    app = Fastify();
    await expect(app.register(structlogPlugin, { requestIDHeader: "x" } as object)).rejects.toThrow(/did you mean "requestIdHeader"/);
  });

  it("rejects an option of the wrong type, saying what to pass", async () => {
    app = Fastify();
    await expect(app.register(structlogPlugin, { getUserId: "user.id" } as object)).rejects.toThrow(/getUserId must be a function/);
  });

  it('rejects a generateRequestId that is neither a function nor "fastify"', async () => {
    app = Fastify();
    await expect(app.register(structlogPlugin, { generateRequestId: "uuid" } as object)).rejects.toThrow(
      /generateRequestId must be a function/,
    );
  });

  it("refuses Fastify's requestIdHeader option, which would take hostile ids unchecked", async () => {
    app = Fastify({ requestIdHeader: "x-request-id" });
    await expect(app.register(structlogPlugin)).rejects.toThrow(/Remove requestIdHeader from Fastify's options/);
  });

  it("never changes the caller's options object", async () => {
    const options = Object.freeze({ ignorePaths: Object.freeze(["/health"]), logRequestStarted: true });
    app = await appWith(options);
    app.get("/", async () => "ok");
    await app.inject({ url: "/" });
    expect(options).toEqual({ ignorePaths: ["/health"], logRequestStarted: true });
  });
});

describe("with Fastify's own logger", () => {
  it("writes no request lines of Fastify's when Fastify's logger is off (the default)", async () => {
    app = await appWith();
    app.get("/", async () => "ok");
    app.get("/boom", async () => {
      throw new Error("boom");
    });
    await app.inject({ url: "/" });
    await app.inject({ url: "/boom" });
    const events = out.lines().map((l) => l.event);
    expect(events).not.toContain("incoming request");
    expect(events).not.toContain("request completed");
    expect(requestLines(out.lines())).toHaveLength(2);
  });

  it("routes Fastify's logs through structlog with asFastifyLogger, one request line each with disableRequestLogging", async () => {
    const logged = Fastify({
      loggerInstance: asFastifyLogger(structlog.getLogger("fastify")),
      logController: new LogController({ disableRequestLogging: true }),
    });
    app = logged as unknown as FastifyInstance;
    await logged.register(structlogPlugin);
    logged.get("/", async (request) => {
      request.log.info("handler");
      return "ok";
    });
    await listen(app);
    await logged.inject({ url: "/", headers: { "x-request-id": "r-1" } });
    const lines = out.lines();
    expect(lines[0]).toMatchObject({
      event: "server_listening",
      address: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      level: "info",
    });
    expect(lines.slice(1).map((l) => [l.event, l.request_id])).toEqual([
      ["handler", "r-1"],
      ["request_completed", "r-1"],
    ]);
  });

  it("without disableRequestLogging, Fastify's own request lines come through the adapter too, in the request's context", async () => {
    const logged = Fastify({ loggerInstance: asFastifyLogger(structlog.getLogger("fastify")) });
    app = logged as unknown as FastifyInstance;
    const reports = await captureReports(async () => {
      await logged.register(structlogPlugin);
    });
    expect(reports).toEqual([expect.stringContaining("Fastify's own request lines are on")]);
    logged.addHook("preHandler", async () => {
      structlog.contextvars.bindContextVars({ user_id: "u-1" });
    });
    logged.get("/", async () => "ok");
    await logged.inject({ url: "/", headers: { "x-request-id": "r-1" } });
    await sleep(1);
    expect(out.lines().map((l) => [l.event, l.reqId, l.request_id, l.user_id])).toEqual([
      // The scope opens in genReqId, before Fastify's own "request_started" line.
      ["request_started", "r-1", "r-1", undefined],
      ["request_completed", undefined, "r-1", "u-1"],
      ["request_completed", "r-1", "r-1", "u-1"],
    ]);
  });
});
