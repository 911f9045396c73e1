import { runInThisContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { callsiteParameterAdder } from "../src/processors/callsite.js";
import { stackInfoRenderer } from "../src/processors/stack-info.js";
import { ignoreFramesUnder, isOwnFrame, parseStack, stackLines } from "../src/stack.js";
import type { Logger } from "../src/types.js";
import { capturing } from "./helpers.js";

/** A function compiled as if it lived at `filename`, which logs through the logger it is given. */
function userCodeAt(filename: string): (log: Logger) => void {
  return runInThisContext("(function placeOrder(log) { log.info('order_placed', { stack_info: true }); })", { filename });
}

const USER_FILE = "/home/me/monorepo/packages/core/src/orders.js";

describe("isOwnFrame()", () => {
  it("recognizes a frame of this package's own files", () => {
    const own = stackLines(new Error().stack).filter((line) => line.includes("stack.test.ts"));
    expect(own.map(isOwnFrame)).toEqual(own.map(() => false));
    expect(isOwnFrame(`    at emit (${new URL("../src/bound-logger.ts", import.meta.url).pathname}:40:3)`)).toBe(true);
    expect(isOwnFrame(`    at emit (${new URL("../dist/bound-logger.js", import.meta.url).href}:40:3)`)).toBe(true);
  });

  it("does not take a user's file for its own because the path has packages/core/src in it", () => {
    expect(isOwnFrame(`    at placeOrder (${USER_FILE}:1:30)`)).toBe(false);
    expect(isOwnFrame("    at placeOrder (file:///home/me/monorepo/packages/core/dist/orders.js:1:30)")).toBe(false);
  });
});

describe("callsiteParameterAdder() in a monorepo with a packages/core/src of its own", () => {
  it("reports the user's file and function", () => {
    const { log, dicts } = capturing([callsiteParameterAdder({ parameters: ["pathname", "func_name"] })]);
    userCodeAt(USER_FILE)(log);
    expect(dicts()[0]).toMatchObject({ pathname: USER_FILE, func_name: "placeOrder" });
  });
});

describe("stackInfoRenderer() in a monorepo with a packages/core/src of its own", () => {
  it("keeps the user's frames", () => {
    const { log, dicts } = capturing([stackInfoRenderer()]);
    userCodeAt(USER_FILE)(log);
    expect(dicts()[0]?.stack).toContain(`at placeOrder (${USER_FILE}:1:`);
  });
});

describe("ignoreFramesUnder()", () => {
  it("makes callsiteParameterAdder look past a wrapper's frames to its caller", () => {
    ignoreFramesUnder("file:///opt/wrapper/dist/");
    const wrapper: (log: Logger) => void = runInThisContext("(function wrap(log) { log.info('x'); })", {
      filename: "/opt/wrapper/dist/wrap.js",
    });
    const caller: (log: Logger, wrap: typeof wrapper) => void = runInThisContext("(function handler(log, wrap) { wrap(log); })", {
      filename: "/srv/app/handler.js",
    });
    const { log, dicts } = capturing([callsiteParameterAdder({ parameters: ["pathname", "func_name"] })]);
    caller(log, wrapper);
    expect(dicts()[0]).toMatchObject({ pathname: "/srv/app/handler.js", func_name: "handler" });
  });
});

describe("parseStack()", () => {
  it("reads the function, file, line and column of each frame", () => {
    expect(parseStack("Error: x\n    at fn (/a/b.js:3:4)\n    at /c.js:5:6\n    at async run (file:///d.mjs:7:8)")).toEqual([
      { name: "fn", filename: "/a/b.js", lineno: 3, colno: 4 },
      { name: "<anonymous>", filename: "/c.js", lineno: 5, colno: 6 },
      { name: "async run", filename: "file:///d.mjs", lineno: 7, colno: 8 },
    ]);
  });
});
