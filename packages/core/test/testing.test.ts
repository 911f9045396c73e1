import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { configure, contextvars, getLogger, makeFilteringBoundLogger, processors, resetDefaults, wrapLogger } from "../src/index.js";
import { CapturingLogger, captureLogs, captureReports, capturingLoggerFactory, LogCapture, ReturnLogger } from "../src/testing.js";

afterEach(() => resetDefaults());

describe("captureLogs()", () => {
  it("returns the event dicts with log_level added", () => {
    const logs = captureLogs(() => getLogger().bind({ a: 1 }).warning("careful", { b: 2 }));
    expect(logs).toEqual([{ a: 1, b: 2, event: "careful", log_level: "warning" }]);
  });

  it("captures lines of a logger that resolved before the capture started", () => {
    configure({ loggerFactory: capturingLoggerFactory() });
    const log = getLogger("cached");
    log.info("warm");
    expect(captureLogs(() => log.info("captured"))).toEqual([{ event: "captured", log_level: "info" }]);
  });

  it("captures lines of a logger bound before the capture started", () => {
    const bound = getLogger().bind({ order_id: 7 });
    expect(captureLogs(() => bound.info("captured"))).toEqual([{ order_id: 7, event: "captured", log_level: "info" }]);
  });

  it("writes nothing of what it captures", () => {
    const factory = capturingLoggerFactory();
    configure({ loggerFactory: factory });
    captureLogs(() => getLogger().info("captured"));
    expect(factory.calls).toEqual([]);
  });

  it("lets lines logged outside its async context through while it runs", async () => {
    const factory = capturingLoggerFactory();
    configure({ processors: [processors.jsonRenderer()], loggerFactory: factory });
    let release = () => {};
    const running = captureLogs(() => new Promise<void>((resolve) => (release = resolve)));
    getLogger().info("outside");
    release();
    await running;
    expect(factory.calls.map((c) => c.rendered)).toEqual(['{"event":"outside"}']);
  });

  it("stops capturing when it returns", async () => {
    const factory = capturingLoggerFactory();
    configure({ processors: [processors.jsonRenderer()], loggerFactory: factory });
    captureLogs(() => getLogger().info("sync"));
    await captureLogs(async () => getLogger().info("async"));
    getLogger().info("after");
    expect(factory.calls.map((c) => c.rendered)).toEqual(['{"event":"after"}']);
  });

  it("captures async code", async () => {
    const logs = await captureLogs(async () => {
      await sleep(1);
      getLogger().info("later");
    });
    expect(logs).toEqual([{ event: "later", log_level: "info" }]);
  });

  it("keeps concurrent captures apart", async () => {
    const [a, b] = await Promise.all([
      captureLogs(async () => {
        await sleep(3);
        getLogger().info("a");
      }),
      captureLogs(async () => {
        await sleep(1);
        getLogger().info("b");
      }),
    ]);
    expect([a.map((e) => e.event), b.map((e) => e.event)]).toEqual([["a"], ["b"]]);
  });

  it("runs the processors it is given, e.g. to merge context variables", () => {
    const logs = contextvars.boundContextVars({ request_id: "r1" }, () =>
      captureLogs(() => getLogger().info("x"), { processors: [contextvars.mergeContextVars] }),
    );
    expect(logs[0]).toMatchObject({ request_id: "r1" });
  });

  it("does not capture levels filtered out by the wrapper class", () => {
    configure({ wrapperClass: makeFilteringBoundLogger("info") });
    expect(captureLogs(() => getLogger().debug("hidden"))).toEqual([]);
  });

  it("rethrows what fn throws", () => {
    expect(() =>
      captureLogs(() => {
        throw new Error("inside");
      }),
    ).toThrow("inside");
  });
});

describe("captureReports()", () => {
  const boom = () => {
    throw new Error("broken");
  };

  it("returns what went to the fallback channel instead of stderr", () => {
    const log = wrapLogger(new CapturingLogger(), { processors: [boom, processors.jsonRenderer()] });
    expect(captureReports(() => log.info("x"))).toEqual(["structlog: processor boom failed: Error: broken (reported once)"]);
  });

  it("sees a report again that was already made before it", () => {
    const log = wrapLogger(new CapturingLogger(), { processors: [boom, processors.jsonRenderer()] });
    captureReports(() => log.info("x"));
    expect(captureReports(() => log.info("x"))).toHaveLength(1);
  });

  it("reports each failure once within one capture", () => {
    const log = wrapLogger(new CapturingLogger(), { processors: [boom, processors.jsonRenderer()] });
    expect(
      captureReports(() => {
        log.info("x");
        log.info("y");
      }),
    ).toHaveLength(1);
  });

  it("captures async code", async () => {
    const log = wrapLogger(new CapturingLogger(), { processors: [boom, processors.jsonRenderer()] });
    const reports = await captureReports(async () => {
      await sleep(1);
      log.info("x");
    });
    expect(reports).toHaveLength(1);
  });
});

describe("LogCapture", () => {
  it("is a processor that keeps the event dicts with log_level and drops the events", () => {
    const cap = new LogCapture();
    const out = new CapturingLogger();
    wrapLogger(out, { processors: [processors.addLogLevel, cap.processor] }).warn("w", { a: 1 });
    expect([cap.entries, out.calls]).toEqual([[{ a: 1, level: "warning", event: "w", log_level: "warning" }], []]);
  });
});

describe("ReturnLogger", () => {
  it("makes the log call return its rendered line", () => {
    const log = wrapLogger(new ReturnLogger(), { processors: [processors.jsonRenderer()] });
    expect(log.info("hi")).toBe('{"event":"hi"}');
  });
});

describe("CapturingLogger", () => {
  it("records the rendered line and the method name", () => {
    const out = new CapturingLogger();
    wrapLogger(out, { processors: [processors.jsonRenderer()] }).warn("w");
    expect(out.calls).toEqual([{ methodName: "warn", rendered: '{"event":"w"}' }]);
  });
});
