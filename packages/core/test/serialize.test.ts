import fc from "fast-check";
import { errWithCause } from "pino-std-serializers";
import { describe, expect, it } from "vitest";
import { safeStringify } from "../src/json-line.js";
import { MAX_ITEMS } from "../src/limits.js";
import { isError, serializeError, toJsonSafe } from "../src/serialize.js";
import { anythingAll } from "./reliability/arbitraries.js";
import { getPrototypeOfThrows, revokedProxy } from "./renderers/helpers.js";

describe("safeStringify()", () => {
  it("leaves the caller's object as it was: BigInt, Map, long string, nested values", () => {
    const map = new Map([["k", 1]]);
    const long = "x".repeat(40_000);
    const nested = { n: 2n };
    const fields = { big: 1n, map, long, nested };
    const line = safeStringify(fields);
    expect(fields).toEqual({ big: 1n, map, long, nested: { n: 2n } });
    expect(fields.map).toBe(map);
    expect(JSON.parse(line)).toMatchObject({ big: "1", map: { k: 1 }, nested: { n: "2" } });
  });

  it("leaves any value it is given unchanged (property)", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), anythingAll, { maxKeys: 5 }), (fields) => {
        const before = Object.entries(fields).map(([k, v]) => [k, v] as const);
        safeStringify(fields);
        expect(Object.entries(fields)).toEqual(before);
        for (const [k, v] of before) expect(fields[k]).toBe(v);
      }),
      { numRuns: 300 },
    );
  });

  it("keeps a field named __proto__ a field, without changing any prototype", () => {
    const fields = JSON.parse('{"__proto__": {"polluted": 1}, "n": 1}') as Record<string, unknown>;
    fields.big = 1n; // forces the copy
    expect(JSON.parse(safeStringify(fields))).toEqual(JSON.parse('{"__proto__": {"polluted": 1}, "n": 1, "big": "1"}'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("serializeError()", () => {
  it("gives pino-std-serializers' err shape for ordinary errors (property)", () => {
    const error = fc
      .record({
        message: fc.string(),
        kind: fc.constantFrom(Error, TypeError, RangeError),
        props: fc.dictionary(fc.string({ minLength: 1 }), fc.oneof(fc.string(), fc.integer(), fc.boolean()), { maxKeys: 4 }),
        cause: fc.option(fc.string(), { nil: undefined }),
      })
      .map(({ message, kind, props, cause }) => {
        const err = new kind(message, cause === undefined ? undefined : { cause: new Error(cause) });
        return Object.assign(err, props);
      });
    fc.assert(
      fc.property(error, (err) => {
        expect(JSON.stringify(serializeError(err))).toBe(JSON.stringify(toJsonSafe(errWithCause(err))));
      }),
    );
  });

  it("keeps the first 1,000 own properties of an error with 100,000, and counts the rest", () => {
    const err = new Error("many") as Error & Record<string, unknown>;
    for (let i = 0; i < 100_000; i++) err[`p${i}`] = i;
    const shaped = serializeError(err);
    expect(Object.keys(shaped).filter((k) => k.startsWith("p"))).toHaveLength(MAX_ITEMS);
    expect(shaped["[truncated]"]).toBe(`${100_000 - MAX_ITEMS} more keys`);
  });

  it("does not write to the error, so a frozen error keeps all its properties", () => {
    const err = Object.freeze(Object.assign(new Error("frozen"), { code: "E_FROZEN" }));
    expect(serializeError(err)).toMatchObject({ type: "Error", message: "frozen", code: "E_FROZEN" });
    expect(Object.getOwnPropertySymbols(err)).toEqual([]);
  });
});

describe("isError()", () => {
  it("says a proxy that cannot be inspected is not an Error, without throwing", () => {
    expect(isError(getPrototypeOfThrows())).toBe(false);
    expect(isError(revokedProxy())).toBe(false);
  });
});
