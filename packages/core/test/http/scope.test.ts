import { EventEmitter } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { createRequestPipeline, resolveHttpOptions, runInRequestScope } from "../../src/http/index.js";
import { contextvars } from "../../src/index.js";
import { captureReports } from "../../src/testing.js";

afterEach(() => contextvars.clearContextVars());

const pipelineFor = () => createRequestPipeline(resolveHttpOptions({}, "test"), { where: "test", scopeFix: "bind inside the request" });

describe("runInRequestScope()", () => {
  it("opens a scope with the given fields, apart from the scope it is called in", async () => {
    const seen = await contextvars.boundContextVars({ job_id: "j-1" }, () =>
      runInRequestScope({ request_id: "r-1" }, async () => {
        await sleep(1);
        return contextvars.getContextVars();
      }),
    );
    expect(seen).toEqual({ request_id: "r-1" });
  });

  it("starts with the process-wide values bound before", () => {
    contextvars.bindContextVars({ deployment: "blue" });
    expect(runInRequestScope({ request_id: "r-1" }, () => contextvars.getContextVars())).toEqual({ deployment: "blue", request_id: "r-1" });
  });
});

describe("process-wide binding while an HTTP integration serves", () => {
  it("is refused, and noted once with the integration's fix", () => {
    const pipeline = pipelineFor();
    try {
      const reports = captureReports(() => {
        contextvars.bindContextVars({ user_id: "u-1" });
        contextvars.bindContextVars({ user_id: "u-2" });
      });
      expect(contextvars.getContextVars()).toEqual({});
      expect(reports).toEqual([
        expect.stringMatching(/^structlog: note: bindContextVars\(\) outside every scope .*user_id.*bind inside the request/),
      ]);
    } finally {
      pipeline.close();
    }
  });

  it("still binds inside a request's scope", () => {
    const pipeline = pipelineFor();
    try {
      const seen = pipeline.openScope("r-1").run(() => {
        contextvars.bindContextVars({ user_id: "u-1" });
        return contextvars.getContextVars();
      });
      expect(seen).toEqual({ request_id: "r-1", user_id: "u-1" });
    } finally {
      pipeline.close();
    }
  });

  it("is accepted again once the integration is closed", () => {
    pipelineFor().close();
    contextvars.bindContextVars({ deployment: "green" });
    expect(contextvars.getContextVars()).toEqual({ deployment: "green" });
  });
});

describe("contextvars.bindToScope()", () => {
  /** A queue made outside any request: it calls back from whichever request drains it. */
  function makePool() {
    const waiting: Array<() => void> = [];
    return {
      query(callback: () => void) {
        waiting.push(callback);
      },
      drain() {
        for (const callback of waiting.splice(0)) callback();
      },
    };
  }

  it("runs a pool's callback in the scope that queued it, not the one that drained the pool", () => {
    const pool = makePool();
    const seen: unknown[] = [];
    runInRequestScope({ request_id: "A" }, () =>
      pool.query(contextvars.bindToScope(() => seen.push(contextvars.getContextVars().request_id))),
    );
    runInRequestScope({ request_id: "B" }, () => pool.drain());
    expect(seen).toEqual(["A"]);
  });

  it("shows the caveat it fixes: an unbound callback runs in the draining request's scope", () => {
    const pool = makePool();
    const seen: unknown[] = [];
    runInRequestScope({ request_id: "A" }, () => pool.query(() => seen.push(contextvars.getContextVars().request_id)));
    runInRequestScope({ request_id: "B" }, () => pool.drain());
    expect(seen).toEqual(["B"]);
  });

  it("runs a listener of a module-level EventEmitter in the scope that added it", () => {
    const events = new EventEmitter();
    const seen: unknown[] = [];
    runInRequestScope({ request_id: "A" }, () =>
      events.once(
        "ready",
        contextvars.bindToScope(() => seen.push(contextvars.getContextVars().request_id)),
      ),
    );
    runInRequestScope({ request_id: "B" }, () => events.emit("ready"));
    expect(seen).toEqual(["A"]);
  });

  it("passes arguments and the return value through", () => {
    const add = runInRequestScope({ request_id: "A" }, () => contextvars.bindToScope((a: number, b: number) => a + b));
    expect(add(2, 3)).toBe(5);
  });
});
