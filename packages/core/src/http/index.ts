/**
 * `@structlog/core/http`: what the Fastify and Express integrations share —
 * request-id intake, the canonical request line, serializers and redaction,
 * and the request scope.
 */
export { contextStorage, newScope } from "../context.js";
export { report } from "../report.js";
export {
  HTTP_OPTION_KEYS,
  type HttpLoggingOptions,
  levelForOutcome,
  pathOf,
  type RequestOutcome,
  type ResolvedHttpLoggingOptions,
  rejectUnknownOptions,
  requestOutcomeFields,
  resolveHttpOptions,
} from "./request-event.js";
export { acceptRequestId, DEFAULT_REQUEST_ID_MAX_LENGTH, generateRequestId, SAFE_REQUEST_ID } from "./request-id.js";
export {
  DEFAULT_CENSOR,
  DEFAULT_REDACTED_HEADERS,
  REJECTED_REQUEST_ID,
  type RedactOptions,
  redactHeaders,
  serializeRequest,
  serializeResponse,
} from "./serializers.js";
