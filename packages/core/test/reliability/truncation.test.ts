/**
 * Oversized values are cut by a documented rule (docs/values.md), never
 * dropped without a word and never allowed to stall or crash the process.
 */
import { describe, expect, it } from "vitest";
import { consoleRenderer } from "../../src/renderers/console.js";
import { jsonRenderer } from "../../src/renderers/json.js";
import { keyValueRenderer } from "../../src/renderers/key-value.js";
import { logfmtRenderer } from "../../src/renderers/logfmt.js";
import { DEFAULT_MAX_STRING_LENGTH, MAX_CHARS, MAX_ITEMS, MAX_NODES, toJsonSafe, truncateString } from "../../src/serialize.js";
import type { EventDict, Renderer } from "../../src/types.js";
import { nested } from "./arbitraries.js";

const render = (r: Renderer, ed: EventDict) => r({ msg: () => undefined }, "info", ed) as string;
const json = (ed: EventDict, max?: number) => JSON.parse(render(jsonRenderer(max === undefined ? {} : { maxStringLength: max }), ed));

describe("truncateString()", () => {
  it("keeps the first characters and says how many were cut", () => {
    expect(truncateString("abcdef", 2)).toBe("ab...[4 more characters]");
  });

  it("returns a string at the limit as it is", () => {
    expect(truncateString("abc", 3)).toBe("abc");
  });

  it("never cuts a surrogate pair in half", () => {
    expect(truncateString("a🐢b", 2)).toBe("a...[3 more characters]");
  });
});

describe("strings over maxStringLength", () => {
  const long = "x".repeat(DEFAULT_MAX_STRING_LENGTH + 10);
  const cut = `${"x".repeat(DEFAULT_MAX_STRING_LENGTH)}...[10 more characters]`;

  it("are cut at the top level of a JSON line", () => {
    expect(json({ event: long }).event).toBe(cut);
  });

  it("are cut at any depth of a JSON line", () => {
    expect(json({ a: { b: [long] } }).a.b[0]).toBe(cut);
  });

  it("are cut in a JSON line with sorted keys", () => {
    expect(JSON.parse(render(jsonRenderer({ sortKeys: true }), { a: long })).a).toBe(cut);
  });

  it("are cut at the limit a renderer is given", () => {
    expect(json({ a: "abcdef" }, 3).a).toBe("abc...[3 more characters]");
  });

  it("are left whole with maxStringLength: Infinity", () => {
    expect(json({ a: long }, Number.POSITIVE_INFINITY).a).toBe(long);
  });

  it.each([
    ["console", consoleRenderer({ colors: false, maxStringLength: 3 })],
    ["logfmt", logfmtRenderer({ maxStringLength: 3 })],
    ["key-value", keyValueRenderer({ maxStringLength: 3, reprNativeStr: false })],
  ])("are cut by the %s renderer", (_name, r) => {
    expect(render(r, { a: "abcdef" })).toContain("abc...[3 more characters]");
  });

  it("are cut inside values the text renderers write in JavaScript notation", () => {
    expect(render(keyValueRenderer({ maxStringLength: 3 }), { a: ["abcdef"] })).toBe("a=[ 'abc'... 3 more characters ]");
  });

  it.each([0, -1, 1.5, "10", Number.NaN])("make a renderer throw at creation for maxStringLength %s", (bad) => {
    expect(() => jsonRenderer({ maxStringLength: bad as number })).toThrow(
      /maxStringLength must be a whole number of at least 1, or Infinity/,
    );
  });
});

describe("long arrays, Maps and Sets", () => {
  it("keep their first items and count the rest, at the top level", () => {
    const out = json({ a: Array.from({ length: MAX_ITEMS + 5 }, (_, i) => i) }).a;
    expect(out).toHaveLength(MAX_ITEMS + 1);
    expect(out.at(-1)).toBe("[5 more items]");
  });

  it("keep their first items and count the rest, nested", () => {
    expect(json({ a: { b: new Array(MAX_ITEMS + 1).fill(0) } }).a.b.at(-1)).toBe("[1 more items]");
  });

  it("cut a sparse array of billions of holes without walking them", () => {
    const sparse: unknown[] = [];
    sparse[2 ** 32 - 2] = 1;
    expect(json({ a: { b: sparse } }).a.b.at(-1)).toBe(`[${2 ** 32 - 1 - MAX_ITEMS} more items]`);
  });

  it("cut a typed array without copying all of it", () => {
    expect(json({ a: new Float64Array(MAX_ITEMS * 100) }).a.at(-1)).toBe(`[${MAX_ITEMS * 99} more items]`);
  });
});

describe("values too big to write", () => {
  it("stop at MAX_NODES values when shared references would multiply them", () => {
    let dag: unknown = "leaf";
    for (let i = 0; i < 40; i++) dag = [dag, dag]; // 2^40 leaves if written out
    expect(JSON.stringify(toJsonSafe(dag))).toContain('"[Truncated]"');
    expect(JSON.stringify(toJsonSafe(dag)).length).toBeLessThan(MAX_NODES * 20);
  });

  it("stop at MAX_CHARS characters of strings", () => {
    const s = "y".repeat(DEFAULT_MAX_STRING_LENGTH);
    const out = JSON.stringify(toJsonSafe(new Array(MAX_ITEMS).fill(s)));
    expect(out).toContain('"[Truncated]"');
    expect(out.length).toBeLessThan(MAX_CHARS + MAX_ITEMS * 20);
  });

  it("cut nesting 10,000 deep at the depth limit", () => {
    expect(JSON.stringify(json({ a: nested(10_000, true) }))).toContain("[Max depth]");
  });
});
