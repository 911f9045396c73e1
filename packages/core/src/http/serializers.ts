/**
 * Request and response serializers (pino-std-serializers' shapes), with
 * credential-bearing headers redacted. Shared by the integrations.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { req as pinoReq, res as pinoRes } from "pino-std-serializers";

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
}

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
  const out: Record<string, unknown> = {};
  if (headers === null || typeof headers !== "object") return out;
  for (const [key, value] of Object.entries(headers as Record<string, unknown>)) {
    Object.defineProperty(out, key, {
      value: names.has(key.toLowerCase()) ? censor : value,
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
  return { ...shaped, headers: redactHeaders(shaped.headers, options) };
}

/** A response in pino-std-serializers' `res` shape (statusCode, headers), headers redacted. */
export function serializeResponse(res: ServerResponse | Record<string, unknown>, options: RedactOptions = {}): Record<string, unknown> {
  const shaped = pinoRes(res as ServerResponse) as unknown as Record<string, unknown>;
  return { ...shaped, headers: redactHeaders(shaped.headers, options) };
}
