import * as structlog from "@structlog/core";
import type { FastifyInstance, RouteHandlerMethod } from "fastify";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { appWith, captureOutput } from "./helpers.js";

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

/** Runs `handler` as the handler of one injected request and returns the lines it wrote (not the request line). */
async function linesOf(handler: RouteHandlerMethod, options: Parameters<typeof appWith>[0] = {}) {
  app = await appWith(options);
  app.get("/orders/:id", handler);
  await app.inject({ url: "/orders/7?x=1", headers: { "x-request-id": "r-1", authorization: "Bearer secret" } });
  return out.lines().filter((l) => l.event !== "request_completed");
}

describe("request.log", () => {
  it("is a structlog logger bound with the request id", async () => {
    const lines = await linesOf(async (request) => {
      // At run time request.log is the structlog logger; TypeScript sees Fastify's type there, request.logger has structlog's.
      (request.log as typeof request.logger).info("order_loaded", { order_id: 7 });
      return "ok";
    });
    expect(lines).toEqual([{ request_id: "r-1", order_id: 7, event: "order_loaded", level: "info" }]);
  });

  it("is the same object as request.logger; reply.log writes through it", async () => {
    let same = false;
    const lines = await linesOf(async (request, reply) => {
      same = request.logger === request.log;
      reply.log.info({ step: 1 }, "from reply.log");
      reply.log.child({ step: 2 }).warn("from a child of reply.log");
      return "ok";
    });
    expect(same).toBe(true);
    expect(lines).toEqual([
      { request_id: "r-1", step: 1, event: "from reply.log", level: "info" },
      { request_id: "r-1", step: 2, event: "from a child of reply.log", level: "warning" },
    ]);
  });

  it("leaves Fastify's own request logging (its default error handler's line) to Fastify's logger", async () => {
    app = await appWith();
    app.get("/boom", async () => {
      throw new Error("boom");
    });
    app.get("/teapot", async () => {
      throw Object.assign(new Error("short and stout"), { statusCode: 418 });
    });
    await app.inject({ url: "/boom" });
    await app.inject({ url: "/teapot" });
    expect(out.lines().map((l) => [l.event, l.status_code, (l.err as { message?: string } | undefined)?.message])).toEqual([
      ["request_completed", 500, "boom"],
      ["request_completed", 418, "short and stout"],
    ]);
  });

  it("has bind(), whose lines keep the request id", async () => {
    const lines = await linesOf(async (request) => {
      const log = request.logger.bind({ order_id: 7 });
      log.info("step_one");
      log.unbind("order_id").warning("step_two");
      return "ok";
    });
    expect(lines.map((l) => [l.event, l.request_id, l.order_id, l.level])).toEqual([
      ["step_one", "r-1", 7, "info"],
      ["step_two", "r-1", undefined, "warning"],
    ]);
  });

  it("takes pino's call shapes: (obj, msg, ...args), (err), (msg)", async () => {
    const lines = await linesOf(async (request) => {
      request.log.info({ order_id: 7 }, "loaded %s in %dms", "order", 12);
      request.log.error(new Error("boom"));
      request.log.warn("plain message");
      request.log.child({ step: "pay" }).info({ amount: 3 }, "paid");
      return "ok";
    });
    expect(lines).toEqual([
      { request_id: "r-1", order_id: 7, event: "loaded order in 12ms", level: "info" },
      { request_id: "r-1", exc_info: expect.objectContaining({ message: "boom" }), event: "boom", level: "error" },
      { request_id: "r-1", event: "plain message", level: "warning" },
      { request_id: "r-1", step: "pay", amount: 3, event: "paid", level: "info" },
    ]);
  });

  it("serializes Fastify's request and reply objects passed under req and res, headers redacted", async () => {
    const lines = await linesOf(async (request, reply) => {
      request.log.info({ req: request, res: reply }, "fastify style");
      request.logger.info("structlog style", { req: request });
      return "ok";
    });
    const [pinoStyle, structlogStyle] = lines;
    expect(pinoStyle?.req).toEqual({
      id: "r-1",
      method: "GET",
      url: "/orders/7?x=1",
      query: { x: "1" },
      params: { id: "7" },
      headers: expect.objectContaining({ authorization: "[Redacted]", "x-request-id": "r-1" }),
      remoteAddress: "127.0.0.1",
    });
    expect(pinoStyle?.res).toEqual({ statusCode: 200, headers: { "x-request-id": "r-1" } });
    expect(structlogStyle?.req).toEqual(pinoStyle?.req);
  });

  it("writes Fastify's own calls on it in the request's context", async () => {
    app = await appWith();
    app.get("/", async (_request, reply) => {
      reply.send("first");
      return "second"; // Fastify warns: the reply was already sent
    });
    await app.inject({ url: "/", headers: { "x-request-id": "r-1" } });
    await new Promise((r) => setTimeout(r, 10));
    expect(out.lines()).toContainEqual(
      expect.objectContaining({
        request_id: "r-1",
        level: "warning",
        event: "reply_already_sent",
        err: expect.any(Object),
      }),
    );
  });

  it("never changes the fields object it is given", async () => {
    let fields: Record<string, unknown> = {};
    await linesOf(async (request) => {
      fields = { req: request, n: 1 };
      request.log.info(fields, "x");
      return "ok";
    });
    expect(Object.keys(fields)).toEqual(["req", "n"]);
    expect(typeof (fields.req as { raw?: unknown }).raw).toBe("object");
  });

  it("is available as request.logger in onRequest hooks that run before the plugin's", async () => {
    app = await appWith();
    app.get("/", async () => "ok");
    // A hook on the route runs after the app's hooks; one added before register() would run first.
    const early = await import("fastify").then((m) => m.default());
    early.addHook("onRequest", async (request) => {
      request.logger.info("early", { has_bind: typeof request.logger.bind });
    });
    await early.register((await import("../src/index.js")).structlogPlugin);
    early.get("/", async () => "ok");
    await early.inject({ url: "/", headers: { "x-request-id": "e-1" } });
    await early.close();
    expect(out.lines()[0]).toEqual({ request_id: "e-1", has_bind: "function", event: "early", level: "info" });
  });
});
