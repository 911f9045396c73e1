import { describe, expect, it } from "vitest";
import { formatException } from "../src/exception-format.js";

describe("formatException()", () => {
  it("includes the cause chain", () => {
    const text = formatException(new Error("outer", { cause: new RangeError("inner") }));
    expect(text).toMatch(/Error: outer[\s\S]*Caused by:\nRangeError: inner/);
  });

  it("includes the members of an AggregateError", () => {
    const text = formatException(new AggregateError([new Error("one"), new Error("two")], "many"));
    expect(text).toMatch(/AggregateError: many[\s\S]*\[errors\[0\]\]\n\s+Error: one[\s\S]*\[errors\[1\]\]\n\s+Error: two/);
  });

  it("cuts a cause cycle", () => {
    const a = new Error("a");
    const b = new Error("b", { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect(formatException(a)).toMatch(/\[Circular cause\]$/);
  });

  it("escapes terminal escapes in the message", () => {
    expect(formatException(new Error("\u001b[2Jcleared"))).not.toContain("\u001b");
  });
});
