/**
 * Attribution under load, on Fastify 5, Express 5 and Express 4: 1,000
 * concurrent requests over kept-alive sockets, random awaits, a third of
 * them anonymous, a background timer logging outside any request, and the
 * authentication placed before and after the integration. Not one line may
 * carry another request's ids.
 */
import http from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import * as structlog from "@structlog/core";
import { captureReports } from "@structlog/core/testing";
import { structlogErrorHandler, structlogMiddleware } from "@structlog/express";
import { structlogPlugin } from "@structlog/fastify";
import express5 from "express";
import express4 from "express4";
import Fastify from "fastify";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { captureLines, eventually, get, type Line, listen } from "./http-helpers.js";

const REQUESTS = 1000;
const service = structlog.getLogger("service");
const background = structlog.getLogger("background");

type Placement = "before" | "after";

/** The user of request `n`: a third of the requests are anonymous. */
const userOf = (n: number): string | undefined => (n % 3 === 0 ? undefined : `user-${n}`);

/** A few awaits of random length, as real handlers have (a database, a cache). */
async function randomAwaits(): Promise<void> {
  for (let i = Math.floor(Math.random() * 3); i >= 0; i--) {
    if (Math.random() < 0.5) await sleep(Math.floor(Math.random() * 4));
    else await Promise.resolve();
  }
}

/** Authentication: binds the caller's user, after an await, as a token check would. */
async function authenticate(header: unknown): Promise<void> {
  await randomAwaits();
  if (typeof header === "string") structlog.contextvars.bindContextVars({ user_id: header });
}

/** The handler's work, logged by a service that is handed no logger. */
async function work(n: string): Promise<void> {
  service.info("work_started", { n });
  await randomAwaits();
  service.info("work_done", { n });
}

interface App {
  readonly server: http.Server;
  close(): Promise<void>;
}

async function fastifyApp(placement: Placement): Promise<App> {
  const app = Fastify();
  const auth = async (request: { headers: http.IncomingHttpHeaders }) => authenticate(request.headers["x-user"]);
  if (placement === "before") app.addHook("onRequest", auth);
  await app.register(structlogPlugin);
  if (placement === "after") app.addHook("onRequest", auth);
  app.get("/work/:n", async (request) => {
    await work((request.params as { n: string }).n);
    return "ok";
  });
  await app.ready();
  return { server: app.server, close: () => app.close() };
}

function expressApp(express: typeof express5) {
  return async (placement: Placement): Promise<App> => {
    const app = express();
    const auth: express5.RequestHandler = (req, _res, next) => {
      authenticate(req.headers["x-user"]).then(() => next(), next);
    };
    if (placement === "before") app.use(auth);
    app.use(structlogMiddleware());
    if (placement === "after") app.use(auth);
    app.get("/work/:n", (req, res, next) => {
      work(req.params.n as string).then(() => res.send("ok"), next);
    });
    app.use(structlogErrorHandler());
    return { server: http.createServer(app), close: async () => {} };
  };
}

const FRAMEWORKS: ReadonlyArray<readonly [string, (placement: Placement) => Promise<App>]> = [
  ["Fastify 5", fastifyApp],
  ["Express 5", expressApp(express5)],
  ["Express 4", expressApp(express4 as unknown as typeof express5)],
];

/** Sends the requests, 1,000 at once over 50 kept-alive sockets, with a background timer logging throughout. */
async function load(make: (placement: Placement) => Promise<App>, placement: Placement): Promise<{ lines: Line[]; reports: string[] }> {
  const lines = captureLines();
  const app = await make(placement);
  const running = await listen(app.server);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 50 });
  const reports = await captureReports(async () => {
    const timer = setInterval(() => background.info("background_tick"), 1);
    try {
      const replies = await Promise.all(
        Array.from({ length: REQUESTS }, (_, n) => {
          const user = userOf(n);
          return get(running.port, `/work/${n}`, { "x-request-id": `req-${n}`, ...(user === undefined ? {} : { "x-user": user }) }, agent);
        }),
      );
      for (const reply of replies) expect(reply.status).toBe(200);
      await eventually(() => lines().filter((l) => l.event === "request_completed").length === REQUESTS, "every request line");
    } finally {
      clearInterval(timer);
    }
  });
  agent.destroy();
  await running.close();
  await app.close();
  return { lines: lines(), reports };
}

/** Every line's ids against the request it belongs to; background lines carry none. */
function checkAttribution(lines: Line[], userIdExpected: boolean): void {
  const wrong: Line[] = [];
  let backgroundLines = 0;
  for (const line of lines) {
    if (line.event === "background_tick") {
      backgroundLines++;
      if (line.request_id !== undefined || line.user_id !== undefined) wrong.push(line);
      continue;
    }
    const n = Number(String(line.request_id).replace(/^req-/, ""));
    if (!Number.isInteger(n)) {
      wrong.push(line);
      continue;
    }
    if (line.n !== undefined && line.n !== String(n)) wrong.push(line);
    const expected = userIdExpected ? userOf(n) : undefined;
    if (line.user_id !== expected) wrong.push(line);
  }
  expect(wrong.slice(0, 5), `${wrong.length} lines carry another request's ids (or none)`).toEqual([]);
  expect(backgroundLines).toBeGreaterThan(0);
  expect(lines.filter((l) => l.event === "work_done")).toHaveLength(REQUESTS);
}

describe.each(FRAMEWORKS)("attribution on %s", (name, make) => {
  beforeEach(() => structlog.resetDefaults());
  afterEach(() => structlog.resetDefaults());

  it("gives every line its own request's ids with authentication after the integration", async () => {
    const { lines, reports } = await load(make, "after");
    expect(reports).toEqual([]);
    checkAttribution(lines, true);
  });

  if (name === "Fastify 5") {
    it("gives every line its own request's ids with an auth hook added before the plugin", async () => {
      const { lines, reports } = await load(make, "before");
      expect(reports).toEqual([]);
      checkAttribution(lines, true);
    });
  } else {
    it("keeps a user bound by middleware mounted before structlogMiddleware() off every line, and says so once", async () => {
      const { lines, reports } = await load(make, "before");
      expect(reports).toEqual([expect.stringMatching(/bindContextVars\(\) outside every scope .*mount structlogMiddleware\(\) before/)]);
      checkAttribution(lines, false);
    });
  }
});
