import { describe, expect, it } from "vitest";
import { BoundLogger, makeFilteringBoundLogger, wrapLogger } from "../src/index.js";
import { addLogLevel } from "../src/processors/level.js";
import { jsonRenderer } from "../src/renderers/json.js";
import { CapturingLogger, captureReports } from "../src/testing.js";
import { DropEvent, type EventDict } from "../src/types.js";
import { capturing } from "./helpers.js";
import { expectJsonLine } from "./reliability/checks.js";
import { revokedProxy } from "./renderers/helpers.js";

describe("bind()", () => {
  it("returns a new logger and leaves the parent unchanged", () => {
    const { log, dicts } = capturing();
    const child = log.bind({ a: 1 });
    log.info("parent");
    child.info("child");
    expect(dicts()).toEqual([{ event: "parent" }, { a: 1, event: "child" }]);
  });

  it("adds to the context already bound", () => {
    const { log, dicts } = capturing();
    log.bind({ order_id: "ORD-101", user_id: 42 }).bind({ item_count: 3 }).info("x");
    expect(dicts()[0]).toEqual({ order_id: "ORD-101", user_id: 42, item_count: 3, event: "x" });
  });

  it("overrides a bound key with a later bind", () => {
    const { log, dicts } = capturing();
    log.bind({ a: 1 }).bind({ a: 2 }).info("x");
    expect(dicts()[0]).toEqual({ a: 2, event: "x" });
  });

  it("keeps a __proto__ key as a plain field", () => {
    const { log, dicts } = capturing();
    log.bind(JSON.parse('{"__proto__": {"polluted": true}}')).info("x");
    const ed = dicts()[0] as EventDict;
    expect(Object.getPrototypeOf(ed)).toBe(Object.prototype);
    expect(Object.keys(ed)).toContain("__proto__");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("new()", () => {
  it("starts from a fresh context with only the given fields", () => {
    const { log, dicts } = capturing();
    log.bind({ a: 1 }).new({ b: 2 }).info("x");
    expect(dicts()[0]).toEqual({ b: 2, event: "x" });
  });
});

describe("unbind()", () => {
  it("removes bound keys", () => {
    const { log, dicts } = capturing();
    log.bind({ a: 1, b: 2 }).unbind("a").info("x");
    expect(dicts()[0]).toEqual({ b: 2, event: "x" });
  });

  it("throws on a key that is not bound, naming tryUnbind", () => {
    const { log } = capturing();
    expect(() => log.bind({ a: 1 }).unbind("b")).toThrow(/"b" is not bound; use tryUnbind/);
  });
});

describe("tryUnbind()", () => {
  it("ignores keys that are not bound", () => {
    const { log, dicts } = capturing();
    log.bind({ a: 1 }).tryUnbind("a", "missing").info("x");
    expect(dicts()[0]).toEqual({ event: "x" });
  });
});

describe("log()", () => {
  it("logs an unknown level at info, with a structlog_error field saying so", () => {
    const { log, out } = capturing();
    captureReports(() => log.log("verbose", "x", { a: 1 }));
    expect(out.calls[0]).toEqual({
      methodName: "info",
      rendered: { a: 1, structlog_error: 'log(): unknown level "verbose", logged at info', event: "x" },
    });
  });

  it("reports each unknown level once on stderr", () => {
    const { log } = capturing();
    const reports = captureReports(() => {
      log.log("verbose", "x");
      log.log("verbose", "y");
      log.log("notice", "z");
    });
    expect(reports).toEqual([
      expect.stringMatching(/^structlog: log\("verbose"\) failed: TypeError: Unknown log level "verbose": use one of trace/),
      expect.stringMatching(/^structlog: log\("notice"\) failed/),
    ]);
  });

  it("logs a number between levels with the method below it", () => {
    const { log, out } = capturing();
    log.log(25, "x");
    expect(out.calls[0]?.methodName).toBe("info");
  });

  it("logs at the level named by log(level, …)", () => {
    const { log, out } = capturing();
    log.log("warning", "x");
    expect(out.calls[0]?.methodName).toBe("warning");
  });
});

describe("methods", () => {
  it.each([
    ["trace", "trace"],
    ["debug", "debug"],
    ["info", "info"],
    ["warning", "warning"],
    ["warn", "warning"],
    ["error", "error"],
    ["exception", "error"],
    ["critical", "critical"],
    ["fatal", "critical"],
  ] as const)("%s() logs at level %s", (method, level) => {
    const { log, dicts } = capturing([addLogLevel]);
    captureReports(() => log[method]("x"));
    expect(dicts()[0]?.level).toBe(level);
  });
});

describe("exception()", () => {
  it("notes once on stderr that it logs no exception when given no error", () => {
    const { log } = capturing();
    const reports = captureReports(() => {
      log.exception("failed");
      log.exception("failed", { exc_info: true });
    });
    expect(reports).toEqual([
      expect.stringMatching(/^structlog: note: exc_info: true, or log.exception\(\) without an error, logs no exception/),
    ]);
  });

  it("notes nothing when given the error", () => {
    const { log, dicts } = capturing();
    const err = new Error("boom");
    const reports = captureReports(() => {
      log.exception("failed", err);
      log.exception("failed", { exc_info: err });
    });
    expect([reports, dicts().map((d) => d.exc_info)]).toEqual([[], [err, err]]);
  });
});

describe("makeFilteringBoundLogger()", () => {
  it("skips calls below its level", () => {
    const { log, dicts } = capturing([], { wrapperClass: makeFilteringBoundLogger("info") });
    log.debug("hidden");
    log.info("shown");
    expect(dicts().map((d) => d.event)).toEqual(["shown"]);
  });

  it("builds no event dict and runs no processor for a filtered call", () => {
    let ran = 0;
    const counting = (_l: unknown, _m: string, ed: EventDict) => {
      ran++;
      return ed;
    };
    const { log } = capturing([counting], { wrapperClass: makeFilteringBoundLogger("error") });
    const fields = {
      get expensive() {
        throw new Error("fields were read");
      },
    };
    log.debug("x", fields);
    log.info("x", fields);
    expect(ran).toBe(0);
  });

  it("replaces filtered methods with shared filtered ones on the prototype", () => {
    const Cls = makeFilteringBoundLogger("info");
    expect(Cls.prototype.debug).toBe(makeFilteringBoundLogger("warning").prototype.debug);
    expect(Cls.prototype.debug).not.toBe(BoundLogger.prototype.debug);
    expect(Cls.prototype.info).toBe(BoundLogger.prototype.info);
  });

  it("keeps its level across bind()", () => {
    const { log, dicts } = capturing([], { wrapperClass: makeFilteringBoundLogger("warning") });
    log.bind({ a: 1 }).info("hidden");
    expect(dicts()).toEqual([]);
  });

  it("throws on an unknown level, listing the valid ones", () => {
    expect(() => makeFilteringBoundLogger("verbose")).toThrow(/Unknown log level "verbose": use one of trace, debug, info/);
  });

  it("answers isEnabledFor()", () => {
    const { log } = capturing([], { wrapperClass: makeFilteringBoundLogger("info") });
    expect([log.isEnabledFor("debug"), log.isEnabledFor("info"), log.isEnabledFor("error")]).toEqual([false, true, true]);
  });
});

describe("pino compatibility", () => {
  it("reports its level with pino's names", () => {
    const { log } = capturing([], { wrapperClass: makeFilteringBoundLogger("warning") });
    expect(log.level).toBe("warn");
  });

  it("child(bindings) binds like bind()", () => {
    const { log, dicts } = capturing();
    log.child({ reqId: "r1" }).info("x");
    expect(dicts()[0]).toEqual({ reqId: "r1", event: "x" });
  });

  it("child(bindings, { level }) filters at the new level", () => {
    const { log, dicts } = capturing();
    const quiet = log.child({}, { level: "error" });
    quiet.info("hidden");
    quiet.error("shown");
    expect(dicts().map((d) => d.event)).toEqual(["shown"]);
    expect(quiet.level).toBe("error");
  });

  it("setting level changes what this logger logs", () => {
    const { log } = capturing();
    const bound = log.bind({});
    bound.level = "warn";
    expect([bound.isLevelEnabled("info"), bound.isLevelEnabled("warn")]).toEqual([false, true]);
  });

  it("has the methods Fastify's logger contract checks", () => {
    const { log } = capturing();
    for (const m of ["info", "error", "debug", "fatal", "warn", "trace", "child", "silent"] as const) {
      expect(typeof log[m]).toBe("function");
    }
  });
});

describe("a failing processor", () => {
  it("still gives one JSON line when the event holds a value that cannot be inspected", () => {
    const boom = () => {
      throw new Error("processor");
    };
    const out = new CapturingLogger();
    const log = wrapLogger(out, { processors: [boom, jsonRenderer()] });
    captureReports(() => log.info("e", { v: revokedProxy() }));
    expect(out.calls).toHaveLength(1);
    expect(expectJsonLine(out.calls[0]?.rendered)).toMatchObject({ event: "e", structlog_error: expect.stringContaining("processor") });
  });
  it("never throws out of the log call and still writes the line", () => {
    const out = new CapturingLogger();
    const boom = () => {
      throw new Error("processor broke");
    };
    const log = new BoundLogger(out, [boom, () => "unreachable"], {});
    const reports = captureReports(() => expect(() => log.info("still_logged", { a: 1 })).not.toThrow());
    expect(reports).toEqual(["structlog: processor boom failed: Error: processor broke (reported once)"]);
    const line = JSON.parse(out.calls[0]?.rendered as string);
    expect(line).toMatchObject({ a: 1, event: "still_logged", structlog_error: "processor boom threw: Error: processor broke" });
  });
});

describe("a processor that does not return the event dict", () => {
  const addHost = (_l: unknown, _m: string, ed: EventDict) => {
    ed.host = "web-1"; // and no return: the most common slip in a hand-written processor
  };

  it("is named in the report when it returns nothing, and the line keeps the event and what it added", () => {
    const out = new CapturingLogger();
    const log = wrapLogger(out, { processors: [addHost as never, addLogLevel, jsonRenderer()] });
    const reports = captureReports(() => log.info("user_login", { user_id: 42 }));
    expect(reports).toEqual([
      "structlog: processor addHost failed: TypeError: it returned undefined, not the event dict: return eventDict (or DropEvent) (reported once)",
    ]);
    expect(JSON.parse(out.calls[0]?.rendered as string)).toMatchObject({ user_id: 42, event: "user_login", host: "web-1" });
  });

  it("is reported when it returns a Promise (processors run synchronously), and the event is still written, not lost", async () => {
    const out = new CapturingLogger();
    const lookUp = async (_l: unknown, _m: string, ed: EventDict) => {
      throw new Error(`no user ${ed.user_id}`);
    };
    const log = wrapLogger(out, { processors: [lookUp as never, addLogLevel, jsonRenderer()] });
    const reports = captureReports(() => log.info("user_login", { user_id: 42 }));
    expect(reports).toEqual([expect.stringContaining("structlog: processor lookUp failed: TypeError: it returned a Promise")]);
    expect(JSON.parse(out.calls[0]?.rendered as string)).toMatchObject({ user_id: 42, event: "user_login" });
    // Its rejection is handled: no unhandled rejection takes the process down.
    await new Promise((resolve) => setImmediate(resolve));
  });
});

describe("DropEvent", () => {
  it("stops the chain and writes nothing", () => {
    const { log, out } = capturing([(_l, _m, ed) => (ed.event === "noise" ? DropEvent : ed)]);
    log.info("noise");
    log.info("signal");
    expect(out.calls.map((c) => (c.rendered as EventDict).event)).toEqual(["signal"]);
  });
});
