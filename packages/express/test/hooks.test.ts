import http from "node:http";
import * as structlog from "@structlog/core";
import type { NextFunction, Request, Response } from "express";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { structlogMiddleware } from "../src/index.js";
import { captureLines, EXPRESS_MAJORS, type Line, listen, type Running, requestLine, send } from "./helpers.js";

const deep = structlog.getLogger("deep");

/** Reads the request stream itself, as raw-body before 2.5 and busboy do. */
function legacyParser(req: Request, _res: Response, next: NextFunction): void {
  let body = "";
  req.on("data", (chunk: Buffer) => {
    body += chunk;
  });
  req.on("end", () => {
    deep.info("legacy_body_read", { length: body.length });
    next();
  });
}

describe.each(EXPRESS_MAJORS)("the request and response hooks on %s", (_major, express) => {
  let lines: () => Line[];
  let running: Running | undefined;

  beforeEach(() => {
    lines = captureLines().lines;
  });
  afterEach(async () => {
    await running?.close();
    running = undefined;
    structlog.resetDefaults();
  });

  it("work on a router served by plain http, without an app", async () => {
    const router = express.Router();
    router.use(structlogMiddleware());
    router.post("/items/:id", legacyParser, (_req, res) => {
      res.end("stored");
    });
    running = await listen((req, res) => router(req as Request, res as Response, () => res.writeHead(404).end()));
    await send(running.port, "/items/1", { body: ["first,", "second"], headers: { "x-request-id": "pr-1" } });
    const line = await requestLine(lines, "pr-1");
    expect(line).toMatchObject({ route: "/items/:id", response_size: 6, status_code: 200 });
    expect(lines().find((l) => l.event === "legacy_body_read")?.request_id).toBe("pr-1");
  });

  it("leave requests the middleware did not see alone", async () => {
    let routePath: unknown;
    const app = express();
    app.use("/api", structlogMiddleware());
    app.get("/other/:id", (req, res) => {
      routePath = req.route?.path;
      res.write("a");
      res.end("b");
    });
    running = await listen(app);
    const reply = await send(running.port, "/other/1");
    expect(reply).toMatchObject({ status: 200, body: "ab" });
    expect(routePath).toBe("/other/:id");
    expect(lines()).toEqual([]);
  });

  it("keep req.route readable and settable by the app", async () => {
    let seen: unknown;
    const app = express();
    app.use(structlogMiddleware());
    app.get("/orders/:id", (req, res) => {
      seen = req.route?.path;
      res.send("ok");
    });
    running = await listen(app);
    await send(running.port, "/orders/1", { headers: { "x-request-id": "rr-1" } });
    expect(seen).toBe("/orders/:id");
    expect((await requestLine(lines, "rr-1")).route).toBe("/orders/:id");
  });

  it("count what a later middleware that replaces res.write and res.end passes on", async () => {
    const app = express();
    app.use(structlogMiddleware());
    app.use((_req: Request, res: Response, next: NextFunction) => {
      // What compression() does: wrap the methods per response, pass on other bytes.
      const write = res.write as (chunk: string) => boolean;
      const end = res.end as (chunk?: string) => Response;
      res.write = ((chunk: string) => write.call(res, chunk.toUpperCase().repeat(2))) as Response["write"];
      res.end = ((chunk?: string) => end.call(res, chunk === undefined ? undefined : chunk.toUpperCase().repeat(2))) as Response["end"];
      next();
    });
    app.get("/", (_req, res) => {
      res.write("abc");
      res.end("de");
    });
    running = await listen(app);
    const reply = await send(running.port, "/", { headers: { "x-request-id": "cw-1" } });
    expect(reply.body).toBe("ABCABCDEDE");
    expect((await requestLine(lines, "cw-1")).response_size).toBe(10);
  });

  it("cover a sub-app that mounts the middleware before its parent does", async () => {
    const app = express();
    const admin = express();
    admin.use(structlogMiddleware());
    admin.post("/import", legacyParser, (_req, res) => res.send("imported"));
    app.use("/admin", admin);
    app.use(structlogMiddleware());
    app.get("/other", (_req, res) => res.send("other"));
    running = await listen(app);
    await send(running.port, "/admin/import", { body: ["a,", "b"], headers: { "x-request-id": "sa-2" } });
    await send(running.port, "/other", { headers: { "x-request-id": "sa-3" } });
    await send(running.port, "/admin/import", { body: ["a,", "b"], headers: { "x-request-id": "sa-4" } });
    expect(await requestLine(lines, "sa-2")).toMatchObject({ response_size: 8 });
    expect(await requestLine(lines, "sa-3")).toMatchObject({ response_size: 5 });
    expect(await requestLine(lines, "sa-4")).toMatchObject({ route: "/admin/import", response_size: 8 });
  });

  it("cover a sub-app that mounts the middleware too", async () => {
    const app = express();
    app.use(structlogMiddleware());
    const admin = express();
    admin.use(structlogMiddleware());
    admin.post("/import", legacyParser, (_req, res) => res.send("imported"));
    app.use("/admin", admin);
    running = await listen(app);
    await send(running.port, "/admin/import", { body: ["a,", "b"], headers: { "x-request-id": "sa-1" } });
    expect(await requestLine(lines, "sa-1")).toMatchObject({ route: "/admin/import", response_size: 8 });
    expect(lines().find((l) => l.event === "legacy_body_read")?.request_id).toBe("sa-1");
  });

  it("cover a sub-app that does not mount the middleware", async () => {
    const app = express();
    app.use(structlogMiddleware());
    const admin = express();
    admin.post("/users/:id", legacyParser, (_req, res) => res.send("user"));
    app.use("/admin", admin);
    running = await listen(app);
    await send(running.port, "/admin/users/7", { body: ["x", "y"], headers: { "x-request-id": "sb-1" } });
    expect(await requestLine(lines, "sb-1")).toMatchObject({ route: "/admin/users/:id", response_size: 4 });
    expect(lines().find((l) => l.event === "legacy_body_read")?.request_id).toBe("sb-1");
  });

  it("keep req.log and the request line in a sub-app mounted on a router", async () => {
    const app = express();
    app.use(structlogMiddleware());
    const reports = express();
    reports.get("/daily", (req, res) => {
      req.log.info("report_built");
      res.send("report");
    });
    const router = express.Router();
    router.use("/reports", reports);
    app.use("/v2", router);
    running = await listen(app);
    await send(running.port, "/v2/reports/daily", { headers: { "x-request-id": "sr-1" } });
    expect(await requestLine(lines, "sr-1")).toMatchObject({ status_code: 200, response_size: 6 });
    expect(lines().find((l) => l.event === "report_built")?.request_id).toBe("sr-1");
  });

  it("cover two apps served in turn, each with its own prototypes", async () => {
    const make = (name: string) => {
      const app = express();
      app.use(structlogMiddleware());
      app.post("/items/:id", legacyParser, (_req, res) => res.send(name));
      return app;
    };
    const first = await listen(make("first"));
    running = await listen(make("second"));
    try {
      for (const [port, id] of [
        [first.port, "ta-1"],
        [running.port, "tb-1"],
        [first.port, "ta-2"],
      ] as const) {
        await send(port, "/items/7", { body: ["a,", "b"], headers: { "x-request-id": id } });
        expect(await requestLine(lines, id)).toMatchObject({ route: "/items/:id" });
        // The body's events come from the socket's context: only the request hook puts them in the request's scope.
        expect(lines().filter((l) => l.event === "legacy_body_read" && l.request_id === id)).toHaveLength(1);
      }
    } finally {
      await first.close();
    }
  });

  it("do not change http.IncomingMessage or http.ServerResponse", async () => {
    const app = express();
    app.use(structlogMiddleware());
    app.get("/", (_req, res) => res.send("ok"));
    running = await listen(app);
    await send(running.port, "/", { headers: { "x-request-id": "gl-1" } });
    await requestLine(lines, "gl-1");
    expect(Object.hasOwn(http.IncomingMessage.prototype, "route")).toBe(false);
    expect(http.ServerResponse.prototype.end).toBe(http.OutgoingMessage.prototype.end);
    expect(Object.hasOwn(Object.getPrototypeOf(app.request), "emit")).toBe(false);
  });
});
