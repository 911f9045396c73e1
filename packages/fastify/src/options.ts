/**
 * The plugin's options: the shared HTTP options of `@structlog/core/http`,
 * typed for Fastify, plus how request ids are generated.
 */
import type { IncomingMessage } from "node:http";
import { asFastifyLogger, type FastifyLogger, getLogger } from "@structlog/core";
import {
  acceptRequestId,
  type HttpLoggingOptions,
  type RedactOptions,
  type ResolvedHttpLoggingOptions,
  rejectUnknownOptions,
  report,
  resolveHttpOptions,
} from "@structlog/core/http";
import type { FastifyReply, FastifyRequest } from "fastify";

const WHERE = "@structlog/fastify";

/**
 * Makes a request id from the raw request, as Fastify's `genReqId` does;
 * `"fastify"` uses the app's own `genReqId` (its `req-1`, `req-2`, … counter
 * unless you gave `Fastify({ genReqId })`).
 */
export type GenerateRequestId = ((req: IncomingMessage) => string) | "fastify";

/**
 * Options of the plugin, all optional. The shared options are documented in
 * `@structlog/core/http` ({@link HttpLoggingOptions}); `generateRequestId`
 * takes the raw request, as Fastify's `genReqId` does, or `"fastify"`.
 *
 * @example
 * await app.register(structlogPlugin, { ignorePaths: ["/health"], getUserId: (req) => req.user?.id });
 */
export interface StructlogFastifyOptions extends Omit<HttpLoggingOptions<FastifyRequest, FastifyReply>, "generateRequestId"> {
  /** Makes an id when no incoming one is accepted. Default `crypto.randomUUID()`. */
  readonly generateRequestId?: GenerateRequestId;
}

/** The options with defaults filled in, and what the plugin derives from them once. */
export interface PluginSettings {
  readonly options: ResolvedHttpLoggingOptions<FastifyRequest, FastifyReply>;
  /** The root of every request logger: the configured logger as a Fastify logger. */
  readonly rootLogger: FastifyLogger;
  /** Makes an id when the incoming one is missing, untrusted or unsafe. */
  readonly generate: (req: IncomingMessage) => string;
}

/** How headers are redacted wherever the plugin logs them: credentials, and a request-id header that was not accepted. */
export function redactOptions(resolved: ResolvedHttpLoggingOptions<FastifyRequest, FastifyReply>): RedactOptions {
  return {
    redactHeaders: resolved.redactHeaders,
    censor: resolved.censor,
    requestIdHeader: resolved.requestIdHeader,
    requestIdMaxLength: resolved.requestIdMaxLength,
  };
}

// Keys Fastify itself reads from the options of `register()`.
const REGISTER_KEYS = ["prefix", "logLevel", "logSerializers"];

/**
 * A generator that never throws and only returns ids that are safe to log
 * and to echo in a header: a custom generator's bad result is replaced by a
 * UUID and reported once.
 */
function safeGenerator(generate: (req: IncomingMessage) => unknown, maxLength: number, fallback: () => string) {
  return (req: IncomingMessage): string => {
    let id: unknown;
    try {
      id = generate(req);
    } catch (e) {
      report(`${WHERE} generateRequestId`, e);
      return fallback();
    }
    const safe = acceptRequestId(typeof id === "number" ? String(id) : id, maxLength);
    if (safe !== undefined) return safe;
    report(`${WHERE} generateRequestId`, new TypeError("returned an id that is not a short string of safe characters; used a UUID"));
    return fallback();
  };
}

/**
 * Checks the options and fills in defaults, without changing the caller's
 * object. `fastifyGenReqId` is the app's `genReqId`, for `"fastify"`.
 * Throws, saying what to change, when an option is wrong.
 */
export function resolvePluginOptions(
  options: StructlogFastifyOptions | undefined,
  fastifyGenReqId: (req: IncomingMessage) => string,
  uuid: () => string,
): PluginSettings {
  const given = options ?? {};
  if (typeof given !== "object" || given === null) throw new TypeError(`${WHERE}: options must be an object.`);
  rejectUnknownOptions(given, WHERE, REGISTER_KEYS);
  const {
    generateRequestId,
    prefix: _p,
    logLevel: _l,
    logSerializers: _s,
    ...shared
  } = given as StructlogFastifyOptions & Record<string, unknown>;
  if (generateRequestId !== undefined && generateRequestId !== "fastify" && typeof generateRequestId !== "function") {
    throw new TypeError(`${WHERE}: generateRequestId must be a function (req) => string, or "fastify" for the app's genReqId.`);
  }
  const resolved = resolveHttpOptions<FastifyRequest, FastifyReply>(shared, WHERE);
  const rootLogger = asFastifyLogger(resolved.logger ?? getLogger(resolved.loggerName), redactOptions(resolved));
  let generate: (req: IncomingMessage) => string = uuid;
  if (generateRequestId === "fastify") generate = safeGenerator(fastifyGenReqId, 1024, uuid);
  else if (typeof generateRequestId === "function") generate = safeGenerator(generateRequestId, 1024, uuid);
  return { options: resolved, rootLogger, generate };
}
