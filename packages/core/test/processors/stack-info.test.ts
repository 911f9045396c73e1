import { describe, expect, it } from "vitest";
import { stackInfoRenderer } from "../../src/processors/stack-info.js";
import type { EventDict } from "../../src/types.js";
import { capturing } from "../helpers.js";

describe("stackInfoRenderer()", () => {
  it("replaces stack_info: true with the caller's stack", () => {
    const { log, dicts } = capturing([stackInfoRenderer()]);
    log.info("x", { stack_info: true });
    const ed = dicts()[0] as EventDict;
    expect(ed.stack_info).toBeUndefined();
    expect(ed.stack).toMatch(/^Stack \(most recent call first\):\n\s+at .*stack-info\.test\.ts/);
  });

  it("leaves out structlog's own frames", () => {
    const { log, dicts } = capturing([stackInfoRenderer()]);
    log.info("x", { stack_info: true });
    expect(dicts()[0]?.stack).not.toMatch(/packages[\\/]core[\\/]src/);
  });
});
