import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fastifyEvent } from "../src/fastify-events.js";

describe("fastifyEvent()", () => {
  it("turns Fastify's listening sentence into server_listening with the address", () => {
    expect(fastifyEvent("Server listening at http://127.0.0.1:3000")).toEqual({
      event: "server_listening",
      fields: { address: "http://127.0.0.1:3000" },
    });
  });

  it("turns the not-found sentence into route_not_found with method and url", () => {
    expect(fastifyEvent("Route GET:/nope?x=1 not found")).toEqual({
      event: "route_not_found",
      fields: { method: "GET", url: "/nope?x=1" },
    });
  });

  it("turns the reply-already-sent warning into reply_already_sent with url and method", () => {
    const text = 'Reply was already sent, did you forget to "return reply" in the "/orders" (POST) route?';
    expect(fastifyEvent(text)).toEqual({ event: "reply_already_sent", fields: { url: "/orders", method: "POST" } });
  });

  it("turns Fastify's fixed sentences into snake_case events", () => {
    expect(fastifyEvent("incoming request")?.event).toBe("request_started");
    expect(fastifyEvent("stream payload does not end properly")?.event).toBe("response_stream_incomplete");
  });

  it("leaves an app's own snake_case events alone", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z][a-z0-9_]{0,30}$/), (event) => {
        expect(fastifyEvent(event)).toBeUndefined();
      }),
    );
  });
});
