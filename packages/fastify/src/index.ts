/**
 * @structlog/fastify: request_id and user_id on every line of a request,
 * with structlog as Fastify's own logger.
 *
 * @example
 * import Fastify from "fastify";
 * import { structlogPlugin, withStructlog } from "@structlog/fastify";
 * const app = Fastify(withStructlog());
 * await app.register(structlogPlugin);
 */
import "./augment.js";

export type { RequestLogger } from "./augment.js";
export { StructlogLogController } from "./log-controller.js";
export {
  asFastifyLogger,
  type FastifyChildOptions,
  type FastifyLogger,
  type FastifyLoggerOptions,
  type FastifyLogSerializer,
  type FastifyLogSerializers,
} from "./logger.js";
export type { GenerateRequestId, StructlogFastifyOptions } from "./options.js";
export { structlogPlugin, structlogPlugin as default } from "./plugin.js";
export {
  type StructlogServerOptions,
  type StructlogServerOptionsInput,
  type WithStructlogSettings,
  withStructlog,
} from "./with-structlog.js";
