import { describe, expect, it } from "vitest";
import { addLoggerName, addLogLevel } from "../../src/processors/level.js";

describe("addLoggerName", () => {
  it("adds nothing for an unnamed logger", () => {
    expect(addLoggerName({ msg: () => undefined }, "info", { event: "x" })).toEqual({ event: "x" });
  });
});

describe("addLogLevel", () => {
  it.each([
    ["warn", "warning"],
    ["exception", "error"],
    ["fatal", "critical"],
    ["info", "info"],
  ])("adds level %s as %s", (method, level) => {
    expect(addLogLevel({ msg: () => undefined }, method, { event: "x" })).toEqual({ event: "x", level });
  });
});
