import http from "node:http";
import { Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import * as structlog from "@structlog/core";
import type { NextFunction, Request, Response } from "express";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { structlogErrorHandler, structlogMiddleware } from "../src/index.js";
import { captureLines, EXPRESS_MAJORS, type Line, listen, type Running, send, waitFor } from "./helpers.js";

const REQUESTS = 1000;
const deep = structlog.getLogger("deep");

/** A random await of 0 to 3 ms, so requests interleave differently at every step. */
const jitter = () => sleep(Math.floor(Math.random() * 4));

/** Deep application code: no logger passed in, no request in sight. */
async function loadOrder(id: string): Promise<{ id: string }> {
  await jitter();
  deep.debug("order_query", { order_id: id });
  await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
  deep.info("order_loaded", { order_id: id });
  return { id };
}

describe.each(EXPRESS_MAJORS)("1,000 concurrent requests on %s", (_major, express) => {
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

  it("give every line the ids of its own request", async () => {
    const app = express();
    app.use(structlogMiddleware({ logRequestStarted: true }));
    app.use(async (req: Request, _res: Response, next: NextFunction) => {
      await jitter();
      structlog.contextvars.bindContextVars({ user_id: req.headers["x-user"] });
      next();
    });
    app.use(express.json());
    app.get("/orders/:id", async (req, res, next) => {
      try {
        req.log.info("handler_started", { claimed: req.headers["x-request-id"] });
        const order = await loadOrder(req.params.id);
        res.json(order);
      } catch (e) {
        next(e);
      }
    });
    app.post("/orders", async (req, res) => {
      await jitter();
      deep.info("order_created", { claimed: req.headers["x-request-id"], body_id: req.body.id });
      res.status(201).json({ ok: true });
    });
    app.get("/stream/:id", (req, res) => {
      async function* parts() {
        for (let i = 0; i < 3; i++) {
          await jitter();
          deep.info("part_sent", { claimed: req.headers["x-request-id"] });
          yield `${i}`;
        }
      }
      Readable.from(parts()).pipe(res);
    });
    app.get("/fail/:id", async (_req, _res, next) => {
      await jitter();
      next(new Error("order service down"));
    });
    app.use((err: Error, req: Request, _res: Response, next: NextFunction) => {
      deep.warning("user_error_middleware", { claimed: req.headers["x-request-id"] });
      next(err);
    });
    app.use(structlogErrorHandler({ respond: true }));
    running = await listen(app);

    const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    const kinds = ["get", "post", "stream", "fail"] as const;
    const replies = await Promise.all(
      Array.from({ length: REQUESTS }, async (_, i) => {
        const id = `req-${i}`;
        const headers = { "x-request-id": id, "x-user": `user-${i}` };
        const kind = kinds[i % kinds.length];
        await jitter();
        if (kind === "post") {
          return send(running!.port, "/orders", {
            agent,
            headers: { ...headers, "content-type": "application/json" },
            body: JSON.stringify({ id: i }),
          });
        }
        const path = kind === "get" ? `/orders/${i}` : kind === "stream" ? `/stream/${i}` : `/fail/${i}`;
        return send(running!.port, path, { agent, headers });
      }),
    );
    agent.destroy();

    for (const [i, reply] of replies.entries()) expect(reply.headers["x-request-id"]).toBe(`req-${i}`);
    await waitFor(
      () => (lines().filter((l) => l.event === "request_completed").length === REQUESTS ? true : undefined),
      "every request line",
    );

    const all = lines();
    // Written before auth ran: a user_id here would be another request's, leaked over a kept-alive socket.
    const started = all.filter((l) => l.event === "request_started");
    expect(started).toHaveLength(REQUESTS);
    for (const line of started) expect(line).not.toHaveProperty("user_id");
    for (const line of all.filter((l) => l.event !== "request_started")) {
      const n = String(line.request_id).replace(/^req-/, "");
      expect(line.user_id, JSON.stringify(line)).toBe(`user-${n}`);
      if (line.claimed !== undefined) expect(line.claimed).toBe(line.request_id);
      if (line.order_id !== undefined) expect(line.order_id).toBe(n);
      if (line.body_id !== undefined) expect(line.body_id).toBe(Number(n));
    }
    const count = (event: string) => all.filter((l) => l.event === event).length;
    expect(count("request_completed")).toBe(REQUESTS);
    expect(new Set(all.filter((l) => l.event === "request_completed").map((l) => l.request_id)).size).toBe(REQUESTS);
    expect(count("order_loaded")).toBe(REQUESTS / 4);
    expect(count("order_created")).toBe(REQUESTS / 4);
    expect(count("part_sent")).toBe((REQUESTS / 4) * 3);
    expect(count("user_error_middleware")).toBe(REQUESTS / 4);
    expect(all.filter((l) => l.event === "request_completed" && l.err !== undefined)).toHaveLength(REQUESTS / 4);
  });
});
