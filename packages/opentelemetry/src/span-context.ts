/**
 * The active span's context, when it is valid: read through
 * `@opentelemetry/api` on every line, so it must be cheap.
 */
import { context, isSpanContextValid, type SpanContext, trace } from "@opentelemetry/api";

// isSpanContextValid runs two regular expressions (about 230 ns on Node 20,
// more than the rest of addTraceContext together), and every line of a span
// asks about the same SpanContext object: the answer is kept per object.
const validity = new WeakMap<SpanContext, boolean>();

/** Is `spanContext` valid (W3C: non-zero hex ids)? Remembered per SpanContext object. */
export function isValid(spanContext: SpanContext): boolean {
  let valid = validity.get(spanContext);
  if (valid === undefined) {
    valid = isSpanContextValid(spanContext);
    validity.set(spanContext, valid);
  }
  return valid;
}

/** The active span's context, or `undefined` outside a span or when it is invalid. */
export function activeSpanContext(): SpanContext | undefined {
  const spanContext = trace.getSpanContext(context.active());
  return spanContext !== undefined && isValid(spanContext) ? spanContext : undefined;
}
