/** Request-id intake: take a safe incoming id, or make one. Shared by the Fastify and Express integrations. */
import { randomUUID } from "node:crypto";

/**
 * The characters an incoming request id may use: letters, digits and
 * `- _ . : + = / @ ~`. No spaces, quotes, braces, backslashes or control
 * characters, so an id can never break out of a JSON string, a logfmt value
 * or a terminal line, and never splits a response header.
 */
export const SAFE_REQUEST_ID = /^[A-Za-z0-9\-_.:+=/@~]+$/;

/** The longest incoming request id accepted. */
export const DEFAULT_REQUEST_ID_MAX_LENGTH = 128;

/**
 * The incoming id if it is safe (a string of 1 to `maxLength` characters from
 * {@link SAFE_REQUEST_ID}), otherwise `undefined`. A header sent twice (an
 * array) is not accepted.
 *
 * @example
 * acceptRequestId("abc-123"); // "abc-123"
 * acceptRequestId("x\n{\"forged\":1}"); // undefined
 */
export function acceptRequestId(value: unknown, maxLength = DEFAULT_REQUEST_ID_MAX_LENGTH): string | undefined {
  if (typeof value !== "string" || value.length === 0 || value.length > maxLength) return undefined;
  return SAFE_REQUEST_ID.test(value) ? value : undefined;
}

/** Makes a new request id: a random UUID. */
export const generateRequestId = (): string => randomUUID();
