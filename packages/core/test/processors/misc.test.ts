import { describe, expect, it } from "vitest";
import { callsiteParameterAdder } from "../../src/processors/callsite.js";
import { eventRenamer } from "../../src/processors/event-renamer.js";
import { addLoggerName } from "../../src/processors/level.js";
import { stackInfoRenderer } from "../../src/processors/stack-info.js";
import type { EventDict } from "../../src/types.js";
import { capturing } from "../helpers.js";

describe("stackInfoRenderer()", () => {
  it("replaces stack_info: true with the caller's stack", () => {
    const { log, dicts } = capturing([stackInfoRenderer()]);
    log.info("x", { stack_info: true });
    const ed = dicts()[0] as EventDict;
    expect(ed.stack_info).toBeUndefined();
    expect(ed.stack).toMatch(/^Stack \(most recent call first\):\n\s+at .*misc\.test\.ts/);
  });

  it("leaves out structlog's own frames", () => {
    const { log, dicts } = capturing([stackInfoRenderer()]);
    log.info("x", { stack_info: true });
    expect(dicts()[0]?.stack).not.toMatch(/packages[\\/]core[\\/]src/);
  });
});

describe("callsiteParameterAdder()", () => {
  it("adds the file, function and line of the log call", () => {
    const { log, dicts } = capturing([callsiteParameterAdder({ parameters: ["filename", "func_name", "lineno"] })]);
    function placeOrder() {
      log.info("x");
    }
    placeOrder();
    expect(dicts()[0]).toMatchObject({ filename: "misc.test.ts", func_name: "placeOrder", lineno: expect.any(Number) });
  });

  it("rejects an unknown parameter at creation", () => {
    expect(() => callsiteParameterAdder({ parameters: ["line" as never] })).toThrow(/unknown parameter "line"/);
  });
});

describe("eventRenamer()", () => {
  it("renames event and can move another key into it", () => {
    const p = eventRenamer("msg", "_event");
    expect(p({ msg: () => undefined }, "info", { event: "e", _event: "real" })).toEqual({ msg: "e", event: "real" });
  });
});

describe("addLoggerName", () => {
  it("adds nothing for an unnamed logger", () => {
    expect(addLoggerName({ msg: () => undefined }, "info", { event: "x" })).toEqual({ event: "x" });
  });
});
