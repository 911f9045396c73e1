/**
 * `@structlog/core/http`: what the HTTP integrations share: the request
 * pipeline (request-id intake, the request's scope, skip and ignore,
 * `user_id`, the request line), serializers and redaction. The scope is
 * reached only through {@link RequestScope}, {@link runInRequestScope} and
 * {@link confineRequestScopes};
 * the storage behind it is not exported.
 */
export { confineRequestScopes, leaveRequestScope, RequestScope, runInRequestScope } from "../context.js";
export {
  REQUEST_CONTROL_OPTION_KEYS,
  type RequestControlOptions,
  type RequestLineDecision,
  RequestLogControl,
  resolveRequestControl,
  type SamplingOptions,
} from "../request-control.js";
export {
  currentLogControl,
  LogControl,
  type LogControlOptions,
  type LogControlSettings,
  resolveLogControl,
  runInControlScope,
} from "../scope-control.js";
export {
  createRequestPipeline,
  type PipelineSettings,
  type RequestLineInput,
  type RequestPipeline,
} from "./pipeline.js";
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
