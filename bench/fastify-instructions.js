// Instructions per Fastify request, for callgrind (the count does not move with
// other load on the machine, unlike req/s): the app of bench/fastify-server.js,
// in one process, N requests one at a time, by inject or (with "http") over one
// keep-alive connection on 127.0.0.1.
//   node bench/fastify-instructions.js <setup> <N> [http]
// setup: bare, pino, structlog (Fastify(withStructlog()) + the plugin, as in
// bench/fastify-server.js), plugin-only (Fastify() + the plugin), and
// structlog-silent / plugin-silent: the same with both lines below the level.
// Per request = the difference of two runs, which takes out start-up, e.g.:
//   valgrind --tool=callgrind --callgrind-out-file=/tmp/a node bench/fastify-instructions.js pino 500 http
//   valgrind --tool=callgrind --callgrind-out-file=/tmp/b node bench/fastify-instructions.js pino 1500 http
//   then (summary of b - summary of a) / 1000.
// The -silent setups write no line: what is left is the integration's own cost.
import http from "node:http";
// node cg.mjs <setup> <requests>: the bench/fastify-server.js app, requests by inject.
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import pino from "pino";

const root = new URL("../", import.meta.url).href;
const require = createRequire(new URL("packages/fastify/package.json", root));
const { default: Fastify } = await import(pathToFileURL(require.resolve("fastify")).href);
const { LogController } = require("fastify");
const [setup, n] = [process.argv[2], Number(process.argv[3])];
const authenticate = (request) => `user-${request.headers["x-user"] ?? "anonymous"}`;
let app;
if (setup === "pino") {
  const stream = pino.destination({ dest: "/dev/null", sync: false, minLength: 4096 });
  app = Fastify({ logger: { level: "info", stream }, logController: new LogController({ disableRequestLogging: true }) });
  app.addHook("preHandler", (request, reply, done) => {
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
} else if (["structlog", "structlog-silent", "plugin-only", "plugin-silent"].includes(setup)) {
  const structlog = await import(new URL("packages/core/dist/index.js", root).href);
  const { structlogPlugin, withStructlog } = await import(new URL("packages/fastify/dist/index.js", root).href);
  await (await import(new URL("bench/production-config.js", root).href)).configureProduction();
  // The integration's own cost: the same app with both lines below the level (no line written).
  if (setup.endsWith("-silent")) structlog.configure({ wrapperClass: structlog.makeFilteringBoundLogger("error") });
  app = setup.startsWith("structlog") ? Fastify(withStructlog()) : Fastify();
  await app.register(structlogPlugin);
  app.addHook("preHandler", (request, _reply, done) => {
    structlog.contextvars.bindContextVars({ user_id: authenticate(request) });
    done();
  });
  app.get("/orders/:id", async (request) => {
    request.log.info("order_loaded", { order_id: request.params.id });
    return { ok: true, id: request.params.id };
  });
} else if (setup === "bare") {
  app = Fastify();
  app.addHook("preHandler", (request, _reply, done) => {
    request.user = authenticate(request);
    done();
  });
  app.get("/orders/:id", async (request) => ({ ok: true, id: request.params.id }));
} else {
  throw new Error(`unknown setup ${JSON.stringify(setup)}: use bare, pino, structlog, structlog-silent, plugin-only or plugin-silent`);
}
await app.ready();
if (process.argv[4] === "http") {
  // Over a real socket on 127.0.0.1, one keep-alive connection, one request at a time:
  // the client's cost is the same in every setup (compare against bare).
  await app.listen({ port: 0, host: "127.0.0.1" });
  const { port } = app.server.address();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const get = (i) =>
    new Promise((resolve, reject) => {
      const req = http.get(
        { host: "127.0.0.1", port, path: "/orders/42", agent, headers: { "x-request-id": `bench-${i}`, "x-user": String(i % 1000) } },
        (res) => {
          res.resume();
          res.on("end", resolve);
        },
      );
      req.on("error", reject);
    });
  for (let i = 0; i < n; i++) await get(i);
  agent.destroy();
  await app.close();
} else {
  for (let i = 0; i < n; i++)
    await app.inject({ url: "/orders/42", headers: { "x-request-id": `bench-${i}`, "x-user": String(i % 1000) } });
}
