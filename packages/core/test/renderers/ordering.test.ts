import { describe, expect, it } from "vitest";
import { itemsSorter } from "../../src/renderers/ordering.js";

const ed = { b: 2, event: "e", a: 1 };

describe("itemsSorter()", () => {
  it("keeps insertion order by default", () => {
    expect(itemsSorter({})(ed)).toEqual(Object.entries(ed));
  });

  it("sorts the keys with sortKeys", () => {
    expect(itemsSorter({ sortKeys: true })(ed).map(([k]) => k)).toEqual(["a", "b", "event"]);
  });

  it("puts keyOrder keys first, a missing one as null, then the rest", () => {
    expect(itemsSorter({ keyOrder: ["event", "missing"], sortKeys: true })(ed)).toEqual([
      ["event", "e"],
      ["missing", null],
      ["a", 1],
      ["b", 2],
    ]);
  });

  it("leaves out missing keyOrder keys with dropMissing", () => {
    expect(itemsSorter({ keyOrder: ["missing", "event"], dropMissing: true })(ed).map(([k]) => k)).toEqual(["event", "b", "a"]);
  });

  it("does not change the event dict", () => {
    const copy = { ...ed };
    itemsSorter({ keyOrder: ["event"] })(copy);
    expect(copy).toEqual(ed);
  });
});
