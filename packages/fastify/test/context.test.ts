import { AsyncLocalStorage } from "node:async_hooks";
import { EventEmitter } from "node:events";
import { Readable } from "node:stream";
import * as structlog from "@structlog/core";
import Fastify, { type FastifyInstance } from "fastify";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { structlogPlugin } from "../src/index.js";
import { appWith, captureOutput, eventually, listen, rawRequest, requestLines, sleep } from "./helpers.js";

const deep = structlog.getLogger("deep");
const { bindContextVars, getContextVars } = structlog.contextvars;

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

/**
 * A request body sent in parts, some time apart, so that it arrives after
 * the headers, in several socket reads: the parts are read from socket
 * events, outside the request's async context.
 */
function slowBody(parts: string[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    async start(controller) {
      for (const part of parts) {
        await sleep(20);
        controller.enqueue(new TextEncoder().encode(part));
      }
      controller.close();
    },
  });
}

/** Adds a callback-style hook for each lifecycle stage that logs `hook_<name>` through a module-level logger. */
function logFromEveryHook(target: FastifyInstance): void {
  for (const name of [
    "onRequest",
    "preParsing",
    "preValidation",
    "preHandler",
    "preSerialization",
    "onSend",
    "onResponse",
    "onError",
  ] as const) {
    // biome-ignore lint/suspicious/noExplicitAny: one function for hooks of different signatures.
    target.addHook(name as "onRequest", (...args: any[]) => {
      deep.info(`hook_${name}`);
      const done = args.find((a, i) => i >= 2 && typeof a === "function");
      done();
    });
  }
}

describe("the request scope", () => {
  it("is live in every hook, the handler and the error handler, over a real socket with a body", async () => {
    app = await appWith();
    logFromEveryHook(app);
    app.setErrorHandler((error, _request, reply) => {
      deep.info("error_handler");
      reply.code(422).send({ message: (error as Error).message });
    });
    app.post("/orders", async (request) => {
      deep.info("handler", { body: request.body });
      throw new Error("rejected");
    });
    const url = await listen(app);
    const response = await fetch(`${url}/orders`, {
      method: "POST",
      body: slowBody(['{"sku":', '"A-1"}']),
      duplex: "half",
      headers: { "content-type": "application/json", "x-request-id": "ctx-1" },
    } as RequestInit);
    expect(response.status).toBe(422);
    await eventually(() => requestLines(out.lines()).length === 1, "the request line");
    const events = out.lines().map((l) => [l.event, l.request_id]);
    expect(events).toEqual([
      ["hook_onRequest", "ctx-1"],
      ["hook_preParsing", "ctx-1"],
      ["hook_preValidation", "ctx-1"],
      ["hook_preHandler", "ctx-1"],
      ["handler", "ctx-1"],
      ["hook_onError", "ctx-1"],
      ["error_handler", "ctx-1"],
      ["hook_preSerialization", "ctx-1"],
      ["hook_onSend", "ctx-1"],
      ["request_completed", "ctx-1"],
      ["hook_onResponse", "ctx-1"],
    ]);
  });

  it("brings the next stage back into the scope when an app hook resumes from another context", async () => {
    app = await appWith();
    // A callback-style client (a connection pool, say) that calls back from its own timer, outside any request.
    const waiting: Array<() => void> = [];
    const pool = setInterval(() => waiting.shift()?.(), 5);
    try {
      app.addHook("onRequest", (_request, _reply, done) => {
        waiting.push(() => {
          deep.info("resumed_outside");
          done();
        });
      });
      app.addHook("preParsing", (_request, _reply, _payload, done) => {
        deep.info("next_stage");
        done();
      });
      app.get("/", async () => {
        deep.info("handler");
        return "ok";
      });
      await app.inject({ url: "/", headers: { "x-request-id": "re-1" } });
    } finally {
      clearInterval(pool);
    }
    expect(out.lines().map((l) => [l.event, l.request_id])).toEqual([
      ["resumed_outside", undefined],
      ["next_stage", "re-1"],
      ["handler", "re-1"],
      ["request_completed", "re-1"],
    ]);
  });

  it("brings every later stage back into the scope when app hooks and the handler resume from another context", async () => {
    app = await appWith();
    const waiting: Array<() => void> = [];
    const pool = setInterval(() => waiting.shift()?.(), 5);
    const later = (fn: () => void) => waiting.push(fn);
    try {
      app.addHook("onRequest", (_request, _reply, done) => later(done));
      app.addHook("preParsing", (_request, _reply, _payload, done) => {
        deep.info("hook_preParsing");
        later(done);
      });
      app.addHook("preValidation", (_request, _reply, done) => {
        deep.info("hook_preValidation");
        later(done);
      });
      app.addHook("preHandler", (_request, _reply, done) => {
        deep.info("hook_preHandler");
        later(done);
      });
      app.addHook("onSend", (_request, _reply, payload, done) => {
        deep.info("hook_onSend");
        later(() => done(null, payload));
      });
      app.addHook("onResponse", (_request, _reply, done) => {
        deep.info("hook_onResponse");
        done();
      });
      app.get("/", (_request, reply) => {
        deep.info("handler");
        // A callback-style handler that replies from the pool's callback.
        later(() => reply.send("ok"));
      });
      await app.inject({ url: "/", headers: { "x-request-id": "re-2" } });
      await eventually(() => out.lines().some((l) => l.event === "hook_onResponse"), "the onResponse hook");
    } finally {
      clearInterval(pool);
    }
    expect(out.lines().map((l) => [l.event, l.request_id])).toEqual([
      ["hook_preParsing", "re-2"],
      ["hook_preValidation", "re-2"],
      ["hook_preHandler", "re-2"],
      ["handler", "re-2"],
      ["hook_onSend", "re-2"],
      ["request_completed", "re-2"],
      ["hook_onResponse", "re-2"],
    ]);
  });

  it("brings back the other async-local stores of onRequest when an app hook resumes from another context", async () => {
    // Another library's store (an OpenTelemetry context, say), set for the request before the plugin's hooks.
    const other = new AsyncLocalStorage<string>();
    app = Fastify();
    app.addHook("onRequest", (request, _reply, done) => {
      other.enterWith(`span-${request.id}`);
      done();
    });
    await app.register(structlogPlugin);
    const waiting: Array<() => void> = [];
    const pool = setInterval(() => waiting.shift()?.(), 5);
    let seen: unknown;
    try {
      app.addHook("preValidation", (_request, _reply, done) => {
        waiting.push(done);
      });
      app.get("/", async () => {
        seen = [other.getStore(), getContextVars().request_id];
        return "ok";
      });
      await app.inject({ url: "/", headers: { "x-request-id": "st-1" } });
    } finally {
      clearInterval(pool);
    }
    expect(seen).toEqual(["span-st-1", "st-1"]);
  });

  it("is live in onTimeout hooks", async () => {
    app = await appWith({}, { connectionTimeout: 200 });
    app.addHook("onTimeout", (_request, _reply, done) => {
      deep.info("hook_onTimeout");
      done();
    });
    app.get("/slow", async () => {
      await sleep(1000);
      return "late";
    });
    const url = await listen(app);
    await rawRequest(url, "GET /slow HTTP/1.1\r\nhost: x\r\nx-request-id: slow-1\r\n\r\n");
    await eventually(() => out.lines().some((l) => l.event === "hook_onTimeout"), "the onTimeout hook");
    expect(out.lines().find((l) => l.event === "hook_onTimeout")).toMatchObject({ request_id: "slow-1" });
  });

  /** Sends half of a POST /upload body as request `id`, hangs up, and returns the line the hook logged as `event`. */
  async function abortUpload(id: string, event: string): Promise<Record<string, unknown> | undefined> {
    const url = await listen(app as FastifyInstance);
    await rawRequest(
      url,
      `POST /upload HTTP/1.1\r\nhost: x\r\nx-request-id: ${id}\r\ncontent-type: text/plain\r\ncontent-length: 100\r\n\r\nhalf`,
      100,
    );
    await eventually(() => out.lines().some((l) => l.event === event), `the ${event} line`);
    return out.lines().find((l) => l.event === event);
  }

  it("is live in a route's own onRequestAbort hook", async () => {
    app = await appWith();
    app.post(
      "/upload",
      {
        onRequestAbort: (_request, done) => {
          deep.info("route_onRequestAbort");
          done();
        },
      },
      async () => "never",
    );
    expect(await abortUpload("gone-2", "route_onRequestAbort")).toMatchObject({ request_id: "gone-2" });
  });

  it("is live in onRequestAbort hooks of an encapsulated plugin", async () => {
    app = await appWith();
    await app.register(async (child) => {
      child.addHook("onRequestAbort", (_request, done) => {
        deep.info("child_onRequestAbort");
        done();
      });
      child.post("/upload", async () => "never");
    });
    expect(await abortUpload("gone-3", "child_onRequestAbort")).toMatchObject({ request_id: "gone-3" });
  });

  it("is live in onRequestAbort hooks", async () => {
    app = await appWith();
    app.addHook("onRequestAbort", (_request, done) => {
      deep.info("hook_onRequestAbort");
      done();
    });
    app.post("/upload", async () => "never");
    // The client sends half of the body and hangs up.
    expect(await abortUpload("gone-1", "hook_onRequestAbort")).toMatchObject({ request_id: "gone-1" });
  });

  it("survives awaits, timers, immediates, nextTick and emitters created in the handler", async () => {
    app = await appWith();
    app.get("/", async () => {
      await sleep(5);
      deep.info("after_await");
      await new Promise<void>((resolve) =>
        setTimeout(() => {
          deep.info("in_timer");
          resolve();
        }, 5),
      );
      await new Promise<void>((resolve) =>
        setImmediate(() => {
          deep.info("in_immediate");
          resolve();
        }),
      );
      await new Promise<void>((resolve) =>
        process.nextTick(() => {
          deep.info("in_next_tick");
          resolve();
        }),
      );
      const emitter = new EventEmitter();
      const heard = new Promise<void>((resolve) =>
        emitter.on("ping", () => {
          deep.info("in_listener");
          resolve();
        }),
      );
      setTimeout(() => emitter.emit("ping"), 5);
      await heard;
      return "ok";
    });
    await app.inject({ url: "/", headers: { "x-request-id": "async-1" } });
    const lines = out.lines();
    expect(lines.map((l) => l.event)).toEqual([
      "after_await",
      "in_timer",
      "in_immediate",
      "in_next_tick",
      "in_listener",
      "request_completed",
    ]);
    expect(lines.every((l) => l.request_id === "async-1")).toBe(true);
  });

  it("follows a streamed request body into a content-type parser's listeners and the handler", async () => {
    app = await appWith();
    app.addContentTypeParser("application/x-ndjson", (_request, payload, done) => {
      let text = "";
      payload.on("data", (chunk: Buffer) => {
        deep.info("parser_chunk", { bytes: chunk.length });
        text += chunk.toString();
      });
      payload.on("end", () => {
        deep.info("parser_end");
        done(
          null,
          text
            .trim()
            .split("\n")
            .map((line) => JSON.parse(line)),
        );
      });
    });
    app.post("/import", async (request) => {
      deep.info("handler", { items: (request.body as unknown[]).length });
      return "ok";
    });
    const url = await listen(app);
    const response = await fetch(`${url}/import`, {
      method: "POST",
      body: slowBody(['{"n":0}\n', '{"n":1}\n', '{"n":2}\n']),
      duplex: "half",
      headers: { "content-type": "application/x-ndjson", "x-request-id": "body-1" },
    } as RequestInit);
    expect(response.status).toBe(200);
    await eventually(() => requestLines(out.lines()).length === 1, "the request line");
    const lines = out.lines();
    expect(lines.filter((l) => l.event === "parser_chunk").length).toBeGreaterThanOrEqual(2);
    expect(lines.map((l) => l.event)).toContain("parser_end");
    expect(lines.every((l) => l.request_id === "body-1")).toBe(true);
  });

  it("follows a streamed reply: lines written while the stream produces carry the request's id", async () => {
    app = await appWith();
    app.get("/export", async () => {
      async function* rows() {
        for (let i = 0; i < 3; i++) {
          await sleep(5);
          deep.info("row_sent", { i });
          yield `row ${i}\n`;
        }
      }
      return Readable.from(rows());
    });
    const url = await listen(app);
    const response = await fetch(`${url}/export`, { headers: { "x-request-id": "stream-1" } });
    expect(await response.text()).toBe("row 0\nrow 1\nrow 2\n");
    await eventually(() => requestLines(out.lines()).length === 1, "the request line");
    const lines = out.lines();
    expect(lines.map((l) => l.event)).toEqual(["row_sent", "row_sent", "row_sent", "request_completed"]);
    expect(lines.every((l) => l.request_id === "stream-1")).toBe(true);
    expect(requestLines(lines)[0]).toMatchObject({ status_code: 200, level: "info" });
  });

  it("keeps two overlapping requests apart", async () => {
    app = await appWith();
    let releaseFirst: () => void = () => {};
    const firstWaiting = new Promise<void>((resolve) => {
      releaseFirst = resolve;
    });
    let secondStarted: () => void = () => {};
    const secondIsIn = new Promise<void>((resolve) => {
      secondStarted = resolve;
    });
    app.get("/first", async () => {
      bindContextVars({ user_id: "alice" });
      await secondIsIn;
      deep.info("first_after_second_started", { seen: getContextVars() });
      releaseFirst();
      return "1";
    });
    app.get("/second", async () => {
      bindContextVars({ user_id: "bob" });
      secondStarted();
      await firstWaiting;
      deep.info("second_after_first_logged", { seen: getContextVars() });
      return "2";
    });
    const url = await listen(app);
    await Promise.all([
      fetch(`${url}/first`, { headers: { "x-request-id": "req-A" } }),
      fetch(`${url}/second`, { headers: { "x-request-id": "req-B" } }),
    ]);
    await eventually(() => requestLines(out.lines()).length === 2, "both request lines");
    const lines = out.lines();
    expect(lines.find((l) => l.event === "first_after_second_started")).toMatchObject({
      request_id: "req-A",
      user_id: "alice",
      seen: { request_id: "req-A", user_id: "alice" },
    });
    expect(lines.find((l) => l.event === "second_after_first_logged")).toMatchObject({
      request_id: "req-B",
      user_id: "bob",
      seen: { request_id: "req-B", user_id: "bob" },
    });
    const byId = Object.fromEntries(requestLines(lines).map((l) => [l.request_id, l.user_id]));
    expect(byId).toEqual({ "req-A": "alice", "req-B": "bob" });
  });

  it("leaves the process-wide context untouched by what requests bind", async () => {
    app = await appWith();
    app.get("/", async () => {
      bindContextVars({ user_id: 7 });
      return "ok";
    });
    await app.inject({ url: "/" });
    expect(getContextVars()).toEqual({});
  });

  it("starts from the process-wide variables, which a request's bindings never change", async () => {
    bindContextVars({ deployment: "blue" });
    app = await appWith();
    app.get("/", async () => {
      bindContextVars({ deployment: "green-for-this-request" });
      deep.info("handler");
      return "ok";
    });
    const url = await listen(app);
    await fetch(url, { headers: { "x-request-id": "r-1" } });
    await eventually(() => requestLines(out.lines()).length === 1, "the request line");
    deep.info("after");
    expect(out.lines().map((l) => [l.event, l.deployment, l.request_id])).toEqual([
      ["handler", "green-for-this-request", "r-1"],
      ["request_completed", "green-for-this-request", "r-1"],
      ["after", "blue", undefined],
    ]);
  });

  it("opens the scope before an onRequest hook added before the plugin", async () => {
    app = (await import("fastify")).default();
    app.addHook("onRequest", async (request) => {
      bindContextVars({ user_id: request.headers["x-user"] });
      deep.info("auth_hook");
    });
    await app.register((await import("../src/index.js")).structlogPlugin);
    app.get("/", async () => {
      deep.info("handler");
      return "ok";
    });
    await app.inject({ url: "/", headers: { "x-request-id": "early-1", "x-user": "alice" } });
    expect(out.lines().map((l) => [l.event, l.request_id, l.user_id])).toEqual([
      ["auth_hook", "early-1", "alice"],
      ["handler", "early-1", "alice"],
      ["request_completed", "early-1", "alice"],
    ]);
  });

  it("leaves a request's scope before the next request on the same kept-alive connection", async () => {
    const { default: Fastify } = await import("fastify");
    const { structlogPlugin } = await import("../src/index.js");
    app = Fastify({
      rewriteUrl(req) {
        // Runs before genReqId: the previous request's scope must be gone.
        deep.info("rewriting", { seen: getContextVars() });
        return req.url ?? "/";
      },
    });
    await app.register(structlogPlugin);
    app.get("/", async () => "ok");
    const url = await listen(app);
    const { Agent, get } = await import("node:http");
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    for (const id of ["ka-1", "ka-2", "ka-3"]) {
      await new Promise<void>((resolve) => get(url, { agent, headers: { "x-request-id": id } }, (res) => res.resume().on("end", resolve)));
    }
    agent.destroy();
    await eventually(() => requestLines(out.lines()).length === 3, "three request lines");
    const rewriting = out.lines().filter((l) => l.event === "rewriting");
    expect(rewriting.map((l) => [l.request_id, l.seen])).toEqual([
      [undefined, {}],
      [undefined, {}],
      [undefined, {}],
    ]);
  });
});
