// A Fastify app with @structlog/fastify: every line of a request carries
// request_id, and user_id from the moment the auth hook knows it.
//
//   node server.js            (PORT=3000 by default; PORT=0 picks a free one)
//   curl -H 'authorization: Bearer token-alice' localhost:3000/orders/7
import * as structlog from "@structlog/core";
import { structlogPlugin } from "@structlog/fastify";
import Fastify from "fastify";
import { chargeCard } from "./payments.js";

structlog.configure({
  processors: [
    structlog.contextvars.mergeContextVars,
    structlog.processors.addLogLevel,
    structlog.processors.addLoggerName,
    structlog.processors.timeStamper({ fmt: "iso" }),
    structlog.processors.formatExcInfo,
    structlog.processors.jsonRenderer(),
  ],
});

const USERS = { "token-alice": { id: "u-alice" }, "token-bob": { id: "u-bob" } };

/** The app's own authentication: a bearer token looked up (after an await, as a real lookup would). */
async function authenticate(request) {
  await new Promise((resolve) => setImmediate(resolve));
  const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1];
  return token === undefined ? undefined : USERS[token];
}

const app = Fastify();
// First, so that every hook and route below runs in the request's scope.
await app.register(structlogPlugin, { ignorePaths: ["/health"] });

app.addHook("preHandler", async (request, reply) => {
  if (request.url === "/health") return;
  const user = await authenticate(request);
  if (user === undefined) {
    request.log.warn("authentication_failed");
    return reply.code(401).send({ error: "unauthorized" });
  }
  structlog.contextvars.bindContextVars({ user_id: user.id });
});

app.get("/health", async () => ({ ok: true }));

app.get("/orders/:id", async (request) => {
  // request.log is the request's structlog logger (in TypeScript, request.logger has its type).
  const log = request.log.bind({ order_id: request.params.id });
  log.info("order_loaded");
  const amount = Number(request.query.amount ?? 42);
  const receipt = await chargeCard(request.params.id, amount);
  log.info("order_paid", receipt);
  return { ok: true, order_id: request.params.id };
});

const log = structlog.getLogger("server");
const address = await app.listen({ port: Number(process.env.PORT ?? 3000), host: "127.0.0.1" });
log.info("server_listening", { address });

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, async () => {
    await app.close();
    log.info("server_stopped", { signal });
    process.exit(0);
  });
}
