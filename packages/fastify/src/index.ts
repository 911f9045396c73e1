/**
 * @structlog/fastify: request_id and user_id on every line of a request.
 *
 * @example
 * import Fastify from "fastify";
 * import { structlogPlugin } from "@structlog/fastify";
 * const app = Fastify();
 * await app.register(structlogPlugin);
 */
import "./augment.js";

export { asFastifyLogger, type FastifyLogger, type FastifyLoggerOptions } from "@structlog/core";
export type { RequestLogger } from "./augment.js";
export type { GenerateRequestId, StructlogFastifyOptions } from "./options.js";
export { structlogPlugin, structlogPlugin as default } from "./plugin.js";
