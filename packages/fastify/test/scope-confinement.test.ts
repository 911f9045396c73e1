import * as structlog from "@structlog/core";
import Fastify, { type FastifyInstance, type FastifyReply } from "fastify";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { structlogPlugin, withStructlog } from "../src/index.js";
import { appWith, captureOutput, listen, rawRequest, sleep } from "./helpers.js";

/**
 * genReqId enters the request's scope on whatever async context dispatches
 * the request. These tests check that no such context outlives the request
 * with the request's scope on it: after `app.inject()` the caller, and what
 * it schedules, are outside every request.
 */
const { getContextVars } = structlog.contextvars;
const outside = structlog.getLogger("outside");

let out: ReturnType<typeof captureOutput>;
let app: FastifyInstance | undefined;
beforeEach(() => {
  out = captureOutput();
});
afterEach(async () => {
  await app?.close();
  app = undefined;
  structlog.contextvars.clearContextVars();
  structlog.resetDefaults();
});

/** What a timer scheduled now sees when it fires. */
function varsInTimer(): Promise<Record<string, unknown>> {
  return new Promise((resolve) => setTimeout(() => resolve(getContextVars()), 1));
}

describe("after app.inject()", () => {
  it("the caller holds no request's scope", async () => {
    app = await appWith();
    app.get("/", async () => "ok");
    await app.inject({ url: "/", headers: { "x-request-id": "r-1" } });
    expect(getContextVars()).toEqual({});
  });

  it("a line logged by the caller carries no request_id", async () => {
    app = await appWith();
    app.get("/", async () => "ok");
    await app.inject({ url: "/", headers: { "x-request-id": "r-1" } });
    outside.info("after_inject");
    const line = out.lines().find((l) => l.event === "after_inject");
    expect(line).toBeDefined();
    expect(line).not.toHaveProperty("request_id");
  });

  it("a timer scheduled by the caller holds no request's scope", async () => {
    app = await appWith();
    app.get("/", async () => "ok");
    await app.inject({ url: "/", headers: { "x-request-id": "r-1" } });
    expect(await varsInTimer()).toEqual({});
  });

  it("on a listening app (inject dispatches synchronously), the caller holds no request's scope", async () => {
    app = await appWith();
    app.get("/", async () => "ok");
    await listen(app);
    await app.inject({ url: "/", headers: { "x-request-id": "r-1" } });
    expect(getContextVars()).toEqual({});
    expect(await varsInTimer()).toEqual({});
  });

  it("the caller keeps its own scope", async () => {
    app = await appWith();
    app.get("/", async () => "ok");
    await structlog.contextvars.boundContextVars({ job: "j-1" }, async () => {
      await app?.inject({ url: "/", headers: { "x-request-id": "r-1" } });
      expect(getContextVars()).toEqual({ job: "j-1" });
    });
  });

  it("in callback form, the caller holds no request's scope", async () => {
    app = await appWith();
    app.get("/", async () => "ok");
    await app.ready();
    await new Promise<void>((resolve, reject) => {
      app?.inject({ url: "/", headers: { "x-request-id": "r-1" } }, (err) => (err ? reject(err) : resolve()));
    });
    expect(getContextVars()).toEqual({});
  });

  it("in chain form with end(), the caller holds no request's scope", async () => {
    app = await appWith();
    app.get("/", async () => "ok");
    await app.ready();
    await app.inject().get("/").headers({ "x-request-id": "r-1" }).end();
    expect(getContextVars()).toEqual({});
    expect(await varsInTimer()).toEqual({});
  });

  it("in chain form awaited directly, the caller holds no request's scope", async () => {
    app = await appWith();
    app.get("/", async () => "ok");
    await app.ready();
    await app.inject().get("/").headers({ "x-request-id": "r-1" });
    expect(getContextVars()).toEqual({});
    expect(await varsInTimer()).toEqual({});
  });

  it("before ready(), the caller holds no request's scope", async () => {
    app = await appWith();
    app.get("/", async () => "ok");
    await app.inject({ url: "/", headers: { "x-request-id": "r-1" } });
    await app.inject({ url: "/", headers: { "x-request-id": "r-2" } });
    expect(getContextVars()).toEqual({});
    expect(await varsInTimer()).toEqual({});
  });

  it("for a 404, the caller holds no request's scope", async () => {
    app = await appWith();
    await app.inject({ url: "/nope", headers: { "x-request-id": "r-404" } });
    expect(getContextVars()).toEqual({});
    expect(await varsInTimer()).toEqual({});
  });

  it("for a URL Fastify rejects, the caller holds no request's scope", async () => {
    app = await appWith();
    app.get("/:id", async () => "ok");
    const response = await app.inject({ url: "/%c0", headers: { "x-request-id": "r-bad" } });
    expect(response.statusCode).toBe(400);
    expect(getContextVars()).toEqual({});
    expect(await varsInTimer()).toEqual({});
  });

  it("for a URL rejected through frameworkErrors, the caller holds no request's scope", async () => {
    app = Fastify({
      frameworkErrors: (_error, _request, reply) => {
        // Fastify types this reply for no route at all; it is an ordinary reply.
        (reply as unknown as FastifyReply).code(400).send("bad");
      },
    });
    await app.register(structlogPlugin);
    app.get("/:id", async () => "ok");
    await app.inject({ url: "/%c0", headers: { "x-request-id": "r-fw" } });
    expect(getContextVars()).toEqual({});
  });

  it("for a body over bodyLimit, the caller holds no request's scope", async () => {
    app = await appWith({}, { bodyLimit: 10 });
    app.post("/", async () => "ok");
    const response = await app.inject({
      method: "POST",
      url: "/",
      payload: { long: "x".repeat(100) },
      headers: { "x-request-id": "r-big" },
    });
    expect(response.statusCode).toBe(413);
    expect(getContextVars()).toEqual({});
    expect(await varsInTimer()).toEqual({});
  });

  it("when an onRequest hook replies early, the caller holds no request's scope", async () => {
    app = await appWith();
    app.addHook("onRequest", (_request, reply, done) => {
      reply.code(401).send("no");
      done();
    });
    app.get("/", async () => "ok");
    await app.inject({ url: "/", headers: { "x-request-id": "r-401" } });
    expect(getContextVars()).toEqual({});
    expect(await varsInTimer()).toEqual({});
  });

  it("with Fastify(withStructlog()), the caller holds no request's scope", async () => {
    app = Fastify(withStructlog()) as unknown as FastifyInstance;
    await app.register(structlogPlugin);
    app.get("/", async () => "ok");
    await app.inject({ url: "/", headers: { "x-request-id": "r-1" } });
    expect(getContextVars()).toEqual({});
    expect(await varsInTimer()).toEqual({});
  });
});

describe("over a real socket", () => {
  it("a request after a 404 on the same connection does not start in the 404's scope", async () => {
    app = await appWith();
    const seen: unknown[] = [];
    app.addHook("onRequest", (request, _reply, done) => {
      seen.push([request.id, getContextVars().request_id]);
      done();
    });
    app.get("/", async () => "ok");
    const url = await listen(app);
    await rawRequest(
      url,
      "GET /nope HTTP/1.1\r\nHost: x\r\nx-request-id: a-1\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\nx-request-id: a-2\r\nConnection: close\r\n\r\n",
    );
    await sleep(10);
    expect(seen).toEqual([
      ["a-1", "a-1"],
      ["a-2", "a-2"],
    ]);
  });
});
