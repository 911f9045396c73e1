import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
// Through the public namespace, as users call them: structlog.contextvars.*
import { contextvars } from "../src/index.js";
import { capturing } from "./helpers.js";

afterEach(() => contextvars.clearContextVars());

describe("contextvars.mergeContextVars", () => {
  it("adds context variables to the event", () => {
    const { log, dicts } = capturing([contextvars.mergeContextVars]);
    contextvars.bindContextVars({ request_id: "r1" });
    log.info("x");
    expect(dicts()[0]).toEqual({ event: "x", request_id: "r1" });
  });

  it("lets a bound key win over a context key", () => {
    const { log, dicts } = capturing([contextvars.mergeContextVars]);
    contextvars.bindContextVars({ user_id: 1 });
    log.bind({ user_id: 2 }).info("x");
    expect(dicts()[0]?.user_id).toBe(2);
  });

  it("lets a call key win over a context key", () => {
    const { log, dicts } = capturing([contextvars.mergeContextVars]);
    contextvars.bindContextVars({ user_id: 1 });
    log.info("x", { user_id: 3 });
    expect(dicts()[0]?.user_id).toBe(3);
  });

  it("merges context keys named like Object.prototype members", () => {
    const { log, dicts } = capturing([contextvars.mergeContextVars]);
    contextvars.bindContextVars({ constructor: "c", toString: "t" });
    log.info("x");
    expect(dicts()[0]).toMatchObject({ constructor: "c", toString: "t" });
  });
});

describe("contextvars.bindContextVars()", () => {
  it("binds process-wide outside any scope", async () => {
    contextvars.bindContextVars({ deploy: "blue" });
    await sleep(1);
    expect(contextvars.getContextVars()).toEqual({ deploy: "blue" });
  });

  it("is seen by timers created earlier in the same scope", async () => {
    const { log, dicts } = capturing([contextvars.mergeContextVars]);
    await contextvars.boundContextVars({ request_id: "r1" }, async () => {
      const done = new Promise<void>((resolve) =>
        setTimeout(() => {
          log.info("later");
          resolve();
        }, 5),
      );
      contextvars.bindContextVars({ user_id: 7 });
      await done;
    });
    expect(dicts()[0]).toEqual({ event: "later", request_id: "r1", user_id: 7 });
  });

  it("is seen by event listeners registered earlier in the same scope", async () => {
    const { EventEmitter } = await import("node:events");
    const { log, dicts } = capturing([contextvars.mergeContextVars]);
    const emitter = new EventEmitter();
    await contextvars.boundContextVars({ request_id: "r1" }, async () => {
      emitter.on("finish", () => log.info("finished"));
      await sleep(1);
      contextvars.bindContextVars({ user_id: 9 });
      setImmediate(() => emitter.emit("finish"));
      await sleep(5);
    });
    expect(dicts()[0]).toEqual({ event: "finished", request_id: "r1", user_id: 9 });
  });
});

describe("contextvars.boundContextVars()", () => {
  it("restores the enclosing values after a sync fn", () => {
    contextvars.bindContextVars({ a: 1 });
    contextvars.boundContextVars({ a: 2, b: 3 }, () => {
      expect(contextvars.getContextVars()).toEqual({ a: 2, b: 3 });
    });
    expect(contextvars.getContextVars()).toEqual({ a: 1 });
  });

  it("restores the enclosing values after an async fn", async () => {
    contextvars.bindContextVars({ a: 1 });
    await contextvars.boundContextVars({ a: 2 }, async () => {
      await sleep(1);
      contextvars.bindContextVars({ c: 4 });
    });
    expect(contextvars.getContextVars()).toEqual({ a: 1 });
  });

  it("returns what fn returns", async () => {
    expect(contextvars.boundContextVars({}, () => 42)).toBe(42);
    await expect(contextvars.boundContextVars({}, async () => 43)).resolves.toBe(43);
  });

  it("keeps concurrent scopes apart", async () => {
    const seen: Array<[string, unknown]> = [];
    await Promise.all(
      ["j1", "j2", "j3"].map((job_id, i) =>
        contextvars.boundContextVars({ job_id }, async () => {
          await sleep(5 - i);
          contextvars.bindContextVars({ step: job_id });
          await sleep(i);
          seen.push([job_id, contextvars.getContextVars().step]);
        }),
      ),
    );
    expect(seen.every(([job, step]) => job === step)).toBe(true);
  });

  it("does not leak bindings made inside a nested scope", async () => {
    await contextvars.boundContextVars({ outer: true }, async () => {
      await contextvars.boundContextVars({}, async () => contextvars.bindContextVars({ inner: true }));
      expect(contextvars.getContextVars()).toEqual({ outer: true });
    });
  });
});

describe("contextvars.resetContextVars()", () => {
  it("restores the values the keys had before the bind", () => {
    contextvars.bindContextVars({ a: 1 });
    const token = contextvars.bindContextVars({ a: 2, b: 3 });
    contextvars.resetContextVars(token);
    expect(contextvars.getContextVars()).toEqual({ a: 1 });
  });
});

describe("contextvars.unbindContextVars()", () => {
  it("removes the keys and ignores missing ones", () => {
    contextvars.bindContextVars({ a: 1, b: 2 });
    contextvars.unbindContextVars("a", "missing");
    expect(contextvars.getContextVars()).toEqual({ b: 2 });
  });
});

describe("contextvars.getContextVars()", () => {
  it("returns a copy that later binds do not change", () => {
    contextvars.bindContextVars({ a: 1 });
    const snapshot = contextvars.getContextVars();
    contextvars.bindContextVars({ a: 2 });
    expect(snapshot).toEqual({ a: 1 });
  });
});

describe("contextvars.getMergedContextVars()", () => {
  it("merges the scope with the logger's context, the logger winning", () => {
    const { log } = capturing();
    contextvars.bindContextVars({ a: 1, b: 1 });
    expect(contextvars.getMergedContextVars(log.bind({ b: 2 }))).toEqual({ a: 1, b: 2 });
  });
});
