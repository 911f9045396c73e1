/**
 * structlog levels as OpenTelemetry severities: the first number of each of
 * OTel's ranges (TRACE 1-4, DEBUG 5-8, INFO 9-12, WARN 13-16, ERROR 17-20,
 * FATAL 21-24).
 */
import { SeverityNumber } from "@opentelemetry/api-logs";

/** A level's severity number and text (structlog's level name, the "original" text the OTel data model asks for). */
export interface Severity {
  readonly number: SeverityNumber;
  readonly text: string;
}

const TRACE: Severity = { number: SeverityNumber.TRACE, text: "trace" };
const DEBUG: Severity = { number: SeverityNumber.DEBUG, text: "debug" };
const INFO: Severity = { number: SeverityNumber.INFO, text: "info" };
const WARNING: Severity = { number: SeverityNumber.WARN, text: "warning" };
const ERROR: Severity = { number: SeverityNumber.ERROR, text: "error" };
const CRITICAL: Severity = { number: SeverityNumber.FATAL, text: "critical" };

/** By method name, as the bound logger calls the chain (`warn` is `warning`, `exception` is `error`, `fatal` is `critical`). */
const BY_METHOD: Readonly<Record<string, Severity>> = Object.freeze({
  trace: TRACE,
  debug: DEBUG,
  info: INFO,
  warning: WARNING,
  warn: WARNING,
  error: ERROR,
  exception: ERROR,
  critical: CRITICAL,
  fatal: CRITICAL,
});

/** The severity of a log call by its method name; an unknown method is INFO. */
export function severityOf(method: string): Severity {
  return (Object.hasOwn(BY_METHOD, method) ? BY_METHOD[method] : undefined) ?? INFO;
}
