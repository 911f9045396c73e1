import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import * as structlog from "@structlog/core";
import type { NextFunction, Request, Response } from "express";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { structlogErrorHandler, structlogMiddleware } from "../src/index.js";
import { captureLines, EXPRESS_MAJORS, type Line, listen, type Running, requestLine, send, waitFor } from "./helpers.js";

/** A module-level logger, as deep application code has: no request bound to it. */
const deep = structlog.getLogger("deep");

const staticDir = mkdtempSync(join(tmpdir(), "structlog-express-static-"));
writeFileSync(join(staticDir, "hello.txt"), "hello from disk\n");
afterAll(() => rmSync(staticDir, { recursive: true, force: true }));

/** The app's own authentication: binds user_id from a header, after an await. */
async function auth(req: Request, _res: Response, next: NextFunction): Promise<void> {
  await sleep(1);
  structlog.contextvars.bindContextVars({ user_id: req.headers["x-user"] });
  next();
}

describe.each(EXPRESS_MAJORS)("the request scope on %s", (major, express) => {
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

  async function serve(setup: (app: ReturnType<typeof express>) => void) {
    const app = express();
    app.use(structlogMiddleware());
    app.use(auth);
    setup(app);
    app.use(structlogErrorHandler({ respond: true }));
    running = await listen(app);
    return running.port;
  }

  /** Sends a request as user `u-<id>` and returns every line of it, once the request line is written. */
  async function linesOf(port: number, path: string, id: string, options: Parameters<typeof send>[2] = {}) {
    const reply = await send(port, path, { ...options, headers: { "x-request-id": id, "x-user": `u-${id}`, ...options.headers } });
    await requestLine(lines, id);
    return { reply, mine: lines().filter((l) => l.request_id === id) };
  }

  function expectLine(mine: Line[], event: string, id: string): Line {
    const line = mine.find((l) => l.event === event);
    expect(line, `a ${event} line`).toBeDefined();
    expect(line).toMatchObject({ request_id: id, user_id: `u-${id}` });
    return line as Line;
  }

  for (const [parser, type, body] of [
    ["express.json()", "application/json", ['{"order":', '"ORD-1"}']],
    ["express.urlencoded()", "application/x-www-form-urlencoded", ["order=", "ORD-1"]],
    ["express.raw()", "application/octet-stream", ["ORD", "-1"]],
  ] as const) {
    it(`survives ${parser} with a body that arrives in pieces`, async () => {
      const port = await serve((app) => {
        app.use(
          parser === "express.json()"
            ? express.json()
            : parser === "express.urlencoded()"
              ? express.urlencoded({ extended: false })
              : express.raw(),
        );
        app.post("/orders", (req, res) => {
          deep.info("body_parsed", { body: Buffer.isBuffer(req.body) ? req.body.toString() : req.body });
          res.send("ok");
        });
      });
      const { mine } = await linesOf(port, "/orders", "bp-1", { body: [...body], headers: { "content-type": type } });
      const line = expectLine(mine, "body_parsed", "bp-1");
      expect(JSON.stringify(line.body)).toContain("ORD");
      expectLine(mine, "request_completed", "bp-1");
    });
  }

  it("survives a parser that reads the request stream itself (raw-body < 2.5, busboy)", async () => {
    const port = await serve((app) => {
      app.post(
        "/upload",
        (req, _res, next) => {
          let size = 0;
          req.on("data", (chunk: Buffer) => {
            size += chunk.length;
            deep.info("chunk_received", { size: chunk.length });
          });
          req.on("end", () => {
            (req as Request & { size?: number }).size = size;
            next();
          });
        },
        (req, res) => {
          deep.info("upload_done", { size: (req as Request & { size?: number }).size });
          res.send("ok");
        },
      );
    });
    const { mine } = await linesOf(port, "/upload", "up-1", { body: ["part one,", "part two"] });
    expectLine(mine, "upload_done", "up-1");
    expect(mine.filter((l) => l.event === "chunk_received").length).toBeGreaterThanOrEqual(2);
  });

  it("survives express.static falling through to the router", async () => {
    const port = await serve((app) => {
      app.use(express.static(staticDir));
      app.get("/not-a-file", (_req, res) => {
        deep.info("after_static");
        res.send("ok");
      });
    });
    const { mine } = await linesOf(port, "/not-a-file", "st-1");
    expectLine(mine, "after_static", "st-1");
  });

  it("covers a file served by express.static, with its size", async () => {
    const port = await serve((app) => app.use(express.static(staticDir)));
    const { reply, mine } = await linesOf(port, "/hello.txt", "st-2");
    expect(reply.body).toBe("hello from disk\n");
    expect(expectLine(mine, "request_completed", "st-2")).toMatchObject({ status_code: 200, response_size: 16 });
  });

  it("survives nested routers and route parameters", async () => {
    const port = await serve((app) => {
      const inner = express.Router({ mergeParams: true });
      inner.use((_req, _res, next) => {
        deep.info("inner_middleware");
        next();
      });
      inner.get("/items/:item", (req, res) => {
        deep.info("item_loaded", { item: req.params.item });
        res.send("ok");
      });
      const outer = express.Router();
      outer.use("/shops/:shop", inner);
      app.use("/api", outer);
    });
    const { mine } = await linesOf(port, "/api/shops/s1/items/i9", "rt-1");
    expectLine(mine, "inner_middleware", "rt-1");
    expectLine(mine, "item_loaded", "rt-1");
    expect(expectLine(mine, "request_completed", "rt-1").route).toBe("/api/shops/s1/items/:item");
  });

  it("survives awaits and setTimeout in an async handler", async () => {
    const port = await serve((app) =>
      app.get("/slow", async (_req, res) => {
        await sleep(5);
        deep.info("after_await");
        setTimeout(() => {
          deep.info("in_timer");
          res.send("ok");
        }, 5);
      }),
    );
    const { mine } = await linesOf(port, "/slow", "as-1");
    expectLine(mine, "after_await", "as-1");
    expectLine(mine, "in_timer", "as-1");
  });

  it("reaches error-handling middleware with the request's context", async () => {
    const port = await serve((app) => {
      app.get("/fail", async (_req, _res, next) => {
        await sleep(2);
        next(new Error("db down"));
      });
      app.use((err: Error, _req: Request, _res: Response, next: NextFunction) => {
        deep.warning("custom_error_middleware", { message: err.message });
        next(err);
      });
    });
    const { mine } = await linesOf(port, "/fail", "em-1");
    expectLine(mine, "custom_error_middleware", "em-1");
    expect(expectLine(mine, "request_completed", "em-1").err).toMatchObject({ message: "db down" });
  });

  it.runIf(major === "Express 5")("survives a rejected promise of an async handler", async () => {
    const port = await serve((app) =>
      app.get("/reject", async () => {
        await sleep(2);
        throw new Error("rejected");
      }),
    );
    const { reply, mine } = await linesOf(port, "/reject", "rj-1");
    expect(reply.status).toBe(500);
    expect(expectLine(mine, "request_completed", "rj-1")).toMatchObject({
      status_code: 500,
      level: "error",
      err: { type: "Error", message: "rejected" },
    });
  });

  it("survives a streamed response and its finish and close listeners", async () => {
    const port = await serve((app) =>
      app.get("/stream", (_req, res) => {
        res.on("finish", () => deep.info("finish_listener"));
        res.on("close", () => deep.info("close_listener"));
        async function* rows() {
          for (let i = 0; i < 3; i++) {
            await sleep(2);
            deep.info("row_streamed", { i });
            yield `row ${i}\n`;
          }
        }
        Readable.from(rows()).pipe(res);
      }),
    );
    const { reply, mine } = await linesOf(port, "/stream", "sm-1");
    expect(reply.body).toBe("row 0\nrow 1\nrow 2\n");
    expect(reply.headers["transfer-encoding"]).toBe("chunked");
    expect(mine.filter((l) => l.event === "row_streamed")).toHaveLength(3);
    expectLine(mine, "finish_listener", "sm-1");
    expect(expectLine(mine, "request_completed", "sm-1")).toMatchObject({ response_size: Buffer.byteLength(reply.body) });
    const close = await waitFor(() => lines().find((l) => l.event === "close_listener"), "the close listener's line");
    expect(close).toMatchObject({ request_id: "sm-1", user_id: "u-sm-1" });
  });

  it("has user_id on the request line when the app bound it", async () => {
    const port = await serve((app) => app.get("/", (_req, res) => res.send("ok")));
    const { mine } = await linesOf(port, "/", "ui-1");
    expectLine(mine, "request_completed", "ui-1");
  });
});
