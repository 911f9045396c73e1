import { describe, expect, it } from "vitest";
import { eventRenamer } from "../../src/processors/event-renamer.js";

describe("eventRenamer()", () => {
  it("renames event and can move another key into it", () => {
    const p = eventRenamer("msg", "_event");
    expect(p({ msg: () => undefined }, "info", { event: "e", _event: "real" })).toEqual({ msg: "e", event: "real" });
  });
});
