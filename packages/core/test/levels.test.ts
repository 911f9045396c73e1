import { describe, expect, it } from "vitest";
import { LEVELS, LOG_METHODS, levelToNumber, METHOD_LEVELS, methodForLevel, pinoLevelName, SILENT } from "../src/levels.js";

describe("levelToNumber()", () => {
  it.each([
    ["trace", 5],
    ["debug", 10],
    ["info", 20],
    ["warn", 30],
    ["warning", 30],
    ["error", 40],
    ["exception", 40],
    ["critical", 50],
    ["fatal", 50],
    ["notset", 0],
    ["INFO", 20],
    ["Warning", 30],
  ] as const)("reads %s as %i", (name, n) => {
    expect(levelToNumber(name)).toBe(n);
  });

  it("reads silent as above every level", () => {
    expect(levelToNumber("silent")).toBe(SILENT);
  });

  it("takes a number as it is", () => {
    expect(levelToNumber(25)).toBe(25);
  });

  it("rejects an unknown name, listing the valid ones", () => {
    expect(() => levelToNumber("verbose")).toThrow('Unknown log level "verbose": use one of trace, debug, info, warning, error, critical');
  });

  it("rejects NaN", () => {
    expect(() => levelToNumber(Number.NaN)).toThrow(/Invalid log level NaN/);
  });
});

describe("pinoLevelName()", () => {
  it.each([
    [LEVELS.trace, "trace"],
    [LEVELS.info, "info"],
    [LEVELS.warning, "warn"],
    [LEVELS.critical, "fatal"],
    [25, "warn"],
    [SILENT, "silent"],
    [0, "trace"],
  ])("names %s %s", (n, name) => {
    expect(pinoLevelName(n)).toBe(name);
  });
});

describe("LOG_METHODS", () => {
  it("lists every logging method, lowest level first", () => {
    expect(LOG_METHODS).toEqual(["trace", "debug", "info", "warning", "warn", "error", "exception", "critical", "fatal"]);
    const levels = LOG_METHODS.map((m) => METHOD_LEVELS[m] as number);
    expect(levels).toEqual([...levels].sort((a, b) => a - b));
  });
});

describe("methodForLevel()", () => {
  it.each([
    [5, "trace"],
    [20, "info"],
    [25, "info"],
    [30, "warning"],
    [40, "error"],
    [50, "critical"],
    [99, "critical"],
    [0, "trace"],
  ])("logs level %i with %s", (n, method) => {
    expect(methodForLevel(n)).toBe(method);
  });
});
