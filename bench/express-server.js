// One setup of the Express benchmark, in a process of its own (started by
// bench/express.js): `node bench/express-server.js <bare|pino-http|structlog> [4|5]`.
// Every setup serves the same app: GET /orders/:id answers a small JSON
// body; the two logging setups write one handler line per request plus
// their request line, to /dev/null. Reports its port over IPC.
import { createRequire } from "node:module";

const [setup = "bare", major = "5"] = process.argv.slice(2);
const require = createRequire(new URL("../packages/express/package.json", import.meta.url));
const express = require(major === "4" ? "express4" : "express");

const app = express();
app.set("etag", false);

if (setup === "pino-http") {
  const { default: pino } = await import("pino");
  const { default: pinoHttp } = await import("pino-http");
  const logger = pino(pino.destination("/dev/null"));
  app.use(pinoHttp({ logger }));
  app.get("/orders/:id", (req, res) => {
    req.log.info({ order_id: req.params.id }, "order_loaded");
    res.json({ id: req.params.id, status: "paid" });
  });
} else if (setup === "structlog") {
  const { structlogMiddleware } = await import("../packages/express/dist/index.js");
  (await import("./production-config.js")).configureProduction();
  app.use(structlogMiddleware());
  app.get("/orders/:id", (req, res) => {
    req.log.info("order_loaded", { order_id: req.params.id });
    res.json({ id: req.params.id, status: "paid" });
  });
} else if (setup === "bare") {
  app.get("/orders/:id", (req, res) => {
    res.json({ id: req.params.id, status: "paid" });
  });
} else {
  throw new Error(`unknown setup ${JSON.stringify(setup)}: use bare, pino-http or structlog`);
}

const server = app.listen(0, "127.0.0.1", () => process.send?.({ port: server.address().port }));
// The parent asks for this process's CPU time around each round: CPU per
// request is steadier than requests/s on a machine that is doing other work.
process.on("message", (message) => {
  if (message === "cpu") process.send?.({ cpu: process.cpuUsage() });
});
process.on("disconnect", () => process.exit(0));
