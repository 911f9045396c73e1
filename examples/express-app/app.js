// The Express app: structlog middleware first, the error handler last.
import * as structlog from "@structlog/core";
import { structlogErrorHandler, structlogMiddleware } from "@structlog/express";
import express from "express";
import { authenticate } from "./auth.js";
import { createOrder, loadOrder } from "./orders.js";

export function createApp() {
  const app = express();
  app.use(structlogMiddleware({ ignorePaths: ["/health"] }));
  app.use(express.json());

  app.get("/health", (_req, res) => res.send("ok"));

  // The app's own auth: binds user_id once known, so every later line of the
  // request (deep code, timers, the request line) carries it.
  app.use(async (req, res, next) => {
    const user = await authenticate(req);
    if (user === undefined) {
      req.log.warning("authentication_failed");
      res.status(401).json({ error: "Unauthorized" });
      return;
    }
    structlog.contextvars.bindContextVars({ user_id: user.id });
    next();
  });

  app.get("/orders/:id", async (req, res) => {
    req.log.info("order_requested", { order_id: req.params.id });
    const order = await loadOrder(req.params.id); // Express 5 hands a rejection to the error handler
    if (order === undefined) {
      res.status(404).json({ error: "Not Found" });
      return;
    }
    res.json(order);
  });

  app.post("/orders", async (req, res) => {
    const order = await createOrder(req.body);
    req.log.info("order_created", { order_id: order.id, total: order.total });
    res.status(201).json(order);
  });

  // Logs the error with the request's ids; answers JSON without a stack trace.
  app.use(structlogErrorHandler({ respond: true }));
  return app;
}
