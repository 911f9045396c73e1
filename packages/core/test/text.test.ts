import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { escapeControl, repr, str } from "../src/text.js";

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

describe("escapeControl()", () => {
  it("writes newlines, tabs and terminal escapes as escapes", () => {
    expect(escapeControl("a\nb\tc\u001b[31m")).toBe("a\\nb\\tc\\x1B[31m");
  });

  it("writes C1 controls and the Unicode line separators as escapes", () => {
    expect(escapeControl("\u009b2J\u0085\u2028")).toBe("\\x9B2J\\x85\\u2028");
  });

  it("returns a string without control characters as it is", () => {
    expect(escapeControl("żółw 🐢")).toBe("żółw 🐢");
  });

  it("never leaves a raw control character (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        expect(escapeControl(s)).not.toMatch(RAW_CONTROL);
      }),
    );
  });
});

describe("repr()", () => {
  it("writes a value in JavaScript notation on one line", () => {
    expect(repr({ a: [1, "b"] })).toBe("{ a: [ 1, 'b' ] }");
  });

  it("writes an Error as [Name: message]", () => {
    expect(repr(new TypeError("bad\nvalue"))).toBe("[TypeError: bad\\nvalue]");
  });

  it("cuts strings inside at maxStringLength", () => {
    expect(repr(["abcdef"], 3)).toBe("[ 'abc'... 3 more characters ]");
  });

  it("escapes the message of a value whose inspection throws", () => {
    const hostile = {
      [Symbol.for("nodejs.util.inspect.custom")]() {
        throw new Error("line one\nline two\u001b[31m");
      },
    };
    expect(repr(hostile)).toBe("[Unserializable: line one\\nline two\\x1B[31m]");
  });
});

describe("str()", () => {
  it("writes a string as it is, escaped and cut", () => {
    expect(str("a\nbcdef", 4)).toBe("a\\nbc...[3 more characters]");
  });

  it("writes anything else as repr()", () => {
    expect(str(1n)).toBe("1n");
  });
});
