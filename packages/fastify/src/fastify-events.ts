/**
 * Fastify's own log lines are sentences ("Server listening at http://…",
 * "Reply was already sent, did you forget …"). Through a structlog logger
 * they become events with fields, so a pipeline can query them: the
 * sentences of Fastify 5 (lib/server.js, lib/reply.js, lib/log-controller.js,
 * lib/route.js, lib/four-oh-four.js, lib/wrap-thenable.js, fastify.js), by
 * exact text or by the prefix of a sentence with a value in it.
 *
 * An app's own calls (`log.info("order_loaded")`) never match: the lookup
 * costs a Map miss and a few `startsWith` checks on the first character.
 */
import type { Fields } from "@structlog/core";

/** A Fastify sentence as an event: its name and the values the sentence carried. */
export interface FastifyEvent {
  readonly event: string;
  readonly fields?: Fields;
}

/** Sentences without values, by exact text. */
const EXACT = new Map<string, FastifyEvent>(
  (
    [
      ["incoming request", "request_started"],
      ["request completed", "request_completed"],
      ["request errored", "request_failed"],
      ["stream closed prematurely", "response_stream_closed_prematurely"],
      ["response terminated with an error with headers already sent", "response_stream_failed"],
      ["The serializer for the given status code failed", "response_serializer_failed"],
      ["request aborted - refusing to accept new requests as server is closing", "request_refused_server_closing"],
      ["stream payload does not end properly", "response_stream_incomplete"],
      ["response will send, but you shouldn't use res.writeHead in stream mode", "response_write_head_in_stream_mode"],
      ["Promise errored, but reply.sent = true was set", "handler_rejected_after_reply_sent"],
      ["onRequestAborted hook failed", "on_request_abort_hook_failed"],
      ["Error on Stream found for HEAD route", "head_route_stream_failed"],
      ["Trying to send a NotFound error inside a 404 handler. Sending basic 404 response.", "not_found_in_not_found_handler"],
      ["unhandled rejection on reply.then", "reply_then_rejected"],
      ["client error", "client_error"],
      ["client timeout", "client_timeout"],
      ["client header_overflow", "client_header_overflow"],
    ] as const
  ).map(([text, event]) => [text, { event }]),
);

const LISTENING = "Server listening at ";
const NOT_FOUND = /^Route ([A-Z]+):(.*) not found$/s;
const ALREADY_SENT = /^Reply was already sent, did you forget to "return reply" in the "(.*)" \(([A-Z]+)\) route\?$/s;

/** The event for one of Fastify's sentences, or undefined when `message` is not one. */
export function fastifyEvent(message: string): FastifyEvent | undefined {
  const exact = EXACT.get(message);
  if (exact !== undefined) return exact;
  const first = message.charCodeAt(0);
  if (first === 83 /* S */ && message.startsWith(LISTENING)) {
    return { event: "server_listening", fields: { address: message.slice(LISTENING.length) } };
  }
  if (first === 82 /* R */) {
    const notFound = NOT_FOUND.exec(message);
    if (notFound !== null) return { event: "route_not_found", fields: { method: notFound[1], url: notFound[2] } };
    const sent = ALREADY_SENT.exec(message);
    if (sent !== null) return { event: "reply_already_sent", fields: { url: sent[1], method: sent[2] } };
  }
  return undefined;
}

/** Fastify errors logged on their own (`log.warn({ err })`), named by their code. */
const ERROR_EVENTS: Readonly<Record<string, string>> = {
  FST_ERR_REP_ALREADY_SENT: "reply_already_sent",
};

/** The event for an error Fastify logs without a message, or undefined when it is not one of Fastify's. */
export function fastifyErrorEvent(err: Error): string | undefined {
  const code = (err as { code?: unknown }).code;
  return typeof code === "string" && Object.hasOwn(ERROR_EVENTS, code) ? ERROR_EVENTS[code] : undefined;
}
