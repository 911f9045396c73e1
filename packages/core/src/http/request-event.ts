/**
 * The canonical per-request line (`request_completed`): its fields, its
 * level, and the options both integrations share.
 */
import {
  REQUEST_CONTROL_OPTION_KEYS,
  type RequestControlOptions,
  type RequestLogControl,
  resolveRequestControl,
} from "../request-control.js";
import type { Fields, Logger } from "../types.js";
import { DEFAULT_REQUEST_ID_MAX_LENGTH } from "./request-id.js";
import { DEFAULT_CENSOR, DEFAULT_REDACTED_HEADERS } from "./serializers.js";

/** What happened to one request, as the integrations measure it. */
export interface RequestOutcome {
  readonly method: string | undefined;
  /** The URL path, without the query string. */
  readonly path: string;
  /** The route pattern (`/orders/:id`), when the framework knows it. */
  readonly route?: string | undefined;
  readonly statusCode: number;
  readonly durationMs: number;
  /** Bytes of the response body, when known. */
  readonly responseSize?: number | undefined;
  readonly remoteAddress?: string | undefined;
  /** The error a handler or hook threw. */
  readonly error?: unknown;
  /** The client went away before the response was complete. */
  readonly aborted?: boolean;
  /** The server timed the request out. */
  readonly timedOut?: boolean;
}

/**
 * The level of the request line: 5xx, a timeout, or an error after a
 * success status was sent (a streamed body that failed) `error`; 4xx and
 * aborted `warning`; else `info`.
 */
export function levelForOutcome(
  outcome: Pick<RequestOutcome, "statusCode" | "aborted" | "timedOut" | "error">,
): "error" | "warning" | "info" {
  if (outcome.statusCode >= 500 || outcome.timedOut === true) return "error";
  if (outcome.error !== undefined && outcome.statusCode < 400) return "error";
  if (outcome.statusCode >= 400 || outcome.aborted === true) return "warning";
  return "info";
}

/** The path of a request URL, without its query string. */
export function pathOf(url: string | undefined): string {
  if (url === undefined) return "";
  const q = url.indexOf("?");
  return q === -1 ? url : url.slice(0, q);
}

/**
 * The fields of the request line: `method`, `path`, `route`, `status_code`,
 * `duration_ms`, `response_size`, `remote_address` (when asked), `err` (the
 * thrown error, rendered in pino-std-serializers' `err` shape), `aborted`
 * and `timed_out`. The request id and `user_id` come from the request's
 * context variables.
 */
export function requestOutcomeFields(outcome: RequestOutcome, logRemoteAddress = true): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    method: outcome.method,
    path: outcome.path,
  };
  if (outcome.route !== undefined) fields.route = outcome.route;
  fields.status_code = outcome.statusCode;
  fields.duration_ms = Math.round(outcome.durationMs * 1000) / 1000;
  if (outcome.responseSize !== undefined) fields.response_size = outcome.responseSize;
  if (logRemoteAddress && outcome.remoteAddress !== undefined) fields.remote_address = outcome.remoteAddress;
  if (outcome.error !== undefined) fields.err = outcome.error;
  if (outcome.aborted === true) fields.aborted = true;
  if (outcome.timedOut === true) fields.timed_out = true;
  return fields;
}

/**
 * Options both integrations take (all optional). `Req` and `Res` are the
 * framework's request and reply types.
 */
export interface HttpLoggingOptions<Req = unknown, Res = unknown> extends RequestControlOptions<Req> {
  /** Header the incoming request id is read from. Default `"x-request-id"`. */
  readonly requestIdHeader?: string;
  /** Take a safe incoming id from the header. Default `true`; `false` always generates. */
  readonly trustRequestId?: boolean;
  /** Longest incoming id accepted. Default 128. */
  readonly requestIdMaxLength?: number;
  /** Makes an id when none is accepted. Default `crypto.randomUUID()`. */
  readonly generateRequestId?: (req: Req) => string;
  /** Response header the id is echoed on; `false` for none. Default: the request header's name. */
  readonly responseIdHeader?: string | false;
  /** Context key of the id. Default `"request_id"`. */
  readonly requestIdKey?: string;
  /** Reads the user id once authentication has run; bound as `user_id`. */
  readonly getUserId?: (req: Req) => unknown;
  /** The logger the request lines and `request.log` derive from. Default `getLogger(loggerName)`. */
  readonly logger?: Logger;
  /** Name of the default logger. Default `"http"`. */
  readonly loggerName?: string;
  /** Event of the per-request line. Default `"request_completed"`. */
  readonly completedEvent?: string;
  /** Also log a line when the request starts. Default `false`. */
  readonly logRequestStarted?: boolean;
  /** Event of the start line. Default `"request_started"`. */
  readonly startedEvent?: string;
  /** Return `true` to write no request line for this request (health checks). Context still applies. */
  readonly skip?: (req: Req) => boolean;
  /** Paths (exact, without query string) that get no request line. */
  readonly ignorePaths?: readonly string[];
  /** Extra fields for the request line. */
  readonly customFields?: (req: Req, res: Res) => Fields | undefined;
  /** Log the client address. Default `true`. */
  readonly logRemoteAddress?: boolean;
  /** Add the serialized request and response (`req`, `res`, headers redacted) to the request line. Default `false`. */
  readonly logHeaders?: boolean;
  /** Headers to redact in serialized requests and responses. Default {@link DEFAULT_REDACTED_HEADERS}. */
  readonly redactHeaders?: readonly string[];
  /** Replacement for redacted values. Default `"[Redacted]"`. */
  readonly censor?: string;
}

/** {@link HttpLoggingOptions} with every default filled in, checked, and frozen. */
export interface ResolvedHttpLoggingOptions<Req, Res> {
  readonly requestIdHeader: string;
  readonly trustRequestId: boolean;
  readonly requestIdMaxLength: number;
  readonly generateRequestId: ((req: Req) => string) | undefined;
  readonly responseIdHeader: string | false;
  readonly requestIdKey: string;
  readonly getUserId: ((req: Req) => unknown) | undefined;
  readonly logger: Logger | undefined;
  readonly loggerName: string;
  readonly completedEvent: string;
  readonly logRequestStarted: boolean;
  readonly startedEvent: string;
  readonly skip: ((req: Req) => boolean) | undefined;
  readonly ignorePaths: ReadonlySet<string>;
  readonly customFields: ((req: Req, res: Res) => Fields | undefined) | undefined;
  readonly logRemoteAddress: boolean;
  readonly logHeaders: boolean;
  readonly redactHeaders: readonly string[];
  readonly censor: string;
  /** `levelFor`, `logControl` and `sampling` (docs/request-control.md). */
  readonly requestControl: RequestLogControl<Req>;
}

/** The names of the {@link HttpLoggingOptions}, for integrations that reject misspelt options. */
export const HTTP_OPTION_KEYS: readonly (keyof HttpLoggingOptions)[] = Object.freeze([
  "requestIdHeader",
  "trustRequestId",
  "requestIdMaxLength",
  "generateRequestId",
  "responseIdHeader",
  "requestIdKey",
  "getUserId",
  "logger",
  "loggerName",
  "completedEvent",
  "logRequestStarted",
  "startedEvent",
  "skip",
  "ignorePaths",
  "customFields",
  "logRemoteAddress",
  "logHeaders",
  "redactHeaders",
  "censor",
  ...REQUEST_CONTROL_OPTION_KEYS,
] as const);

/**
 * Throws when `options` has a key that is neither a shared option nor one of
 * `extraKeys`: a misspelt option (`requestIDHeader`) would otherwise be
 * ignored without a word.
 *
 * @example
 * rejectUnknownOptions(options, "structlogMiddleware()", ["logRequestLogger"]);
 */
export function rejectUnknownOptions(options: object, where: string, extraKeys: readonly string[] = []): void {
  if (options === null || typeof options !== "object") return;
  const known = new Set<string>([...HTTP_OPTION_KEYS, ...extraKeys]);
  for (const key of Object.keys(options)) {
    if (!known.has(key)) {
      const near = [...known].find((k) => k.toLowerCase() === key.toLowerCase());
      const hint = near === undefined ? `the options are ${[...known].join(", ")}` : `did you mean ${JSON.stringify(near)}?`;
      throw new TypeError(`${where}: unknown option ${JSON.stringify(key)}; ${hint}.`);
    }
  }
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new TypeError(message);
}

function optionalFunction(value: unknown, name: string): void {
  check(value === undefined || typeof value === "function", `${name} must be a function.`);
}

/**
 * Checks the options and fills in defaults, without touching the caller's
 * object. Throws with what to change when an option is wrong.
 */
export function resolveHttpOptions<Req, Res>(
  options: HttpLoggingOptions<Req, Res> = {},
  where = "structlog",
): ResolvedHttpLoggingOptions<Req, Res> {
  check(options !== null && typeof options === "object", `${where}: options must be an object.`);
  const o = options;
  const header = o.requestIdHeader ?? "x-request-id";
  check(
    typeof header === "string" && /^[A-Za-z0-9-]+$/.test(header),
    `${where}: requestIdHeader must be a header name such as "x-request-id".`,
  );
  const maxLength = o.requestIdMaxLength ?? DEFAULT_REQUEST_ID_MAX_LENGTH;
  check(
    Number.isInteger(maxLength) && maxLength > 0 && maxLength <= 1024,
    `${where}: requestIdMaxLength must be a whole number from 1 to 1024.`,
  );
  const responseIdHeader = o.responseIdHeader ?? header;
  check(
    responseIdHeader === false || (typeof responseIdHeader === "string" && /^[A-Za-z0-9-]+$/.test(responseIdHeader)),
    `${where}: responseIdHeader must be a header name or false.`,
  );
  for (const [name, value] of [
    ["generateRequestId", o.generateRequestId],
    ["getUserId", o.getUserId],
    ["skip", o.skip],
    ["customFields", o.customFields],
  ] as const) {
    optionalFunction(value, `${where}: ${name}`);
  }
  check(
    o.logger === undefined || (typeof o.logger === "object" && typeof o.logger.info === "function" && typeof o.logger.bind === "function"),
    `${where}: logger must be a structlog logger (getLogger()).`,
  );
  check(o.ignorePaths === undefined || Array.isArray(o.ignorePaths), `${where}: ignorePaths must be an array of paths.`);
  check(o.redactHeaders === undefined || Array.isArray(o.redactHeaders), `${where}: redactHeaders must be an array of header names.`);
  return Object.freeze({
    requestIdHeader: header.toLowerCase(),
    trustRequestId: o.trustRequestId ?? true,
    requestIdMaxLength: maxLength,
    generateRequestId: o.generateRequestId,
    responseIdHeader: responseIdHeader === false ? false : responseIdHeader.toLowerCase(),
    requestIdKey: o.requestIdKey ?? "request_id",
    getUserId: o.getUserId,
    logger: o.logger,
    loggerName: o.loggerName ?? "http",
    completedEvent: o.completedEvent ?? "request_completed",
    logRequestStarted: o.logRequestStarted ?? false,
    startedEvent: o.startedEvent ?? "request_started",
    skip: o.skip,
    ignorePaths: new Set(o.ignorePaths ?? []),
    customFields: o.customFields,
    logRemoteAddress: o.logRemoteAddress ?? true,
    logHeaders: o.logHeaders ?? false,
    redactHeaders: [...(o.redactHeaders ?? DEFAULT_REDACTED_HEADERS)],
    censor: o.censor ?? DEFAULT_CENSOR,
    requestControl: resolveRequestControl({ levelFor: o.levelFor, logControl: o.logControl, sampling: o.sampling }, where),
  });
}
