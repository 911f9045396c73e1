// One server of bench/fastify.js, in its own process: `node bench/fastify-server.js <setup>`.
// It listens on 127.0.0.1 (a free port) and sends { port } to its parent over IPC.
//
// The same app in every setup: GET /orders/:id, a preHandler that "authenticates"
// (binds the user), a handler that logs one line, and (except bare) one request line.
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import pino from "pino";

// fastify is a dependency of the packages, not of the repository root.
const require = createRequire(new URL("../packages/fastify/package.json", import.meta.url));
const { default: Fastify } = await import(pathToFileURL(require.resolve("fastify")).href);
const { LogController } = require("fastify");

const setup = process.argv[2];

function authenticate(request) {
  return `user-${request.headers["x-user"] ?? "anonymous"}`;
}

async function build() {
  if (setup === "bare") {
    const app = Fastify();
    app.addHook("preHandler", (request, _reply, done) => {
      request.user = authenticate(request);
      done();
    });
    app.get("/orders/:id", async (request) => ({ ok: true, id: request.params.id }));
    return app;
  }

  if (setup === "pino") {
    // Fastify's built-in pino logger, asynchronous /dev/null destination (pino's fastest).
    // Fastify's own two request lines are off; one request line is written
    // at onResponse instead, so both setups write the same two lines.
    const stream = pino.destination({ dest: "/dev/null", sync: false, minLength: 4096 });
    const app = Fastify({ logger: { level: "info", stream }, logController: new LogController({ disableRequestLogging: true }) });
    app.addHook("preHandler", (request, reply, done) => {
      // pino's way to get user_id on the later lines: a child logger, on both request and reply.
      const log = request.log.child({ user_id: authenticate(request) });
      request.log = log;
      reply.log = log;
      done();
    });
    app.addHook("onResponse", (request, reply, done) => {
      reply.log.info(
        { method: request.method, url: request.url, statusCode: reply.statusCode, responseTime: reply.elapsedTime },
        "request completed",
      );
      done();
    });
    app.get("/orders/:id", async (request) => {
      request.log.info({ order_id: request.params.id }, "order_loaded");
      return { ok: true, id: request.params.id };
    });
    return app;
  }

  if (setup === "structlog" || setup === "plugin-only") {
    const structlog = await import("../packages/core/dist/index.js");
    const { structlogPlugin, withStructlog } = await import("../packages/fastify/dist/index.js");
    await (await import("./production-config.js")).configureProduction();
    // structlog: the recommended setup, structlog as Fastify's logger and the plugin;
    // plugin-only: the plugin on an app without a logger of Fastify's.
    const app = setup === "structlog" ? Fastify(withStructlog()) : Fastify();
    await app.register(structlogPlugin);
    app.addHook("preHandler", (request, _reply, done) => {
      structlog.contextvars.bindContextVars({ user_id: authenticate(request) });
      done();
    });
    app.get("/orders/:id", async (request) => {
      request.log.info("order_loaded", { order_id: request.params.id });
      return { ok: true, id: request.params.id };
    });
    return app;
  }

  throw new Error(`unknown setup ${JSON.stringify(setup)}: use bare, pino, structlog or plugin-only`);
}

const app = await build();
await app.listen({ port: 0, host: "127.0.0.1" });
process.send?.({ port: app.server.address().port });
// CPU time used so far, so the parent can report CPU per request, which other load on the machine disturbs less than req/s.
process.on("message", (message) => {
  if (message === "cpu") {
    const { user, system } = process.cpuUsage();
    process.send?.({ cpu: user + system });
  }
});
process.on("disconnect", () => {
  app.close().then(() => process.exit(0));
});
