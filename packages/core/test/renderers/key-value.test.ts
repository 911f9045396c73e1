import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { keyValueRenderer } from "../../src/renderers/key-value.js";
import { RAW_CONTROL, render } from "./helpers.js";

describe("keyValueRenderer()", () => {
  it("writes an Error as [Name: message]", () => {
    expect(render(keyValueRenderer(), { e: new TypeError("bad") })).toBe("e=[TypeError: bad]");
  });

  it("never writes a raw control character (property)", () => {
    const r = keyValueRenderer();
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.anything({ withBigInt: true, withMap: true, withSet: true })), (ed) => {
        expect(render(r, ed)).not.toMatch(RAW_CONTROL);
      }),
      { numRuns: 300 },
    );
  });

  it("escapes the message of a value that throws while being written", () => {
    const hostile = {
      [Symbol.for("nodejs.util.inspect.custom")]() {
        throw new Error("line one\nline two\u001b[31m");
      },
    };
    expect(render(keyValueRenderer(), { v: hostile, event: "e" })).toBe("v=[Unserializable: line one\\nline two\\x1B[31m] event='e'");
  });
});
