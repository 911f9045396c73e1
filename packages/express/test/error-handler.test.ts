import { setTimeout as sleep } from "node:timers/promises";
import * as structlog from "@structlog/core";
import { CapturingLogger, captureReports } from "@structlog/core/testing";
import type { NextFunction, Request, Response } from "express";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type StructlogErrorHandlerOptions, structlogErrorHandler, structlogMiddleware } from "../src/index.js";
import { captureLines, EXPRESS_MAJORS, type Line, listen, type Running, requestLine, send, waitFor } from "./helpers.js";

/** A failure the way Express 4 and 5 both see it: passed to next() from async code. */
function failing(error: unknown) {
  return async (_req: Request, _res: Response, next: NextFunction) => {
    await sleep(1);
    next(error);
  };
}

describe.each(EXPRESS_MAJORS)("structlogErrorHandler() on %s", (_major, express) => {
  let lines: () => Line[];
  let running: Running | undefined;

  beforeEach(() => {
    lines = captureLines().lines;
    // Express's default handler prints the stack to stderr unless env is "test".
    vi.spyOn(console, "error").mockImplementation(() => {});
  });
  afterEach(async () => {
    await running?.close();
    running = undefined;
    structlog.resetDefaults();
    vi.restoreAllMocks();
  });

  async function serve(
    options: StructlogErrorHandlerOptions | undefined,
    setup: (app: ReturnType<typeof express>) => void,
    env = "development",
    withMiddleware = true,
  ) {
    const app = express();
    app.set("env", env);
    if (withMiddleware) app.use(structlogMiddleware());
    app.use((req, _res, next) => {
      structlog.contextvars.bindContextVars({ user_id: req.headers["x-user"] });
      next();
    });
    setup(app);
    app.use(structlogErrorHandler(options));
    running = await listen(app);
    return running.port;
  }

  const headers = (id: string) => ({ "x-request-id": id, "x-user": `u-${id}` });

  it("puts the error on the request's one line, with its ids, in pino's err shape, at error", async () => {
    const port = await serve({}, (app) => app.get("/fail", failing(Object.assign(new Error("db down"), { code: "ECONNREFUSED" }))));
    await send(port, "/fail", { headers: headers("e-1") });
    const line = await requestLine(lines, "e-1");
    expect(
      lines()
        .filter((l) => l.request_id === "e-1")
        .map((l) => l.event),
    ).toEqual(["request_completed"]);
    expect(line).toMatchObject({ request_id: "e-1", user_id: "u-e-1", level: "error", status_code: 500, logger: "http" });
    expect(line.err).toMatchObject({ type: "Error", message: "db down", code: "ECONNREFUSED" });
    expect((line.err as { stack: string }).stack).toContain("Error: db down");
  });

  it("puts a client error (a malformed JSON body) on a warning request line with its status", async () => {
    const port = await serve({}, (app) => {
      app.use(express.json());
      app.post("/orders", (_req, res) => res.send("ok"));
    });
    const reply = await send(port, "/orders", { body: "{not json", headers: { ...headers("e-2"), "content-type": "application/json" } });
    expect(reply.status).toBe(400);
    const line = await requestLine(lines, "e-2");
    expect(line).toMatchObject({ level: "warning", status_code: 400, request_id: "e-2", err: { type: "SyntaxError" } });
  });

  it("hands the error on to Express's default handler", async () => {
    const port = await serve({}, (app) => app.get("/fail", failing(Object.assign(new Error("gone"), { status: 410 }))));
    const reply = await send(port, "/fail", { headers: headers("e-3") });
    expect(reply.status).toBe(410);
    expect(reply.headers["content-type"]).toContain("text/html");
  });

  it("hands on errors that a later error handler answers", async () => {
    const app = express();
    app.use(structlogMiddleware());
    app.get("/fail", failing(new Error("boom")));
    app.use(structlogErrorHandler());
    app.use((_err: unknown, _req: Request, res: Response, _next: NextFunction) => {
      res.status(502).send("custom");
    });
    running = await listen(app);
    const reply = await send(running.port, "/fail", { headers: headers("e-4") });
    expect(reply).toMatchObject({ status: 502, body: "custom" });
    const line = await requestLine(lines, "e-4");
    expect(line).toMatchObject({ status_code: 502, err: { message: "boom" } });
    expect(lines().filter((l) => l.request_id === "e-4")).toHaveLength(1);
  });

  it("leaks no stack trace to the client in production", async () => {
    const port = await serve({}, (app) => app.get("/fail", failing(new Error("secret internals"))), "production");
    const reply = await send(port, "/fail", { headers: headers("e-5") });
    expect(reply.status).toBe(500);
    expect(reply.body).not.toContain("secret internals");
    expect(reply.body).not.toMatch(/\bat .*\.(ts|js)/);
  });

  describe("with respond: true", () => {
    it("answers with JSON: status text and request id, no stack trace, in development too", async () => {
      const port = await serve({ respond: true }, (app) => app.get("/fail", failing(new Error("secret internals"))));
      const reply = await send(port, "/fail", { headers: headers("e-6") });
      expect(reply.status).toBe(500);
      expect(reply.headers["content-type"]).toBe("application/json; charset=utf-8");
      expect(JSON.parse(reply.body)).toEqual({ error: "Internal Server Error", request_id: "e-6" });
    });

    it("shows the message of an error marked expose (http-errors' 4xx)", async () => {
      const port = await serve({ respond: true }, (app) => {
        app.use(express.json());
        app.post("/orders", (_req, res) => res.send("ok"));
      });
      const reply = await send(port, "/orders", { body: "{oops", headers: { ...headers("e-7"), "content-type": "application/json" } });
      expect(reply.status).toBe(400);
      const body = JSON.parse(reply.body);
      expect(body).toMatchObject({ error: "Bad Request", request_id: "e-7" });
      expect(typeof body.message).toBe("string");
    });

    it("uses the error's status and headers", async () => {
      const error = Object.assign(new Error("use GET"), { status: 405, headers: { allow: "GET" } });
      const port = await serve({ respond: true }, (app) => app.post("/only-get", failing(error)));
      const reply = await send(port, "/only-get", { method: "POST", headers: headers("e-8") });
      expect(reply.status).toBe(405);
      expect(reply.headers.allow).toBe("GET");
      expect(JSON.parse(reply.body)).toEqual({ error: "Method Not Allowed", request_id: "e-8" });
    });

    it("sends no body to a HEAD request", async () => {
      const port = await serve({ respond: true }, (app) => app.head("/fail", failing(new Error("x"))));
      const reply = await send(port, "/fail", { method: "HEAD", headers: headers("e-9") });
      expect(reply).toMatchObject({ status: 500, body: "" });
    });

    it("passes the error on when headers are already sent", async () => {
      const port = await serve({ respond: true }, (app) =>
        app.get("/half", (_req, res, next) => {
          res.write("partial");
          setTimeout(() => next(new Error("mid-stream")), 5);
        }),
      );
      await send(port, "/half", { headers: headers("e-10") }).catch(() => undefined);
      const line = await requestLine(lines, "e-10");
      expect(line).toMatchObject({ aborted: true, level: "error", err: { message: "mid-stream" } });
    });
  });

  it("writes one line when two structlogErrorHandlers see the error", async () => {
    const port = await serve({ respond: true }, (app) => {
      const sub = express();
      sub.get("/fail", failing(new Error("inner")));
      sub.use(structlogErrorHandler());
      app.use("/sub", sub);
    });
    await send(port, "/sub/fail", { headers: headers("e-11") });
    const line = await requestLine(lines, "e-11");
    expect(line.err).toMatchObject({ message: "inner" });
    expect(lines().filter((l) => l.request_id === "e-11")).toHaveLength(1);
  });

  it("puts a thrown value that is not an Error on the request line", async () => {
    const port = await serve({ respond: true }, (app) => app.get("/fail", failing("plain string failure")));
    const reply = await send(port, "/fail", { headers: headers("e-12") });
    expect(reply.status).toBe(500);
    expect((await requestLine(lines, "e-12")).err).toBe("plain string failure");
  });

  it("has user_id from the middleware's getUserId on the failed request's line", async () => {
    const app = express();
    app.use(structlogMiddleware({ getUserId: (req) => req.headers["x-account"] }));
    app.get("/fail", failing(new Error("x")));
    app.use(structlogErrorHandler({ respond: true }));
    running = await listen(app);
    await send(running.port, "/fail", { headers: { "x-request-id": "e-13", "x-account": "acct-1" } });
    expect(await requestLine(lines, "e-13")).toMatchObject({ user_id: "acct-1", err: { message: "x" } });
  });

  it("logs through its logger option when the middleware did not run", async () => {
    const out = new CapturingLogger();
    const logger = structlog.wrapLogger(out, { processors: [structlog.processors.jsonRenderer()] });
    const port = await serve(
      { respond: true, logger, event: "unhandled_error" },
      (app) => app.get("/fail", failing(new Error("x"))),
      "development",
      false,
    );
    // This app has no structlogMiddleware(), but another app of the process does: its bind outside every scope is refused.
    express().use(structlogMiddleware());
    let reply = { body: "" };
    const reports = await captureReports(async () => {
      reply = await send(port, "/fail");
    });
    expect(reports).toEqual([expect.stringMatching(/^structlog: note: bindContextVars\(\) outside every scope/)]);
    expect(JSON.parse(reply.body)).toEqual({ error: "Internal Server Error" });
    const line = await waitFor(() => out.calls[0], "the error line");
    expect(JSON.parse(line.rendered as string)).toMatchObject({ event: "unhandled_error", err: { message: "x" } });
  });
});

describe("structlogErrorHandler() options", () => {
  it("returns Express error middleware (four parameters)", () => {
    expect(structlogErrorHandler()).toHaveLength(4);
  });

  it("never changes the caller's options object", () => {
    const options = Object.freeze({ respond: true, event: "failed" });
    expect(() => structlogErrorHandler(options)).not.toThrow();
    expect(options).toEqual({ respond: true, event: "failed" });
  });

  it("rejects an unknown option", () => {
    expect(() => structlogErrorHandler({ respnd: true } as StructlogErrorHandlerOptions)).toThrow(/unknown option "respnd"/);
  });

  it("rejects a respond that is not a boolean", () => {
    expect(() => structlogErrorHandler({ respond: "yes" } as unknown as StructlogErrorHandlerOptions)).toThrow(
      /respond must be true or false/,
    );
  });

  it("rejects an empty event", () => {
    expect(() => structlogErrorHandler({ event: "" })).toThrow(/event must be a non-empty string/);
  });
});
