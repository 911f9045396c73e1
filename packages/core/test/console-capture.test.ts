import { afterEach, describe, expect, it } from "vitest";
import { captureConsole, configure, getLogger, processors, resetDefaults } from "../src/index.js";
import { capturingLoggerFactory } from "../src/testing.js";
import type { EventDict } from "../src/types.js";

let restore: (() => void) | undefined;
afterEach(() => {
  restore?.();
  resetDefaults();
});

function setup() {
  const factory = capturingLoggerFactory();
  configure({ processors: [processors.addLogLevel, processors.addLoggerName, processors.jsonRenderer()], loggerFactory: factory });
  return () => factory.calls.map((c) => JSON.parse(c.rendered as string) as EventDict);
}

describe("captureConsole()", () => {
  it("routes console calls through the processors", () => {
    const lines = setup();
    restore = captureConsole();
    console.warn("disk %s full", "/var");
    expect(lines()).toEqual([{ event: "disk /var full", level: "warning", logger: "console" }]);
  });

  it("runs the foreign pre-chain on console events only", () => {
    const lines = setup();
    restore = captureConsole({
      foreignPreChain: [
        (_l, _m, ed) => {
          ed.foreign = true;
          return ed;
        },
      ],
    });
    console.log("from a library");
    getLogger("ours").info("from us");
    expect(lines().map((l) => l.foreign)).toEqual([true, undefined]);
  });

  it("sends console calls made while routing one (by a processor, say) to the original console, not round again", () => {
    const original = console.log;
    const direct: unknown[][] = [];
    console.log = (...args: unknown[]) => void direct.push(args);
    try {
      const factory = capturingLoggerFactory();
      const chatty = (_l: unknown, _m: string, ed: EventDict) => {
        console.log("processor saw", ed.event);
        return ed;
      };
      configure({ processors: [chatty, processors.jsonRenderer()], loggerFactory: factory });
      restore = captureConsole();
      console.log("from the app");
      restore();
      expect([factory.calls.map((c) => c.rendered), direct]).toEqual([['{"event":"from the app"}'], [["processor saw", "from the app"]]]);
    } finally {
      console.log = original;
    }
  });

  it("restores the console", () => {
    const original = console.log;
    restore = captureConsole();
    restore();
    expect(console.log).toBe(original);
  });
});
