/**
 * The plugin's options: the shared HTTP options of `@structlog/core/http`,
 * typed for Fastify, plus how request ids are generated.
 */
import type { IncomingMessage } from "node:http";
import { getLogger } from "@structlog/core";
import {
  createRequestPipeline,
  type HttpLoggingOptions,
  type RedactOptions,
  type RequestPipeline,
  type ResolvedHttpLoggingOptions,
  rejectUnknownOptions,
  resolveHttpOptions,
} from "@structlog/core/http";
import type { FastifyReply, FastifyRequest } from "fastify";
import { asFastifyLogger, type FastifyLogger } from "./logger.js";

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
  /** Makes an id when no incoming one is accepted. Default: the app's `Fastify({ genReqId })` if it has one, else `crypto.randomUUID()`. */
  readonly generateRequestId?: GenerateRequestId;
}

/** The plugin's request pipeline: Fastify's request and reply, ids made from the raw request. */
export type FastifyPipeline = RequestPipeline<FastifyRequest, FastifyReply, IncomingMessage>;

/** The options with defaults filled in, and what the plugin derives from them once. */
export interface PluginSettings {
  readonly options: ResolvedHttpLoggingOptions<FastifyRequest, FastifyReply>;
  /** The root of every request logger: the configured logger as a Fastify logger. */
  readonly rootLogger: FastifyLogger;
  /** The shared request pipeline (core/http). */
  readonly pipeline: FastifyPipeline;
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

/** What the refusal of a bind outside every scope tells a Fastify user. */
const SCOPE_FIX =
  "bind inside a hook, handler or code they call (the plugin opens each request's scope before any hook runs, " +
  "unless a plugin sets its own genReqId with setGenReqId)";

/**
 * Was the app made with its own `Fastify({ genReqId })`? Fastify keeps its
 * options under a symbol its types do not declare; an unknown shape reads as "no".
 */
export function appHasGenReqId(fastify: object): boolean {
  for (const symbol of Object.getOwnPropertySymbols(fastify)) {
    if (symbol.description !== "fastify.options") continue;
    const options = (fastify as Record<symbol, unknown>)[symbol];
    return typeof options === "object" && options !== null && typeof (options as { genReqId?: unknown }).genReqId === "function";
  }
  return false;
}

/**
 * Checks the options and fills in defaults, without changing the caller's
 * object. `fastifyGenReqId` is the app's `genReqId`, for `"fastify"`, and
 * the default when the app was made with its own (`appGenReqId`): the
 * app's choice wins over the plugin's UUIDs.
 * Throws, saying what to change, when an option is wrong.
 */
export function resolvePluginOptions(
  options: StructlogFastifyOptions | undefined,
  fastifyGenReqId: (req: IncomingMessage) => string,
  appGenReqId = false,
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
  const generate =
    generateRequestId === "fastify" || (generateRequestId === undefined && appGenReqId) ? fastifyGenReqId : generateRequestId;
  const pipeline = createRequestPipeline<FastifyRequest, FastifyReply, IncomingMessage>(resolved, {
    where: WHERE,
    scopeFix: SCOPE_FIX,
    generate,
  });
  return { options: resolved, rootLogger, pipeline };
}
