/**
 * Types `req.log` for every Express handler, through Express's own
 * extension point (`namespace Express`), rather than by augmenting Node's
 * `http.IncomingMessage` as pino-http does: plain Node requests, and other
 * frameworks in the same program, keep their own types.
 */
import type { Logger } from "@structlog/core";

declare global {
  namespace Express {
    interface Request {
      /**
       * The request's logger, set by `structlogMiddleware()`: bound with the
       * request id, and carrying the request's context variables (`user_id`,
       * anything bound with `bindContextVars`) on every line.
       *
       * @example
       * app.get("/orders/:id", (req, res) => {
       *   req.log.info("order_loaded", { order_id: req.params.id });
       * });
       */
      log: Logger;
    }
  }
}
