import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assignFields, defineField, mergeFields } from "../src/fields.js";

const withProto = () => JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Record<string, unknown>;

describe("defineField()", () => {
  it("sets __proto__ as an own field, leaving the prototype alone", () => {
    const target: Record<string, unknown> = {};
    defineField(target, "__proto__", { polluted: true });
    expect([Object.getPrototypeOf(target), Object.keys(target)]).toEqual([Object.prototype, ["__proto__"]]);
  });

  it("sets any other key as a plain property", () => {
    const target: Record<string, unknown> = {};
    defineField(target, "a", 1);
    expect(target).toEqual({ a: 1 });
  });
});

describe("assignFields()", () => {
  it("copies the source's fields onto the target and returns the target", () => {
    const target = { a: 1 };
    expect(assignFields(target, { b: 2 })).toBe(target);
    expect(target).toEqual({ a: 1, b: 2 });
  });

  it("copies a __proto__ key as a field, without changing the target's prototype", () => {
    const target: Record<string, unknown> = {};
    assignFields(target, withProto());
    expect([Object.getPrototypeOf(target), Object.keys(target), ({} as Record<string, unknown>).polluted]).toEqual([
      Object.prototype,
      ["__proto__", "a"],
      undefined,
    ]);
  });
});

describe("mergeFields()", () => {
  it("returns a new object with a's fields, then b's, later winning", () => {
    const a = { x: 1, y: 1 };
    const merged = mergeFields(a, { y: 2 });
    expect([merged, a, merged === a]).toEqual([{ x: 1, y: 2 }, { x: 1, y: 1 }, false]);
  });

  it("keeps the key order of a, then the new keys of b (property)", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.integer()), fc.dictionary(fc.string(), fc.integer()), (a, b) => {
        const merged = mergeFields(a, b);
        expect(Object.keys(merged)).toEqual(Object.keys({ ...a, ...b }));
        expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
      }),
    );
  });
});
