import { describe, expect, it } from "vitest";
import { callsiteParameterAdder } from "../../src/processors/callsite.js";
import { capturing } from "../helpers.js";

describe("callsiteParameterAdder()", () => {
  it("adds the file, function and line of the log call", () => {
    const { log, dicts } = capturing([callsiteParameterAdder({ parameters: ["filename", "func_name", "lineno"] })]);
    function placeOrder() {
      log.info("x");
    }
    placeOrder();
    expect(dicts()[0]).toMatchObject({ filename: "callsite.test.ts", func_name: "placeOrder", lineno: expect.any(Number) });
  });

  it("rejects an unknown parameter at creation", () => {
    expect(() => callsiteParameterAdder({ parameters: ["line" as never] })).toThrow(/unknown parameter "line"/);
  });
});
