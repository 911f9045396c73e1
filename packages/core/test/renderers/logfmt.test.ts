import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { logfmtRenderer } from "../../src/renderers/logfmt.js";
import { RAW_CONTROL, render } from "./helpers.js";

describe("logfmtRenderer()", () => {
  it("never throws on a key with whitespace, replacing it", () => {
    expect(render(logfmtRenderer(), { "bad key": 1 })).toBe("bad_key=1");
  });

  it("writes objects as JSON", () => {
    expect(render(logfmtRenderer(), { o: { a: 1 } })).toBe('o="{\\"a\\":1}"');
  });

  it("never writes a raw control character (property)", () => {
    const r = logfmtRenderer();
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.anything({ withBigInt: true, withMap: true })), (ed) => {
        expect(render(r, ed)).not.toMatch(RAW_CONTROL);
      }),
      { numRuns: 300 },
    );
  });
});
