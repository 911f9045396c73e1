/**
 * @structlog/express: Express 4 and 5 middleware for @structlog/core. Every
 * line logged while a request is handled carries its `request_id` (and
 * `user_id`, once known); `req.log` is the request's logger; one
 * `request_completed` line is written per request.
 *
 * @example
 * import express from "express";
 * import { structlogErrorHandler, structlogMiddleware } from "@structlog/express";
 *
 * const app = express();
 * app.use(structlogMiddleware());
 * app.get("/orders/:id", (req, res) => {
 *   req.log.info("order_loaded", { order_id: req.params.id });
 *   res.json({ id: req.params.id });
 * });
 * app.use(structlogErrorHandler());
 */
import "./augment.js";

export { structlogErrorHandler } from "./error-handler.js";
export { structlogMiddleware } from "./middleware.js";
export type { StructlogErrorHandlerOptions, StructlogMiddlewareOptions } from "./options.js";
export { requestIdOf } from "./request-state.js";
