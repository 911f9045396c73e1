/**
 * presets.ecs() against @elastic/ecs-pino-format (on real pino 10): the
 * same call gives the same ECS field names, and the same values, on both.
 */
import { createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { ecsFormat } from "@elastic/ecs-pino-format";
import pinoLogger from "pino";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { boundContextVars } from "../../src/context.js";
import { serializeRequest, serializeResponse } from "../../src/http/serializers.js";
import { ECS_VERSION, ecs } from "../../src/presets/index.js";
import { flatten, pinoDestination, presetLogger } from "./helpers.js";

const SERVICE = { serviceName: "shop", serviceVersion: "1.2.3", serviceEnvironment: "production", serviceNodeName: "node-1" };

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2026-05-02T10:00:00.123Z"));
});
afterEach(() => vi.useRealTimers());

function ecsPino(options: Parameters<typeof ecsFormat>[0] = {}, name = "orders") {
  const dest = pinoDestination();
  const log = pinoLogger({ ...ecsFormat({ apmIntegration: false, ...options }), name, level: "trace" }, dest.stream);
  return { log, lines: dest.lines };
}

/** pino and ecs-pino-format write pino's level names; ours are structlog's. Only there do the lines differ. */
const PINO_LEVEL: Record<string, string> = { warning: "warn", critical: "fatal" };
function withPinoLevel(line: Record<string, unknown>): Record<string, unknown> {
  const level = line["log.level"] as string;
  return { ...line, "log.level": PINO_LEVEL[level] ?? level };
}

describe("presets.ecs() against @elastic/ecs-pino-format", () => {
  it("writes the same fields for an event: @timestamp, log.level, message, ecs.version, log.logger, process.pid, host.hostname, service.*", () => {
    const ours = presetLogger(ecs(SERVICE), "orders");
    ours.log.info("order_paid", { order_id: 7, amount: 42.5 });
    const theirs = ecsPino(SERVICE);
    theirs.log.info({ order_id: 7, amount: 42.5 }, "order_paid");
    expect(ours.lines()).toEqual(theirs.lines());
    expect(ours.lines()[0]).toMatchObject({
      "@timestamp": "2026-05-02T10:00:00.123Z",
      "log.level": "info",
      message: "order_paid",
      "ecs.version": ECS_VERSION,
      "log.logger": "orders",
      "service.name": "shop",
      "event.dataset": "shop",
    });
  });

  it("writes every level under log.level, as structlog names it", () => {
    const ours = presetLogger(ecs(), "orders");
    const theirs = ecsPino();
    for (const [method, pinoMethod] of [
      ["debug", "debug"],
      ["info", "info"],
      ["warning", "warn"],
      ["error", "error"],
      ["critical", "fatal"],
    ] as const) {
      ours.log[method]("e");
      theirs.log[pinoMethod]("e");
    }
    expect(ours.lines().map(withPinoLevel)).toEqual(theirs.lines());
    expect(ours.lines().map((l) => l["log.level"])).toEqual(["debug", "info", "warning", "error", "critical"]);
  });

  it("writes an error as error.type, error.message and error.stack_trace", () => {
    const err = new TypeError("card expired");
    const ours = presetLogger(ecs(), "payments");
    ours.log.error("payment_failed", { exc_info: err });
    ours.log.error("payment_failed", { err });
    const theirs = ecsPino({}, "payments");
    theirs.log.error({ err }, "payment_failed");
    theirs.log.error({ err }, "payment_failed");
    expect(ours.lines()).toEqual(theirs.lines());
    expect(ours.lines()[0]?.error).toEqual({ type: "TypeError", message: "card expired", stack_trace: err.stack });
  });

  it("writes bound fields as ecs-pino-format writes child bindings", () => {
    const ours = presetLogger(ecs(SERVICE), "orders");
    ours.log.bind({ cart: { items: 2 } }).warning("slow_checkout");
    const theirs = ecsPino(SERVICE);
    theirs.log.child({ cart: { items: 2 } }).warn("slow_checkout");
    expect(ours.lines().map(withPinoLevel)).toEqual(theirs.lines());
  });

  it("writes the request line's http.*, url.*, client.* and user_agent.* as ecs-helpers does for the same request", async () => {
    let ours: Record<string, unknown> = {};
    let theirs: Record<string, unknown> = {};
    const server = createServer((req, res) => {
      res.setHeader("content-type", "application/json");
      res.setHeader("content-length", "2");
      res.end("{}", () => {
        const logger = presetLogger(ecs(), "http");
        boundContextVars({ request_id: "req-1" }, () =>
          logger.log.info("request_completed", {
            method: req.method,
            path: "/orders/7",
            status_code: res.statusCode,
            duration_ms: 1.5,
            response_size: 2,
            remote_address: req.socket.remoteAddress,
            req: serializeRequest(req),
            res: serializeResponse(res),
          }),
        );
        ours = logger.lines()[0] ?? {};
        const pinoEcs = ecsPino({ convertReqRes: true }, "http");
        pinoEcs.log.info({ req, res }, "request_completed");
        theirs = pinoEcs.lines()[0] ?? {};
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((resolve, reject) => {
      const headers = { "user-agent": "curl/8", "x-request-id": "req-1" };
      httpRequest({ port, host: "127.0.0.1", path: "/orders/7?expand=lines", headers, agent: false }, (res) => {
        res.resume();
        res.on("end", resolve);
      })
        .on("error", reject)
        .end();
    });
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    const oursFlat = flatten(ours);
    const theirsFlat = flatten(theirs);
    // Every field both write has the same value.
    const shared = Object.keys(theirsFlat).filter((k) => k in oursFlat);
    for (const key of shared) expect([key, oursFlat[key]]).toEqual([key, theirsFlat[key]]);
    expect(shared).toEqual(
      expect.arrayContaining([
        "http.request.method",
        "http.request.id",
        "http.request.headers.user-agent",
        "url.path",
        "url.query",
        "client.address",
        "client.ip",
        "client.port",
        "user_agent.original",
        "http.response.status_code",
        "http.response.headers.content-length",
        "http.response.body.bytes",
      ]),
    );
    // What ecs-helpers reads off the live request that the request line does not carry.
    expect(Object.keys(theirsFlat).filter((k) => !(k in oursFlat))).toEqual(["http.version", "url.full"]);
    // What we add: ECS fields ecs-pino-format does not write.
    expect(Object.keys(oursFlat).filter((k) => !(k in theirsFlat))).toEqual(["event.duration"]);
    expect(oursFlat["event.duration"]).toBe(1_500_000);
  });
});

describe("presets.ecs() mappings", () => {
  it("writes addTraceContext's ids as trace.id and span.id", () => {
    const { log, lines } = presetLogger(ecs({ base: null }));
    log.info("in_span", { trace_id: "4bf92f3577b34da6a3ce929d0e0e4736", span_id: "00f067aa0ba902b7", trace_flags: "01" });
    expect(lines()[0]).toEqual({
      "@timestamp": "2026-05-02T10:00:00.123Z",
      "log.level": "info",
      message: "in_span",
      "ecs.version": ECS_VERSION,
      "trace.id": "4bf92f3577b34da6a3ce929d0e0e4736",
      "span.id": "00f067aa0ba902b7",
    });
  });

  it("writes the request's context as http.request.id and user.id on every line of the request", () => {
    const { log, lines } = presetLogger(ecs({ base: null }), "inventory");
    boundContextVars({ request_id: "req-9", user_id: "u-1" }, () => log.info("stock_reserved", { sku: "A" }));
    expect(lines()[0]).toMatchObject({ http: { request: { id: "req-9" } }, user: { id: "u-1" }, sku: "A" });
    expect(lines()[0]).not.toHaveProperty("request_id");
  });

  it("adds to a bound object of the same name without changing the caller's object", () => {
    const user = { name: "alice" };
    const { log, lines } = presetLogger(ecs({ base: null }));
    log.info("hi", { user, user_id: 7 });
    expect(lines()[0]?.user).toEqual({ name: "alice", id: 7 });
    expect(user).toEqual({ name: "alice" });
  });

  it("leaves method, path and status_code alone on lines that are not the request line", () => {
    const { log, lines } = presetLogger(ecs({ base: null }));
    log.info("charged", { method: "card", path: "/tmp/x", status_code: 3 });
    expect(lines()[0]).toMatchObject({ method: "card", path: "/tmp/x", status_code: 3 });
  });

  it("maps the events named in requestEvents", () => {
    const { log, lines } = presetLogger(ecs({ base: null, requestEvents: ["http_done"] }));
    log.info("http_done", { status_code: 204 });
    expect(lines()[0]).toMatchObject({ http: { response: { status_code: 204 } } });
  });

  it("rejects an unknown option, naming the right one", () => {
    expect(() => ecs({ servicename: "x" } as never)).toThrow(/unknown option "servicename"; did you mean "serviceName"/);
  });

  it("rejects a service name that is not a string", () => {
    expect(() => ecs({ serviceName: 3 as never })).toThrow(/serviceName must be a non-empty string/);
  });
});
