import { Readable } from "node:stream";
import * as structlog from "@structlog/core";
import { captureReports } from "@structlog/core/testing";
import Fastify, { type FastifyInstance } from "fastify";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { structlogPlugin } from "../src/index.js";
import { appWith, captureOutput, eventually, listen, rawRequest, requestLines, sleep } from "./helpers.js";

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

function onlyRequestLine() {
  const lines = requestLines(out.lines());
  expect(lines).toHaveLength(1);
  return lines[0] as Record<string, unknown>;
}

describe("the request line", () => {
  it("has the request's fields, in order", async () => {
    app = await appWith();
    app.get("/orders/:id", async () => ({ ok: true }));
    await app.inject({ url: "/orders/7?expand=1", headers: { "x-request-id": "r-1" } });
    const line = onlyRequestLine();
    expect(line).toEqual({
      request_id: "r-1",
      method: "GET",
      path: "/orders/7",
      route: "/orders/:id",
      status_code: 200,
      duration_ms: expect.any(Number),
      response_size: 11,
      remote_address: "127.0.0.1",
      event: "request_completed",
      level: "info",
    });
    expect(Object.keys(line).slice(0, 3)).toEqual(["request_id", "method", "path"]);
  });

  it("carries user_id bound in a preHandler, as every later line does", async () => {
    app = await appWith();
    app.addHook("preHandler", async () => {
      await sleep(1);
      structlog.contextvars.bindContextVars({ user_id: "u-42" });
    });
    app.get("/", async (request) => {
      request.log.info("order_loaded");
      structlog.getLogger("deep").info("charged");
      return "ok";
    });
    await app.inject({ url: "/" });
    const lines = out.lines();
    expect(lines.map((l) => [l.event, l.user_id])).toEqual([
      ["order_loaded", "u-42"],
      ["charged", "u-42"],
      ["request_completed", "u-42"],
    ]);
  });

  it("reports the response size of a real socket response", async () => {
    app = await appWith();
    app.get("/", async () => "12345");
    const url = await listen(app);
    await (await fetch(url)).text();
    await eventually(() => requestLines(out.lines()).length === 1, "the request line");
    expect(onlyRequestLine()).toMatchObject({ status_code: 200, response_size: 5 });
  });

  it.each([
    [200, "info"],
    [302, "info"],
    [404, "warning"],
    [429, "warning"],
    [500, "error"],
    [503, "error"],
  ])("is logged at the level of its outcome: %i is %s", async (status, level) => {
    app = await appWith();
    app.get("/", async (_request, reply) => reply.code(status).send("x"));
    await app.inject({ url: "/" });
    expect(onlyRequestLine()).toMatchObject({ status_code: status, level });
  });

  it("logs a 404 for an unknown route, without a route pattern", async () => {
    app = await appWith();
    await app.inject({ url: "/nowhere" });
    const line = onlyRequestLine();
    expect(line).toMatchObject({ status_code: 404, path: "/nowhere", level: "warning" });
    expect(line).not.toHaveProperty("route");
  });

  it("carries an error thrown in the handler, in pino-std-serializers' err shape", async () => {
    app = await appWith();
    app.get("/", async () => {
      throw Object.assign(new Error("card declined", { cause: new Error("gateway 502") }), { code: "E_DECLINED" });
    });
    await app.inject({ url: "/" });
    expect(onlyRequestLine()).toMatchObject({
      status_code: 500,
      level: "error",
      err: {
        type: "Error",
        message: "card declined",
        stack: expect.stringContaining("Error: card declined"),
        code: "E_DECLINED",
        cause: { type: "Error", message: "gateway 502" },
      },
    });
  });

  it("carries an error thrown in a hook", async () => {
    app = await appWith();
    app.addHook("preHandler", async () => {
      throw Object.assign(new Error("token expired"), { statusCode: 401 });
    });
    app.get("/", async () => "never");
    await app.inject({ url: "/" });
    expect(onlyRequestLine()).toMatchObject({ status_code: 401, level: "warning", err: { message: "token expired" } });
  });

  it("carries a validation error", async () => {
    app = await appWith();
    app.post("/", { schema: { body: { type: "object", required: ["sku"] } } }, async () => "ok");
    await app.inject({ method: "POST", url: "/", payload: {} });
    expect(onlyRequestLine()).toMatchObject({ status_code: 400, level: "warning", err: { code: "FST_ERR_VALIDATION" } });
  });

  it("marks a request whose client went away as aborted", async () => {
    app = await appWith();
    app.get("/slow", async () => {
      await sleep(300);
      return "late";
    });
    const url = await listen(app);
    await rawRequest(url, "GET /slow HTTP/1.1\r\nhost: x\r\nx-request-id: gone-1\r\n\r\n", 50);
    await eventually(() => requestLines(out.lines()).length === 1, "the request line");
    expect(onlyRequestLine()).toMatchObject({ request_id: "gone-1", aborted: true, level: "warning", remote_address: "127.0.0.1" });
    await sleep(350); // the handler finishes later: still one line
    expect(requestLines(out.lines())).toHaveLength(1);
  });

  /** Serves a /slow route that answers after the socket timed out, requests it, and returns the one request line. */
  async function requestSlowRoute(): Promise<Record<string, unknown>> {
    (app as FastifyInstance).get("/slow", async () => {
      await sleep(400);
      return "late";
    });
    const url = await listen(app as FastifyInstance);
    await rawRequest(url, "GET /slow HTTP/1.1\r\nhost: x\r\n\r\n");
    await eventually(() => requestLines(out.lines()).length === 1, "the request line");
    return onlyRequestLine();
  }

  it("marks a connection timeout as timed_out, at error level", async () => {
    app = await appWith({}, { connectionTimeout: 100 });
    const line = await requestSlowRoute();
    expect(line).toMatchObject({ timed_out: true, level: "error" });
    expect(line).not.toHaveProperty("aborted");
  });

  it("marks a timeout as timed_out when the server's timeout was set before the plugin was registered", async () => {
    app = Fastify();
    app.server.setTimeout(100);
    await app.register(structlogPlugin);
    expect(await requestSlowRoute()).toMatchObject({ timed_out: true, level: "error" });
  });

  it("marks a route's handlerTimeout as timed_out", async () => {
    app = await appWith();
    app.get("/slow", { handlerTimeout: 20 } as object, async () => {
      await sleep(200);
      return "late";
    });
    const response = await app.inject({ url: "/slow" });
    expect(response.statusCode).toBe(503);
    expect(onlyRequestLine()).toMatchObject({
      status_code: 503,
      timed_out: true,
      level: "error",
      err: { code: "FST_ERR_HANDLER_TIMEOUT" },
    });
  });

  it("carries the error of a streamed reply that fails after its headers were sent, at error level", async () => {
    app = await appWith();
    app.get("/export", async () => {
      async function* rows() {
        yield "row 1\n";
        await sleep(5);
        throw new Error("database went away");
      }
      return Readable.from(rows());
    });
    const url = await listen(app);
    // The client sees the response cut short.
    await expect(fetch(`${url}/export`).then((r) => r.text())).rejects.toThrow();
    await eventually(() => requestLines(out.lines()).length === 1, "the request line");
    const line = onlyRequestLine();
    expect(line).toMatchObject({ status_code: 200, level: "error", err: { message: "database went away" } });
    expect(line).not.toHaveProperty("aborted");
  });

  it("is written once for a streamed reply that completes", async () => {
    app = await appWith();
    app.get("/export", async () => Readable.from(["a\n", "b\n"]));
    const url = await listen(app);
    expect(await (await fetch(`${url}/export`)).text()).toBe("a\nb\n");
    await eventually(() => requestLines(out.lines()).length === 1, "the request line");
    await sleep(20);
    expect(onlyRequestLine()).toMatchObject({ status_code: 200, level: "info" });
  });

  it("is written once when the reply is sent from a hook", async () => {
    app = await appWith();
    app.addHook("onRequest", async (_request, reply) => reply.code(403).send("no"));
    app.get("/", async () => "never");
    await app.inject({ url: "/" });
    expect(onlyRequestLine()).toMatchObject({ status_code: 403 });
  });
});

describe("request line options", () => {
  it("logs request_started first with logRequestStarted", async () => {
    app = await appWith({ logRequestStarted: true });
    app.get("/", async (request) => {
      request.log.info("handler");
      return "ok";
    });
    await app.inject({ url: "/", headers: { "x-request-id": "r-1" } });
    expect(out.lines().map((l) => [l.event, l.request_id])).toEqual([
      ["request_started", "r-1"],
      ["handler", "r-1"],
      ["request_completed", "r-1"],
    ]);
    expect(out.lines()[0]).toMatchObject({ method: "GET", path: "/", route: "/", level: "info" });
  });

  it("names its events with completedEvent and startedEvent", async () => {
    app = await appWith({ logRequestStarted: true, startedEvent: "http_in", completedEvent: "http_out" });
    app.get("/", async () => "ok");
    await app.inject({ url: "/" });
    expect(out.lines().map((l) => l.event)).toEqual(["http_in", "http_out"]);
  });

  it("skips the paths in ignorePaths, whose other lines keep the request id", async () => {
    app = await appWith({ ignorePaths: ["/health"], logRequestStarted: true });
    app.get("/health", async (request) => {
      request.log.info("probe");
      return "ok";
    });
    await app.inject({ url: "/health?full=1", headers: { "x-request-id": "h-1" } });
    expect(out.lines()).toEqual([expect.objectContaining({ event: "probe", request_id: "h-1" })]);
  });

  it("skips requests for which skip() returns true", async () => {
    app = await appWith({ skip: (request) => request.headers["user-agent"] === "kube-probe" });
    app.get("/", async () => "ok");
    await app.inject({ url: "/", headers: { "user-agent": "kube-probe" } });
    await app.inject({ url: "/", headers: { "user-agent": "browser" } });
    expect(requestLines(out.lines())).toHaveLength(1);
  });

  it("adds customFields from the request and the reply", async () => {
    app = await appWith({
      customFields: (request, reply) => ({ tenant: request.headers["x-tenant"], cache: reply.getHeader("x-cache") }),
    });
    app.get("/", async (_request, reply) => reply.header("x-cache", "HIT").send("ok"));
    await app.inject({ url: "/", headers: { "x-tenant": "acme" } });
    expect(onlyRequestLine()).toMatchObject({ tenant: "acme", cache: "HIT" });
  });

  it("still writes the line when customFields throws", async () => {
    app = await appWith({
      customFields: () => {
        throw new Error("bug in customFields");
      },
    });
    app.get("/", async () => "ok");
    const reports = await captureReports(async () => {
      await app?.inject({ url: "/" });
    });
    expect(onlyRequestLine()).toMatchObject({ status_code: 200 });
    expect(reports).toEqual([expect.stringMatching(/^structlog: @structlog\/fastify customFields failed: Error: bug in customFields/)]);
  });

  it("leaves out the client address with logRemoteAddress: false", async () => {
    app = await appWith({ logRemoteAddress: false });
    app.get("/", async () => "ok");
    await app.inject({ url: "/" });
    expect(onlyRequestLine()).not.toHaveProperty("remote_address");
  });

  it("adds the serialized request and response with logHeaders, credentials redacted", async () => {
    app = await appWith({ logHeaders: true });
    app.get("/", async (_request, reply) => reply.header("set-cookie", "session=s3cret").send("ok"));
    await app.inject({ url: "/?q=1", headers: { authorization: "Bearer t0ken", cookie: "a=b", accept: "text/plain" } });
    const line = onlyRequestLine();
    expect(line.req).toMatchObject({
      method: "GET",
      url: "/?q=1",
      query: { q: "1" },
      headers: { authorization: "[Redacted]", cookie: "[Redacted]", accept: "text/plain" },
    });
    expect(line.res).toMatchObject({ statusCode: 200, headers: { "set-cookie": "[Redacted]" } });
    expect(JSON.stringify(line)).not.toMatch(/t0ken|s3cret|a=b/);
  });

  it("redacts the headers named in redactHeaders, with the censor", async () => {
    app = await appWith({ logHeaders: true, redactHeaders: ["x-secret"], censor: "***" });
    app.get("/", async () => "ok");
    await app.inject({ url: "/", headers: { "x-secret": "hide", authorization: "shown-now" } });
    expect(onlyRequestLine().req).toMatchObject({ headers: { "x-secret": "***", authorization: "shown-now" } });
  });

  it("follows a route's logLevel: a quiet route writes only its warnings and errors", async () => {
    app = await appWith();
    app.get("/quiet", { logLevel: "warn" }, async (request) => {
      request.log.info("not_written");
      request.log.warn("written");
      return "ok";
    });
    app.get("/quiet-failing", { logLevel: "warn" }, async (_request, reply) => reply.code(500).send("x"));
    await app.inject({ url: "/quiet" });
    await app.inject({ url: "/quiet-failing" });
    expect(out.lines().map((l) => [l.event, l.status_code])).toEqual([
      ["written", undefined],
      ["request_completed", 500],
    ]);
  });

  it("binds user_id from getUserId, consulted after the app's own preHandler hooks", async () => {
    app = await appWith({ getUserId: (request) => (request as unknown as { user?: { id: string } }).user?.id });
    app.decorateRequest("user", null);
    app.addHook("preHandler", async (request) => {
      await sleep(1);
      (request as unknown as { user: { id: string } }).user = { id: "u-7" };
    });
    app.get("/", async (request) => {
      request.log.info("handler");
      return "ok";
    });
    await app.inject({ url: "/" });
    expect(out.lines().map((l) => [l.event, l.user_id])).toEqual([
      ["handler", "u-7"],
      ["request_completed", "u-7"],
    ]);
  });

  it("consults getUserId at the end for requests that never reached a handler", async () => {
    app = await appWith({ getUserId: (request) => request.headers["x-user"] });
    app.addHook("onRequest", async (_request, reply) => reply.code(401).send("who?"));
    app.get("/", async () => "never");
    await app.inject({ url: "/", headers: { "x-user": "u-9" } });
    expect(onlyRequestLine()).toMatchObject({ status_code: 401, user_id: "u-9" });
  });
});
