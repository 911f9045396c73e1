// The app every Express benchmark serves (bench/express-server.js,
// bench/express-instructions.js): GET /orders/:id answers a small JSON body;
// the logging setups write one handler line per request plus their request
// line, to /dev/null. structlog-silent is structlog with both lines below the
// level: the middleware's own cost.
import { createRequire } from "node:module";

const require = createRequire(new URL("../packages/express/package.json", import.meta.url));

/** The app of `setup` (bare | pino-http | structlog | structlog-silent) on Express `major` (4 or 5). */
export async function buildExpressApp(setup, major) {
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
  } else if (setup === "structlog" || setup === "structlog-silent") {
    const structlog = await import("../packages/core/dist/index.js");
    const { structlogMiddleware } = await import("../packages/express/dist/index.js");
    await (await import("./production-config.js")).configureProduction();
    if (setup === "structlog-silent") structlog.configure({ wrapperClass: structlog.makeFilteringBoundLogger("error") });
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
    throw new Error(`unknown setup ${JSON.stringify(setup)}: use bare, pino-http, structlog or structlog-silent`);
  }
  return app;
}
