import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { contextvars, type Logger, makeFilteringBoundLogger, processors, withLogControl, wrapLogger } from "../src/index.js";
import { jsonRenderer } from "../src/renderers/json.js";
import { currentLogControl } from "../src/scope-control.js";
import { scopeHook } from "../src/scope-hook.js";
import { CapturingLogger, captureLogs, captureReports } from "../src/testing.js";
import { capturing } from "./helpers.js";

const atInfo = { wrapperClass: makeFilteringBoundLogger("info") };

function events(dicts: () => Record<string, unknown>[]): unknown[] {
  return dicts().map((d) => d.event);
}

describe("withLogControl({ level })", () => {
  it("lowers the level of a logger filtered by its class inside the scope", () => {
    const { log, dicts } = capturing([], atInfo);
    withLogControl({ level: "debug" }, () => log.debug("inside"));
    log.debug("outside");
    expect(events(dicts)).toEqual(["inside"]);
  });

  it("raises the level of every logger inside the scope", () => {
    const { log, dicts } = capturing();
    withLogControl({ level: "warning" }, () => {
      log.info("dropped");
      log.warning("kept");
    });
    expect(events(dicts)).toEqual(["kept"]);
  });

  it("replaces a level set on the logger itself", () => {
    const { log, dicts } = capturing();
    const quiet = log.child({}, { level: "error" });
    withLogControl({ level: "debug" }, () => quiet.debug("inside"));
    expect(events(dicts)).toEqual(["inside"]);
  });

  it("is what isEnabledFor() and level report inside the scope", () => {
    const { log } = capturing([], atInfo);
    const inside = withLogControl({ level: "debug" }, () => [log.isEnabledFor("debug"), log.level]);
    expect(inside).toEqual([true, "debug"]);
    expect([log.isEnabledFor("debug"), log.level]).toEqual([false, "info"]);
  });

  it("applies to log(level, …) calls", () => {
    const { log, dicts } = capturing([], atInfo);
    withLogControl({ level: "debug" }, () => log.log("debug", "inside"));
    expect(events(dicts)).toEqual(["inside"]);
  });

  it("follows the scope across await and timers", async () => {
    const { log, dicts } = capturing([], atInfo);
    await withLogControl({ level: "debug" }, async () => {
      await sleep(1);
      await new Promise<void>((resolve) =>
        setTimeout(() => {
          log.debug("from_timer");
          resolve();
        }, 1),
      );
    });
    expect(events(dicts)).toEqual(["from_timer"]);
  });

  it("keeps two concurrent scopes apart", async () => {
    const { log, dicts } = capturing([], atInfo);
    await Promise.all([
      withLogControl({ level: "debug" }, async () => {
        await sleep(2);
        log.debug("a");
      }),
      withLogControl({ level: "error" }, async () => {
        await sleep(1);
        log.debug("b");
        log.info("b");
      }),
    ]);
    expect(events(dicts)).toEqual(["a"]);
  });

  it("no longer applies once the scope has ended", async () => {
    const { log, dicts } = capturing([], atInfo);
    let later: () => void = () => undefined;
    withLogControl({ level: "debug" }, () => {
      later = () => log.debug("after_end");
    });
    await withLogControl({ level: "error" }, async () => undefined); // another scope open meanwhile changes nothing
    later();
    expect(events(dicts)).toEqual([]);
  });

  it("leaves no scope counted once every scope has ended", async () => {
    const before = scopeHook.active;
    withLogControl({ level: "debug" }, () => undefined);
    await withLogControl({ level: "debug" }, async () => sleep(1));
    expect(() =>
      withLogControl({ level: "debug" }, () => {
        throw new Error("x");
      }),
    ).toThrow("x");
    expect(scopeHook.active).toBe(before);
  });

  it("keeps the enclosing scope's context variables, and its own bindings stay inside", () => {
    const { log, dicts } = capturing([contextvars.mergeContextVars]);
    contextvars.boundContextVars({ request_id: "r1" }, () => {
      withLogControl({ level: "debug" }, () => {
        contextvars.bindContextVars({ step: 1 });
        log.info("inside");
      });
      log.info("after");
    });
    expect(dicts()).toEqual([
      { request_id: "r1", step: 1, event: "inside" },
      { request_id: "r1", event: "after" },
    ]);
  });

  it("reaches scopes that boundContextVars() opens inside it", () => {
    const { log, dicts } = capturing([], atInfo);
    withLogControl({ level: "debug" }, () => contextvars.boundContextVars({ a: 1 }, () => log.debug("nested")));
    expect(events(dicts)).toEqual(["nested"]);
  });
});

describe("withLogControl({ holdBelow })", () => {
  it("discards the held lines when fn returns", () => {
    const { log, dicts } = capturing([], atInfo);
    withLogControl({ holdBelow: "info" }, () => {
      log.debug("held");
      log.info("written");
    });
    expect(events(dicts)).toEqual(["written"]);
  });

  it("writes the held lines, in order, before the line at the flush level", () => {
    const { log, dicts } = capturing([], atInfo);
    withLogControl({ holdBelow: "info" }, () => {
      log.debug("one");
      log.info("two");
      log.debug("three");
      log.error("failed");
    });
    expect(events(dicts)).toEqual(["two", "one", "three", "failed"]);
  });

  it("writes later lines of the scope directly once released", () => {
    const { log, dicts } = capturing([], atInfo);
    withLogControl({ holdBelow: "info" }, () => {
      log.error("failed");
      log.debug("after");
    });
    expect(events(dicts)).toEqual(["failed", "after"]);
  });

  it("writes the held lines when fn throws, and rethrows", () => {
    const { log, dicts } = capturing([], atInfo);
    expect(() =>
      withLogControl({ holdBelow: "info" }, () => {
        log.debug("held");
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(events(dicts)).toEqual(["held"]);
  });

  it("writes the held lines when fn's promise rejects", async () => {
    const { log, dicts } = capturing([], atInfo);
    await expect(
      withLogControl({ holdBelow: "info" }, async () => {
        log.debug("held");
        await sleep(1);
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(events(dicts)).toEqual(["held"]);
  });

  it("discards the held lines when fn's promise resolves, and returns its value", async () => {
    const { log, dicts } = capturing([], atInfo);
    const value = await withLogControl({ holdBelow: "info" }, async () => {
      log.debug("held");
      await sleep(1);
      return 42;
    });
    expect(value).toBe(42);
    expect(events(dicts)).toEqual([]);
  });

  it("keeps each line as rendered at the call: its timestamp, and its values as they were", () => {
    const { log, lines } = capturing([processors.timeStamper({ fmt: "iso" })], { ...atInfo, renderer: "json" });
    const cart = { items: 1 };
    let stampedAt = "";
    withLogControl({ holdBelow: "info" }, () => {
      log.debug("cart", { cart });
      stampedAt = new Date().toISOString();
      cart.items = 2;
      const until = Date.now() + 5;
      while (Date.now() < until) {
        // let the clock move, so a timestamp taken at flush would differ
      }
      log.error("failed");
    });
    const held = JSON.parse(lines()[0] as string);
    expect(held.cart).toEqual({ items: 1 });
    expect(held.timestamp <= stampedAt).toBe(true);
    expect(held.timestamp < JSON.parse(lines()[1] as string).timestamp).toBe(true);
  });

  it("holds at most maxHeld lines, dropping the oldest, and says how many on the first line written", () => {
    const { log, lines } = capturing([], { ...atInfo, renderer: "json" });
    withLogControl({ holdBelow: "info", maxHeld: 2 }, () => {
      for (let i = 1; i <= 5; i++) log.debug(`d${i}`);
      log.error("failed");
    });
    expect(lines()).toEqual(['{"event":"d4","held_dropped":3}', '{"event":"d5"}', '{"event":"failed"}']);
  });

  it("holds at most maxHeldBytes of rendered lines, dropping the oldest", () => {
    const { log, lines } = capturing([], { ...atInfo, renderer: "json" });
    withLogControl({ holdBelow: "info", maxHeldBytes: 40 }, () => {
      log.debug("aaaaaaaaaa"); // {"event":"aaaaaaaaaa"} is 22 bytes
      log.debug("bbbbbbbbbb");
      log.error("failed");
    });
    expect(lines()).toEqual(['{"event":"bbbbbbbbbb","held_dropped":1}', '{"event":"failed"}']);
  });

  it("counts bytes in UTF-8, not in UTF-16 code units", () => {
    const { log, lines } = capturing([], { ...atInfo, renderer: "json" });
    withLogControl({ holdBelow: "info", maxHeldBytes: 30 }, () => {
      log.debug("ééééééééé"); // 15 characters of JSON, 24 bytes
      log.debug("x");
      log.error("failed");
    });
    expect(lines()).toEqual(['{"event":"x","held_dropped":1}', '{"event":"failed"}']);
  });

  it("drops a line larger than maxHeldBytes on its own, keeping the rest", () => {
    const { log, lines } = capturing([], { ...atInfo, renderer: "json" });
    withLogControl({ holdBelow: "info", maxHeldBytes: 30 }, () => {
      log.debug("a");
      log.debug("x".repeat(100));
      log.error("failed");
    });
    expect(lines()).toEqual(['{"event":"a","held_dropped":1}', '{"event":"failed"}']);
  });

  it("writes what a line at flushLevel releases, when flushLevel is lowered", () => {
    const { log, dicts } = capturing([], atInfo);
    withLogControl({ holdBelow: "info", flushLevel: "warning" }, () => {
      log.debug("held");
      log.warning("careful");
    });
    expect(events(dicts)).toEqual(["held", "careful"]);
  });

  it("holds only lines at or above level", () => {
    const { log, dicts } = capturing([], atInfo);
    withLogControl({ holdBelow: "info", level: "debug" }, () => {
      log.trace("never");
      log.debug("held");
      log.error("failed");
    });
    expect(events(dicts)).toEqual(["held", "failed"]);
  });

  it("keeps two concurrent scopes' held lines apart", async () => {
    const { log, dicts } = capturing([], atInfo);
    await Promise.all([
      withLogControl({ holdBelow: "info" }, async () => {
        log.debug("a1");
        await sleep(2);
        log.error("a_failed");
      }),
      withLogControl({ holdBelow: "info" }, async () => {
        log.debug("b1");
        await sleep(1);
      }),
    ]);
    expect(events(dicts)).toEqual(["a1", "a_failed"]);
  });

  it("releases the enclosing scope's held lines first when an inner scope's line is an error", () => {
    const { log, dicts } = capturing([], atInfo);
    withLogControl({ holdBelow: "info" }, () => {
      log.debug("outer");
      withLogControl({ holdBelow: "info" }, () => {
        log.debug("inner");
        log.error("failed");
      });
    });
    expect(events(dicts)).toEqual(["outer", "inner", "failed"]);
  });

  it("marks the enclosing scope as having seen the error, so its request line is never sampled away", () => {
    const { log } = capturing([], atInfo);
    let outerSaw: unknown;
    withLogControl({ holdBelow: "info" }, () => {
      withLogControl({}, () => log.error("failed"));
      outerSaw = currentLogControl()?.errorSeen;
    });
    expect(outerSaw).toBe(true);
  });

  it("holds a line whose processor throws as its fallback line, and writes it when released", () => {
    const boom = (_l: unknown, _m: string, ed: Record<string, unknown>) => {
      if (ed.event === "held") throw new Error("processor failed");
      return ed;
    };
    const { log, lines } = capturing([boom as never], { ...atInfo, renderer: "json" });
    const reports = captureReports(() =>
      withLogControl({ holdBelow: "info" }, () => {
        log.debug("held");
        expect(lines()).toEqual([]);
        log.error("failed");
      }),
    );
    expect(lines()).toEqual(['{"event":"held","structlog_error":"processor boom threw: Error: processor failed"}', '{"event":"failed"}']);
    expect(reports).toEqual(["structlog: processor boom failed: Error: processor failed (reported once)"]);
  });
});

describe("withLogControl() options", () => {
  it.each([
    [{ lvl: "debug" }, /unknown option "lvl"/],
    [{ level: "verbose" }, /level: Unknown log level "verbose"/],
    [{ holdBelow: "debug", level: "info" }, /holdBelow \(debug\) must be above level \(info\)/],
    [{ holdBelow: "warning", flushLevel: "info" }, /flushLevel \(info\) must not be below holdBelow/],
    [{ holdBelow: "info", maxHeld: 0 }, /maxHeld must be a whole number of at least 1/],
    [{ holdBelow: "info", maxHeldBytes: 1.5 }, /maxHeldBytes must be a whole number/],
  ])("rejects %j, saying what to change", (options, message) => {
    expect(() => withLogControl(options as never, () => undefined)).toThrow(message);
  });

  it("rejects a missing fn", () => {
    expect(() => withLogControl({}, undefined as never)).toThrow(/fn must be a function/);
  });
});

describe("withLogControl() with captureLogs()", () => {
  it("captures a held line only once the scope writes it", () => {
    const { log } = capturing([], atInfo);
    const logs = captureLogs(() =>
      withLogControl({ holdBelow: "info" }, () => {
        log.debug("held");
        log.info("written");
        log.error("failed");
      }),
    );
    expect(logs.map((e) => e.event)).toEqual(["written", "held", "failed"]);
  });

  it("captures no discarded line", () => {
    const { log } = capturing([], atInfo);
    const logs = captureLogs(() => withLogControl({ holdBelow: "info" }, () => log.debug("held")));
    expect(logs).toEqual([]);
  });

  it("captures the lines a scope's lowered level lets through", () => {
    const { log } = capturing([], atInfo);
    const logs = captureLogs(() => withLogControl({ level: "debug" }, () => log.debug("inside")));
    expect(logs).toEqual([{ event: "inside", log_level: "debug" }]);
  });
});

describe("a logger on the compiled chain (the built-in JSON chain, no event dict)", () => {
  /** A logger at info over the production chain, and whether its last call went through the compiled chain. */
  function compiledLogger(): { log: Logger; lines: () => string[]; compiled: () => boolean } {
    const out = new CapturingLogger();
    // bind(): the lazy proxy wrapLogger() returns makes the bound logger that keeps the compiled state.
    const log = wrapLogger(out, {
      processors: [contextvars.mergeContextVars, processors.addLogLevel, processors.timeStamper({ fmt: "iso" }), jsonRenderer()],
      wrapperClass: makeFilteringBoundLogger("info"),
    }).bind({});
    return {
      log,
      lines: () => out.calls.map((c) => c.rendered as string),
      compiled: () =>
        typeof (log as unknown as { _compiled?: unknown })._compiled === "object" &&
        (log as unknown as { _compiled?: unknown })._compiled !== null,
    };
  }

  it("takes the compiled chain outside any control scope (so the cases below test it)", () => {
    const { log, lines, compiled } = compiledLogger();
    log.info("outside", { n: 1 });
    expect(compiled()).toBe(true);
    expect(lines()).toHaveLength(1);
  });

  it("holds a line inside a control scope instead of writing it, and discards it when the scope ends well", () => {
    const { log, lines } = compiledLogger();
    log.info("warm_up");
    withLogControl({ holdBelow: "warning" }, () => {
      log.info("held", { n: 1 });
      expect(lines().map((l) => JSON.parse(l).event)).toEqual(["warm_up"]);
    });
    expect(lines().map((l) => JSON.parse(l).event)).toEqual(["warm_up"]);
  });

  it("writes the held line, in order, when the scope fails", () => {
    const { log, lines } = compiledLogger();
    log.info("warm_up");
    expect(() =>
      withLogControl({ holdBelow: "warning" }, () => {
        log.info("held", { n: 1 });
        throw new Error("job failed");
      }),
    ).toThrow("job failed");
    expect(lines().map((l) => [JSON.parse(l).event, JSON.parse(l).n])).toEqual([
      ["warm_up", undefined],
      ["held", 1],
    ]);
  });

  it("drops a line below the scope's raised level", () => {
    const { log, lines } = compiledLogger();
    log.info("warm_up");
    withLogControl({ level: "warning" }, () => {
      log.info("dropped");
      log.warning("kept");
    });
    expect(lines().map((l) => JSON.parse(l).event)).toEqual(["warm_up", "kept"]);
  });
});
