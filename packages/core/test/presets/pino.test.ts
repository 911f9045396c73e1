/**
 * presets.pino() against real pino 10: for the same call, our line and
 * pino's own line parse to the same record (same clock, same process).
 */
import pinoLogger from "pino";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { boundContextVars } from "../../src/context.js";
import { pino } from "../../src/presets/index.js";
import { pinoDestination, presetLogger } from "./helpers.js";

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2026-05-02T10:00:00.123Z"));
});
afterEach(() => vi.useRealTimers());

/** Runs `ours` through presets.pino() and `theirs` through pino, and returns both parsed lines. */
function both(
  name: string | undefined,
  ours: (log: ReturnType<typeof presetLogger>["log"]) => void,
  theirs: (log: pinoLogger.Logger) => void,
) {
  const structlog = presetLogger(pino(), name);
  const dest = pinoDestination();
  const p = pinoLogger({ level: "trace", ...(name === undefined ? {} : { name }) }, dest.stream);
  ours(structlog.log);
  theirs(p);
  return { ours: structlog.lines(), theirs: dest.lines() };
}

describe("presets.pino() against pino 10", () => {
  it("writes the same record for an event with fields", () => {
    const { ours, theirs } = both(
      "api",
      (log) => log.info("user_login", { user_id: 42, roles: ["admin"], meta: { ip: "10.0.0.1" } }),
      (log) => log.info({ user_id: 42, roles: ["admin"], meta: { ip: "10.0.0.1" } }, "user_login"),
    );
    expect(ours).toEqual(theirs);
    expect(ours[0]).toMatchObject({ level: 30, time: Date.parse("2026-05-02T10:00:00.123Z"), msg: "user_login", name: "api" });
  });

  it("writes the same level numbers for every level", () => {
    const { ours, theirs } = both(
      "lv",
      (log) => {
        log.trace("t");
        log.debug("d");
        log.info("i");
        log.warning("w");
        log.warn("w2");
        log.error("e");
        log.critical("c");
        log.fatal("f");
      },
      (log) => {
        log.trace("t");
        log.debug("d");
        log.info("i");
        log.warn("w");
        log.warn("w2");
        log.error("e");
        log.fatal("c");
        log.fatal("f");
      },
    );
    expect(ours).toEqual(theirs);
    expect(ours.map((l) => l.level)).toEqual([10, 20, 30, 40, 40, 50, 60, 60]);
  });

  it("writes the same record for log.error(err)", () => {
    const err = new TypeError("bad input");
    const { ours, theirs } = both(
      "api",
      (log) => log.error(err),
      (log) => log.error(err),
    );
    expect(ours).toEqual(theirs);
  });

  it("writes exc_info as pino's err, as pino writes log.error({ err }, msg)", () => {
    const err = Object.assign(new Error("card declined"), { code: "E_CARD" });
    const { ours, theirs } = both(
      "payments",
      (log) => log.exception("payment_failed", { exc_info: err, order_id: 7 }),
      (log) => log.error({ order_id: 7, err }, "payment_failed"),
    );
    expect(ours).toEqual(theirs);
    expect(ours[0]?.err).toMatchObject({ type: "Error", message: "card declined", code: "E_CARD" });
  });

  it("writes an Error cause as pino does", () => {
    const err = new Error("outer", { cause: new Error("inner") });
    const { ours, theirs } = both(
      undefined,
      (log) => log.error("failed", { err }),
      (log) => log.error({ err }, "failed"),
    );
    expect(ours).toEqual(theirs);
  });

  it("writes bound fields as pino writes child bindings, and no name when the logger has none", () => {
    const { ours, theirs } = both(
      undefined,
      (log) => log.bind({ order_id: "ORD-1" }).info("order_paid", { amount: 42.5 }),
      (log) => log.child({ order_id: "ORD-1" }).info({ amount: 42.5 }, "order_paid"),
    );
    expect(ours).toEqual(theirs);
    expect(ours[0]).not.toHaveProperty("name");
  });

  it("writes pino's (obj, msg) call shape the same way", () => {
    const { ours, theirs } = both(
      "x",
      (log) => log.info({ a: 1 }, "hello %s", "world"),
      (log) => log.info({ a: 1 }, "hello %s", "world"),
    );
    expect(ours).toEqual(theirs);
  });
});

describe("presets.pino() and the request line", () => {
  it("writes the request id as Fastify's reqId on every line of the request", () => {
    const { log, lines } = presetLogger(pino(), "http");
    boundContextVars({ request_id: "req-1" }, () => log.info("order_loaded"));
    expect(lines()[0]).toMatchObject({ reqId: "req-1", msg: "order_loaded" });
    expect(lines()[0]).not.toHaveProperty("request_id");
  });

  it("writes the request line's fields in Fastify's shape: req, res.statusCode, responseTime", () => {
    const { log, lines } = presetLogger(pino(), "http");
    log.info("request_completed", {
      method: "GET",
      path: "/orders/7",
      route: "/orders/:id",
      status_code: 200,
      duration_ms: 3.25,
      remote_address: "127.0.0.1",
    });
    expect(lines()[0]).toMatchObject({
      req: { method: "GET", url: "/orders/7", remoteAddress: "127.0.0.1" },
      res: { statusCode: 200 },
      responseTime: 3.25,
      route: "/orders/:id",
      msg: "request_completed",
    });
    expect(lines()[0]).not.toHaveProperty("status_code");
  });

  it("leaves the same field names alone on any other line", () => {
    const { log, lines } = presetLogger(pino(), "payments");
    log.info("charged", { method: "card", status_code: 3 });
    expect(lines()[0]).toMatchObject({ method: "card", status_code: 3 });
  });

  it("keeps its own level, time and msg when a field has one of those names", () => {
    const { log, lines } = presetLogger(pino());
    log.warning("game_over", { level: 3, time: "3pm" });
    expect(lines()[0]).toMatchObject({ level: 40, time: Date.now(), msg: "game_over" });
  });
});

describe("presets.pino() options", () => {
  it("takes pino's base: null for no pid and hostname, or your own fields", () => {
    const none = presetLogger(pino({ base: null }));
    none.log.info("a");
    expect(Object.keys(none.lines()[0] ?? {})).toEqual(["level", "time", "msg"]);
    const own = presetLogger(pino({ base: { service: "shop" } }));
    own.log.info("b");
    expect(own.lines()[0]).toEqual({ level: 30, time: Date.now(), service: "shop", msg: "b" });
  });

  it("rejects an unknown option", () => {
    expect(() => pino({ messageKey: "m" } as never)).toThrow(/presets.pino\(\): unknown option "messageKey"/);
  });
});
