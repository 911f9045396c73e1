// The example's Fastify app, built the recommended way: Fastify(withStructlog())
// makes structlog Fastify's logger, and the plugin, registered first, gives
// every request its scope and its one request_completed line.
import * as structlog from "@structlog/core";
import { structlogPlugin, withStructlog } from "@structlog/fastify";
import Fastify from "fastify";
import { chargeCard } from "./payments.js";
import { dailyReport } from "./reports.js";

const USERS = { "token-alice": { id: "u-alice" }, "token-bob": { id: "u-bob" } };

/** The app's own authentication: a bearer token looked up (after an await, as a real lookup would). */
async function authenticate(request) {
  await new Promise((resolve) => setImmediate(resolve));
  const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1];
  return token === undefined ? undefined : USERS[token];
}

/** Builds the app (not listening yet). */
export async function buildApp() {
  const app = Fastify(withStructlog());
  // First, so that every hook and route below runs in the request's scope.
  await app.register(structlogPlugin, { ignorePaths: ["/health"] });

  app.addHook("preHandler", async (request, reply) => {
    if (request.url === "/health") return;
    const user = await authenticate(request);
    if (user === undefined) {
      request.log.warning("authentication_failed");
      return reply.code(401).send({ error: "unauthorized" });
    }
    structlog.contextvars.bindContextVars({ user_id: user.id });
  });

  app.get("/health", async () => ({ ok: true }));

  app.get("/orders/:id", async (request) => {
    // request.log is the request's structlog logger, bound with request_id.
    const log = request.log.bind({ order_id: request.params.id });
    log.info("order_loaded");
    const amount = Number(request.query.amount ?? 42);
    const receipt = await chargeCard(request.params.id, amount);
    log.info("order_paid", receipt);
    return { ok: true, order_id: request.params.id };
  });

  // A route that fails: the error goes on the request line, with its stack.
  app.get("/reports/daily", async () => dailyReport());

  return app;
}
