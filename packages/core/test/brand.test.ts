import { afterEach, describe, expect, it } from "vitest";
import { factoryCall, isProcessor, isRenderer, markFactory, markProcessor, markRenderer } from "../src/brand.js";
import { configure, processors, resetDefaults } from "../src/index.js";

afterEach(() => resetDefaults());

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

describe("markFactory()", () => {
  it("returns the factory, which configure() then rejects uncalled, showing the call given", () => {
    const addHost = (host = "web-1") => markProcessor((_l, _m, ed) => Object.assign(ed, { host }), "addHost");
    expect(markFactory(addHost, 'addHost("web-1")')).toBe(addHost);
    expect([factoryCall(addHost), factoryCall(addHost())]).toEqual(['addHost("web-1")', undefined]);
    expect(() => configure({ processors: [addHost, processors.jsonRenderer()] as never })).toThrow(
      'item 0 is a factory, not a processor: call it, e.g. addHost("web-1").',
    );
  });
});
