/**
 * `withStructlog()`: Fastify's server options with structlog as Fastify's
 * logger. `Fastify(withStructlog(options))` gives the app a structlog
 * `loggerInstance` (so Fastify types `app.log` and `request.log` as
 * structlog loggers) and the `StructlogLogController`, which
 * leaves each request's line to the plugin. The app's own options pass
 * through unchanged.
 *
 * Also here: the check the plugin makes when it is registered, that the
 * app's logger is not a second one writing its own format.
 */
import type * as http from "node:http";
import type * as https from "node:https";
import { checkOptions, getLogger, type LevelInput, type Logger, note } from "@structlog/core";
import type { RedactOptions } from "@structlog/core/http";
import type { FastifyInstance, FastifyServerOptions, LogController, RawServerBase } from "fastify";
import { StructlogLogController } from "./log-controller.js";
import { asFastifyLogger, type FastifyLogger, type FastifyLogSerializers, isFastifyLogger } from "./logger.js";

const WHERE = "withStructlog()";

/** The server options `withStructlog()` sets itself: giving them is an error that says what to do instead. */
type Taken = "logger" | "loggerInstance" | "logController" | "disableRequestLogging" | "requestIdLogLabel";

/**
 * Fastify's server options, for any server kind (`http`, `https`, `http2`),
 * without the logging options `withStructlog()` sets.
 */
export type StructlogServerOptionsInput = Omit<FastifyServerOptions<RawServerBase>, Taken> & {
  readonly http?: http.ServerOptions | null;
  readonly https?: https.ServerOptions | null;
  readonly http2?: boolean;
  readonly http2SessionTimeout?: number;
} & { readonly [K in Taken]?: never };

/** The options `withStructlog()` returns: the app's own, with structlog's logger and log controller. */
export type StructlogServerOptions<O> = Omit<O, Taken> & {
  /** Fastify's logger: structlog's, through `asFastifyLogger()`. */
  readonly loggerInstance: FastifyLogger;
  /** Leaves each request's line to the plugin. */
  readonly logController: StructlogLogController;
};

/** The second argument of `withStructlog()`: how Fastify's logger is made. All optional. */
export interface WithStructlogSettings extends RedactOptions {
  /** The structlog logger Fastify's lines go through. Default `getLogger("fastify")`. */
  readonly logger?: Logger;
  /** The lowest level of Fastify's logger (pino or structlog names). Default: the configured one. */
  readonly level?: LevelInput | string;
  /** pino-style serializers by key, over the defaults for `req` and `res`. */
  readonly serializers?: FastifyLogSerializers;
  /** A controller of your own: a subclass of `StructlogLogController`. */
  readonly logController?: StructlogLogController;
}

const SETTINGS = {
  logger: "object",
  level: "checked by the caller",
  serializers: "object",
  redactHeaders: "array",
  censor: "checked by the caller",
  requestIdHeader: "string",
  requestIdMaxLength: "number",
  logController: "object",
} as const;

/** Why each of the options `withStructlog()` sets cannot be given, and what to do instead. */
const TAKEN: Readonly<Record<Taken, string>> = {
  logger:
    "remove `logger`: with withStructlog() Fastify logs through structlog, in the format configure() sets; " +
    'for a level, pass withStructlog(options, { level: "warn" })',
  loggerInstance: "remove `loggerInstance` and pass the structlog logger as withStructlog(options, { logger })",
  logController: "extend StructlogLogController and pass it as withStructlog(options, { logController })",
  disableRequestLogging:
    "remove `disableRequestLogging`: Fastify's request lines are off already, and the plugin writes one line per request " +
    "(its `ignorePaths` and `skip` options leave requests out)",
  requestIdLogLabel: "remove `requestIdLogLabel`: the id is bound as request_id (the plugin's `requestIdKey` renames it)",
};

/**
 * Fastify's server options with structlog as Fastify's logger: returns
 * `options` (not changed) with a structlog `loggerInstance` and a
 * `logController` that leaves each request's line to the plugin. Fastify
 * then types `app.log` and `request.log` as structlog loggers,
 * Fastify's own lines go through your processors as events with fields
 * (`server_listening` with `address`), and the plugin's `request_completed`
 * is the only line per request. Register the plugin too, before your routes.
 *
 * Call `configure()` before or after: the logger follows it.
 *
 * @example
 * const app = Fastify(withStructlog({ trustProxy: true }));
 * await app.register(structlogPlugin);
 * app.get("/orders/:id", async (request) => {
 *   request.log.bind({ order: 7 }).info("order_loaded", { items: 3 });
 * });
 */
export function withStructlog<const O extends StructlogServerOptionsInput = Record<never, never>>(
  options?: O & StructlogServerOptionsInput,
  settings: WithStructlogSettings = {},
): StructlogServerOptions<O> {
  if (options !== undefined && (typeof options !== "object" || options === null || Array.isArray(options))) {
    throw new TypeError(`${WHERE} takes Fastify's server options (an object), e.g. withStructlog({ trustProxy: true }).`);
  }
  const given = (options ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(TAKEN) as Taken[]) {
    // `logger: false` says what withStructlog() does anyway.
    if (given[key] !== undefined && !(key === "logger" && given[key] === false)) throw new TypeError(`${WHERE}: ${TAKEN[key]}.`);
  }
  checkOptions(`${WHERE} settings`, settings, SETTINGS);
  const { logger = getLogger("fastify"), logController, ...loggerOptions } = settings;
  if (logController !== undefined && !(logController instanceof StructlogLogController)) {
    throw new TypeError(`${WHERE}: settings.logController must be a StructlogLogController (or a subclass of it).`);
  }
  const { logger: _off, ...rest } = given;
  return {
    ...(rest as Omit<O, Taken>),
    loggerInstance: asFastifyLogger(logger, loggerOptions),
    logController: logController ?? new StructlogLogController(),
  };
}

/** Fastify's log controller of an instance: a symbol-keyed property its types do not declare. */
function logControllerOf(fastify: FastifyInstance): LogController | undefined {
  for (let o: object | null = fastify; o !== null; o = Object.getPrototypeOf(o)) {
    for (const sym of Object.getOwnPropertySymbols(o)) {
      if (sym.description === "fastify.logController") return (o as Record<symbol, LogController>)[sym];
    }
  }
  return undefined;
}

/**
 * Does the app's log controller leave each request's line to the plugin
 * (`Fastify(withStructlog())`)? Then Fastify writes no request line of its
 * own on `reply.log` for a request the plugin handles.
 */
export function usesStructlogLogController(fastify: FastifyInstance): boolean {
  return logControllerOf(fastify) instanceof StructlogLogController;
}

/** Fastify's logger when the app has none: every method is the same no-op. */
function isNoopLogger(log: FastifyInstance["log"]): boolean {
  return log.info === log.error && log.info === log.warn;
}

const FIX = "Create the app with Fastify(withStructlog()) instead, and keep registering the plugin.";

/**
 * At registration: says once on stderr when the app's logger would write a
 * second format beside structlog's (`Fastify({ logger: true })`, a
 * `loggerInstance` of another library), or when Fastify's own request lines
 * are on beside the plugin's.
 */
export function checkAppLogger(fastify: FastifyInstance): void {
  const log = fastify.log;
  if (isFastifyLogger(log)) {
    const controller = logControllerOf(fastify);
    if (controller === undefined || controller instanceof StructlogLogController || controller.disableRequestLogging === true) return;
    note(
      "fastify-request-logging",
      "@structlog/fastify: Fastify's own request lines are on (incoming request, request completed, route not found), " +
        `so each request is logged more than once. ${FIX}`,
    );
    return;
  }
  if (isNoopLogger(log)) return;
  note(
    "fastify-foreign-logger",
    "@structlog/fastify: the app has a logger of its own (Fastify({ logger: true }) makes a pino logger), " +
      `so its lines and structlog's mix two formats in one stream. ${FIX}`,
  );
}
