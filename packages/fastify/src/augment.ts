/**
 * Types for what the plugin adds to Fastify.
 *
 * `request.log` stays typed as Fastify's logger: redeclaring it is a type
 * error (TS2717), and the plugin may not cover every route. The request's
 * structlog logger, with `bind()` and the rest, is `request.logger`: at run
 * time the same object as `request.log`.
 */
import type { FastifyLogger } from "./logger.js";

/**
 * The request logger: a structlog logger bound with the request id, that is
 * also a Fastify (pino-shaped) logger.
 */
export type RequestLogger = FastifyLogger;

declare module "fastify" {
  interface FastifyRequest {
    /**
     * This request's structlog logger (the same object as `request.log`),
     * typed with `bind()`, `unbind()`, `isEnabledFor()` and the structlog
     * call shape `info(event, fields)`.
     *
     * @example
     * const log = request.logger.bind({ order_id: request.params.id });
     * log.info("order_loaded");
     */
    readonly logger: RequestLogger;
  }
}
