import { Agent, get } from "node:http";
import * as structlog from "@structlog/core";
import type { FastifyInstance } from "fastify";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { appWith, captureOutput, eventually, type Line, requestLines } from "./helpers.js";

const N = 1000;
const deep = structlog.getLogger("deep");

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

/** A pause of 0 to `max` ms, of a random kind: a timer, an immediate, or a few promise turns. */
function randomPause(max = 10): Promise<void> {
  const kind = Math.floor(Math.random() * 3);
  if (kind === 0) return new Promise((r) => setTimeout(r, Math.random() * max));
  if (kind === 1) return new Promise((r) => setImmediate(r));
  return Promise.resolve().then(() => undefined);
}

/** Code far from the request: no logger is passed, yet its lines must carry the request's id and user. */
async function chargeCard(amount: number): Promise<void> {
  await randomPause();
  deep.info("card_charged", { amount });
}

/** Every request waits here until all N are in their handler, so they are truly concurrent. */
function gate(count: number): { arrive: () => Promise<void> } {
  let arrived = 0;
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return {
    arrive() {
      arrived++;
      if (arrived === count) open();
      return opened;
    },
  };
}

function httpGet(base: string, path: string, headers: Record<string, string>, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    get(`${base}${path}`, { headers, agent }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    }).on("error", reject);
  });
}

describe("1,000 concurrent requests", () => {
  it("each line, from handlers, deep helpers, timers and the request line, carries its own request's id and user", async () => {
    app = await appWith();
    const allIn = gate(N);
    app.addHook("preHandler", async (request) => {
      await randomPause();
      // The app's authentication: the user is known only now.
      structlog.contextvars.bindContextVars({ user_id: request.headers["x-user"] });
    });
    app.get("/orders/:id", async (request) => {
      request.log.info("handler_started");
      await randomPause();
      await chargeCard(Number((request.params as { id: string }).id));
      await new Promise<void>((resolve) =>
        setTimeout(() => {
          deep.info("timer_fired");
          resolve();
        }, Math.random() * 10),
      );
      await allIn.arrive();
      await randomPause();
      request.logger.info("handler_finished");
      return { ok: true };
    });
    await app.listen({ port: 0, host: "127.0.0.1", backlog: 2048 });
    const { port } = app.server.address() as { port: number };
    const agent = new Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });
    try {
      const statuses = await Promise.all(
        Array.from({ length: N }, (_, i) =>
          httpGet(`http://127.0.0.1:${port}`, `/orders/${i}`, { "x-request-id": `req-${i}`, "x-user": `user-${i}` }, agent),
        ),
      );
      expect(statuses.every((s) => s === 200)).toBe(true);
    } finally {
      agent.destroy();
    }
    await eventually(() => requestLines(out.lines()).length === N, "every request line");

    const byRequest = new Map<string, Line[]>();
    for (const line of out.lines()) {
      const id = String(line.request_id);
      expect(id).toMatch(/^req-\d+$/);
      expect(line.user_id).toBe(`user-${id.slice(4)}`);
      byRequest.set(id, [...(byRequest.get(id) ?? []), line]);
    }
    expect(byRequest.size).toBe(N);
    for (const [id, lines] of byRequest) {
      expect(lines.map((l) => l.event).sort(), id).toEqual([
        "card_charged",
        "handler_finished",
        "handler_started",
        "request_completed",
        "timer_fired",
      ]);
      expect(lines.find((l) => l.event === "card_charged")?.amount).toBe(Number(id.slice(4)));
    }
  });

  it("keeps injected requests apart too", async () => {
    app = await appWith();
    app.get("/", async (request) => {
      structlog.contextvars.bindContextVars({ user_id: request.headers["x-user"] });
      await randomPause();
      await chargeCard(1);
      return "ok";
    });
    await Promise.all(
      Array.from({ length: N }, (_, i) => app?.inject({ url: "/", headers: { "x-request-id": `r-${i}`, "x-user": `u-${i}` } })),
    );
    const lines = out.lines();
    expect(lines).toHaveLength(2 * N);
    expect(lines.every((l) => String(l.user_id).slice(2) === String(l.request_id).slice(2))).toBe(true);
  });
});
