import * as structlog from "@structlog/core";
import { captureReports } from "@structlog/core/testing";
import Fastify from "fastify";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { asFastifyLogger } from "../src/index.js";
import { captureOutput, listen } from "./helpers.js";

let out: ReturnType<typeof captureOutput>;
beforeEach(() => {
  out = captureOutput();
});
afterEach(() => {
  structlog.resetDefaults();
});

describe("asFastifyLogger()", () => {
  it("has every method of Fastify's logger contract", () => {
    const log = asFastifyLogger();
    for (const method of ["info", "error", "debug", "fatal", "warn", "trace", "child", "silent"] as const) {
      expect(typeof log[method]).toBe("function");
    }
    expect(log.level).toBe("trace");
  });

  it("is accepted by Fastify as loggerInstance, and Fastify's startup line goes through the processors", async () => {
    const app = Fastify({ loggerInstance: asFastifyLogger(structlog.getLogger("fastify")) });
    await listen(app);
    await app.close();
    expect(out.lines()[0]).toEqual({
      event: "server_listening",
      address: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      level: "info",
    });
  });

  it("logs at each of Fastify's levels", () => {
    const log = asFastifyLogger();
    log.trace("t");
    log.debug("d");
    log.info("i");
    log.warn("w");
    log.error("e");
    log.fatal("f");
    log.silent("s");
    expect(out.lines().map((l) => l.level)).toEqual(["trace", "debug", "info", "warning", "error", "critical"]);
  });

  it("filters by level, set as pino sets it", () => {
    const log = asFastifyLogger();
    log.level = "warn";
    log.info("dropped");
    log.warn("kept");
    expect(log.level).toBe("warn");
    expect(log.isLevelEnabled("info")).toBe(false);
    expect(out.lines().map((l) => l.event)).toEqual(["kept"]);
  });

  it("takes a level option without changing the logger it wraps", () => {
    const inner = structlog.getLogger("x");
    const log = asFastifyLogger(inner, { level: "error" });
    log.warn("dropped");
    inner.warn("kept");
    expect(out.lines().map((l) => l.event)).toEqual(["kept"]);
  });

  it("throws at once for an unknown level, naming the valid ones", () => {
    expect(() => asFastifyLogger(undefined, { level: "loud" })).toThrow(/Unknown log level "loud": use one of/);
    expect(() => {
      asFastifyLogger().level = "loud";
    }).toThrow(/Unknown log level/);
  });

  it("makes children with bindings and a level, as Fastify does for each request", () => {
    const log = asFastifyLogger();
    const child = log.child({ reqId: "r-1" }, { level: "warn" });
    child.info("dropped");
    child.warn({ a: 1 }, "kept");
    log.info("parent");
    expect(out.lines()).toEqual([
      { reqId: "r-1", a: 1, event: "kept", level: "warning" },
      { event: "parent", level: "info" },
    ]);
  });

  it("serializes raw Node requests and responses under req and res", async () => {
    const log = asFastifyLogger();
    const app = Fastify();
    app.get("/p", (request, reply) => {
      log.info({ req: request.raw, res: reply.raw }, "raw");
      reply.send("ok");
    });
    await app.inject({ url: "/p?q=1", headers: { cookie: "sid=1" } });
    const [line] = out.lines();
    expect(line?.req).toMatchObject({ method: "GET", url: "/p?q=1", headers: { cookie: "[Redacted]" } });
    expect(line?.res).toEqual({ statusCode: null, headers: {} });
  });

  it("leaves values under req and res that are not requests or responses alone", () => {
    asFastifyLogger().info({ req: { method: "GET", headers: { cookie: "not a request" } }, res: 5 }, "plain");
    expect(out.lines()[0]).toMatchObject({ req: { method: "GET", headers: { cookie: "not a request" } }, res: 5 });
  });

  it("applies its serializers option and a child's serializers, as route logSerializers do", () => {
    const log = asFastifyLogger(undefined, { serializers: { user: (u: { id: number; password: string }) => ({ id: u.id }) } });
    log.info({ user: { id: 1, password: "p" } }, "login");
    log
      .child({}, { serializers: { order: (o: { id: string }) => o.id } })
      .info({ order: { id: "o-1" }, user: { id: 2, password: "q" } }, "order");
    expect(out.lines()).toEqual([
      { user: { id: 1 }, event: "login", level: "info" },
      { order: "o-1", user: { id: 2 }, event: "order", level: "info" },
    ]);
  });

  it("exposes its serializers, so Fastify puts them over its own", () => {
    expect(Object.keys(asFastifyLogger().serializers).sort()).toEqual(["req", "res"]);
  });

  it("still writes the line when a serializer throws, and reports the serializer once", () => {
    const log = asFastifyLogger(undefined, {
      serializers: {
        user: () => {
          throw new Error("bad serializer");
        },
      },
    });
    const reports = captureReports(() => log.info({ user: 1 }, "still here"));
    expect(reports).toEqual([expect.stringMatching(/the "user" serializer failed: Error: bad serializer/)]);
    expect(out.lines()).toEqual([{ user: "[Unserializable: the user serializer threw]", event: "still here", level: "info" }]);
  });

  it("never throws out of a log call, even for fields that cannot be read", () => {
    const hostile = new Proxy(
      {},
      {
        has: () => {
          throw new Error("trap");
        },
        getOwnPropertyDescriptor: () => {
          throw new Error("trap");
        },
        ownKeys: () => {
          throw new Error("trap");
        },
        get: () => {
          throw new Error("trap");
        },
      },
    );
    expect(() => asFastifyLogger().info(hostile, "still logged")).not.toThrow();
    expect(out.lines()).toHaveLength(1);
  });

  it("uses the error's message as the event for pino's log.error({ err })", () => {
    asFastifyLogger().error({ err: new Error("db down") });
    expect(out.lines()[0]).toMatchObject({ event: "db down", err: { type: "Error", message: "db down" } });
  });

  it("keeps structlog's methods, each returning a Fastify logger", () => {
    const log = asFastifyLogger().bind({ a: 1 }).new({ b: 2 }).bind({ c: 3 }).unbind("c");
    log.child({ d: 4 }).warning("x", { e: 5 });
    expect(out.lines()).toEqual([{ b: 2, d: 4, e: 5, event: "x", level: "warning" }]);
    expect(typeof log.child({}).child).toBe("function");
  });

  it("rejects what is not a structlog logger, and bad serializers, at once", () => {
    expect(() => asFastifyLogger({} as never)).toThrow(/needs a structlog logger/);
    expect(() => asFastifyLogger(undefined, { serializers: { user: "id" as never } })).toThrow(/"user" is not a function/);
  });
});
