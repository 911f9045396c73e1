import { describe, expect, it } from "vitest";
import { isProcessor, isRenderer, markProcessor, markRenderer } from "../src/brand.js";

describe("markRenderer() and markProcessor()", () => {
  it("brand the function and return it", () => {
    const fn = () => "line";
    expect([markRenderer(fn), isRenderer(fn), isProcessor(fn)]).toEqual([fn, true, false]);
  });

  it("give an arrow function the name the errors use", () => {
    expect(markProcessor(() => ({}), "addHost").name).toBe("addHost");
  });

  it("leave a function unbranded until marked", () => {
    expect([isRenderer(() => ""), isProcessor(() => ({}))]).toEqual([false, false]);
  });
});
