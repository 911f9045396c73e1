/**
 * Request and response serializers (pino-std-serializers' shapes), with
 * credential-bearing headers redacted. Shared by the integrations.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import stdSerializers from "pino-std-serializers";
import { acceptRequestId } from "./request-id.js";

// A default import: Node's ESM loader cannot see `req` and `res` as named
// exports of this CommonJS module (they are member expressions in its
// module.exports literal), so a named import fails when the module loads.
const { req: pinoReq, res: pinoRes } = stdSerializers;

/** Headers redacted by default: they carry credentials. */
export const DEFAULT_REDACTED_HEADERS: readonly string[] = Object.freeze([
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
  "x-api-key",
]);

/** What replaces a redacted value. */
export const DEFAULT_CENSOR = "[Redacted]";

/** How headers are redacted. */
export interface RedactOptions {
  /** Header names (any case) to redact. Default {@link DEFAULT_REDACTED_HEADERS}. */
  readonly redactHeaders?: readonly string[];
  /** Replacement value. Default `"[Redacted]"`. */
  readonly censor?: string;
  /**
   * The request-id header (any case). Its value is replaced by
   * `"[Rejected]"` when it is not a safe request id ({@link acceptRequestId}),
   * so a hostile id is not logged raw with the headers either. Default: none.
   */
  readonly requestIdHeader?: string;
  /** The longest request id accepted in that header. Default 128. */
  readonly requestIdMaxLength?: number;
}

/** What replaces a request-id header value that is not a safe id. */
export const REJECTED_REQUEST_ID = "[Rejected]";

/**
 * A copy of `headers` with the named ones replaced by the censor. Never
 * changes the headers it is given.
 *
 * @example
 * redactHeaders({ authorization: "Bearer x", accept: "*\/*" }); // { authorization: "[Redacted]", accept: "*\/*" }
 */
export function redactHeaders(headers: unknown, options: RedactOptions = {}): Record<string, unknown> {
  const names = new Set((options.redactHeaders ?? DEFAULT_REDACTED_HEADERS).map((h) => h.toLowerCase()));
  const censor = options.censor ?? DEFAULT_CENSOR;
  const idHeader = options.requestIdHeader?.toLowerCase();
  const out: Record<string, unknown> = {};
  if (headers === null || typeof headers !== "object") return out;
  for (const [key, value] of Object.entries(headers as Record<string, unknown>)) {
    const name = key.toLowerCase();
    const rejected = name === idHeader && acceptRequestId(value, options.requestIdMaxLength) === undefined;
    Object.defineProperty(out, key, {
      value: names.has(name) ? censor : rejected ? REJECTED_REQUEST_ID : value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/**
 * A request in pino-std-serializers' `req` shape (id, method, url, query,
 * params, headers, remoteAddress, remotePort), headers redacted.
 */
export function serializeRequest(req: IncomingMessage | Record<string, unknown>, options: RedactOptions = {}): Record<string, unknown> {
  const shaped = pinoReq(req as IncomingMessage) as unknown as Record<string, unknown>;
  return { ...withoutSymbols(shaped), headers: redactHeaders(shaped.headers, options) };
}

/**
 * The string-keyed fields only. pino-std-serializers keeps the raw request
 * (and response) under an enumerable symbol key; JSON leaves it out, but the
 * text renderers write values with util.inspect, which would show it whole,
 * credentials in its raw headers included.
 */
function withoutSymbols(shaped: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(shaped)) out[key] = shaped[key];
  return out;
}

/** A response in pino-std-serializers' `res` shape (statusCode, headers), headers redacted. */
export function serializeResponse(res: ServerResponse | Record<string, unknown>, options: RedactOptions = {}): Record<string, unknown> {
  const shaped = pinoRes(res as ServerResponse) as unknown as Record<string, unknown>;
  return { ...withoutSymbols(shaped), headers: redactHeaders(shaped.headers, options) };
}
