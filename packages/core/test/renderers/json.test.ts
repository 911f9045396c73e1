import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonRenderer } from "../../src/renderers/json.js";
import { captureReports } from "../../src/testing.js";
import type { EventDict } from "../../src/types.js";
import { expectJsonLine } from "../reliability/checks.js";
import { getPrototypeOfThrows, revokedProxy } from "./helpers.js";

const render = (ed: EventDict, r = jsonRenderer()) => r({ msg: () => undefined }, "info", ed) as string;

describe("jsonRenderer()", () => {
  it("renders one JSON object", () => {
    expect(render({ event: "x", n: 1, ok: true, none: null })).toBe('{"event":"x","n":1,"ok":true,"none":null}');
  });

  it("sorts keys at every depth with sortKeys", () => {
    expect(render({ b: 1, a: { d: 1, c: 2 } }, jsonRenderer({ sortKeys: true }))).toBe('{"a":{"c":2,"d":1},"b":1}');
  });

  it("uses a custom serializer", () => {
    expect(render({ a: 1 }, jsonRenderer({ serializer: (ed) => `custom:${Object.keys(ed)}` }))).toBe("custom:a");
  });

  it("uses a custom serializer with sortKeys, giving it the keys sorted at every depth", () => {
    const r = jsonRenderer({ sortKeys: true, serializer: (ed) => `custom:${JSON.stringify(ed)}` });
    expect(render({ b: 1, a: { d: 1, c: 2 } }, r)).toBe('custom:{"a":{"c":2,"d":1},"b":1}');
  });

  it("falls back to sorted safe JSON when a custom serializer throws with sortKeys", () => {
    const r = jsonRenderer({
      sortKeys: true,
      serializer: () => {
        throw new Error("nope");
      },
    });
    let line = "";
    captureReports(() => {
      line = render({ b: 1, a: 2 }, r);
    });
    expect(line).toBe('{"a":2,"b":1}');
  });

  it("falls back to the safe serializer when a custom one throws", () => {
    const r = jsonRenderer({
      serializer: () => {
        throw new Error("nope");
      },
    });
    let line = "";
    const reports = captureReports(() => {
      line = render({ a: 1 }, r);
    });
    expect([JSON.parse(line), reports]).toEqual([{ a: 1 }, ["structlog: jsonRenderer serializer failed: Error: nope (reported once)"]]);
  });

  it("rejects a serializer that is not a function at creation", () => {
    expect(() => jsonRenderer({ serializer: "fast" as never })).toThrow(/must be a function/);
  });

  it("renders an Error under any key in pino's err shape", () => {
    const err = Object.assign(new Error("boom", { cause: new TypeError("root") }), { code: "E_BOOM" });
    const out = JSON.parse(render({ failure: err }));
    expect(out.failure).toMatchObject({ type: "Error", message: "boom", code: "E_BOOM", cause: { type: "TypeError", message: "root" } });
    expect(out.failure.stack).toMatch(/^Error: boom/);
  });

  it("renders AggregateError members as aggregateErrors", () => {
    const out = JSON.parse(render({ err: new AggregateError([new Error("one")], "many") }));
    expect(out.err.aggregateErrors[0]).toMatchObject({ type: "Error", message: "one" });
  });
});

describe("jsonRenderer() with bad input", () => {
  const cases: Array<[string, unknown, unknown]> = [
    [
      "a circular object",
      (() => {
        const o: Record<string, unknown> = { a: 1 };
        o.self = o;
        return o;
      })(),
      { a: 1, self: "[Circular]" },
    ],
    ["a BigInt", 12345678901234567890n, "12345678901234567890"],
    ["a symbol", Symbol("s"), "Symbol(s)"],
    ["a function", function handler() {}, "[Function: handler]"],
    [
      "a Map",
      new Map<unknown, unknown>([
        ["k", 1],
        [2, "v"],
      ]),
      { k: 1, "2": "v" },
    ],
    ["a Set", new Set([1, 2]), [1, 2]],
    ["a Buffer", Buffer.from("hi"), { type: "Buffer", length: 2, base64: "aGk=" }],
    ["an invalid Date", new Date(Number.NaN), null],
    ["a valid Date", new Date(0), "1970-01-01T00:00:00.000Z"],
    ["a typed array", new Uint8Array([1, 2]), [1, 2]],
    ["NaN", Number.NaN, null],
    [
      "a throwing getter",
      {
        get boom() {
          throw new Error("getter");
        },
      },
      { boom: "[Unserializable: getter]" },
    ],
    [
      "a throwing toJSON",
      {
        toJSON() {
          throw new Error("toJSON");
        },
      },
      "[Unserializable: toJSON]",
    ],
    [
      "a toJSON returning itself",
      (() => {
        const o = { a: 1, toJSON: () => o };
        return o;
      })(),
      { a: 1 },
    ],
    [
      "a throwing proxy",
      new Proxy(
        {},
        {
          ownKeys() {
            throw new Error("trap");
          },
        },
      ),
      "[Unserializable: trap]",
    ],
    ["a nested BigInt", { deep: { n: 1n } }, { deep: { n: "1" } }],
    ["an object with a null prototype", Object.assign(Object.create(null), { a: 1 }), { a: 1 }],
    // biome-ignore lint/suspicious/noSparseArray: a sparse array is the input under test.
    ["a sparse array", [1, , 3], [1, null, 3]],
  ];

  it.each(cases)("renders %s safely", (_name, value, expected) => {
    expect(JSON.parse(render({ v: value })).v).toEqual(expected);
  });

  it("leaves out undefined values, as JSON does", () => {
    expect(render({ a: undefined, b: 1 })).toBe('{"b":1}');
  });

  it("cuts nesting 10,000 deep", () => {
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 10_000; i++) {
      const next = {};
      deep.n = next;
      deep = next;
    }
    expect(render({ v: root })).toContain('"[Max depth]"');
  });

  it("renders every value as one line of valid JSON (property)", () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.string(),
          fc.anything({
            withBigInt: true,
            withMap: true,
            withSet: true,
            withTypedArray: true,
            withSparseArray: true,
            withNullPrototype: true,
            withDate: true,
          }),
        ),
        (ed) => {
          const out = render({ ...ed });
          expect(out).not.toMatch(/[\n\r]/);
          expect(() => JSON.parse(out)).not.toThrow();
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("jsonRenderer() with values that defeated it once", () => {
  it.each([
    ["a throwing getPrototypeOf trap", getPrototypeOfThrows],
    ["a revoked proxy", revokedProxy],
  ])("renders a proxy that cannot be inspected (%s) as a field, without a fallback", (_name, make) => {
    expect(expectJsonLine(render({ event: "e", v: make() }))).toEqual({ event: "e", v: expect.stringMatching(/^\[Unserializable/) });
  });

  it.each([
    ["", {}],
    ["with sorted keys", { sortKeys: true }],
  ])("%s treats a field named toJSON as a field, not as the line's serializer", (_name, options) => {
    expect(expectJsonLine(render({ toJSON: () => "forged", event: "e" }, jsonRenderer(options)))).toEqual({
      event: "e",
      toJSON: "[Function: toJSON]",
    });
  });

  it("escapes DEL, C1 controls and U+2028/U+2029, which JSON.stringify leaves raw", () => {
    const line = render({ v: "\u009b2J\u0085\u007f\u2028\u2029", event: "e" });
    expect(line).toBe('{"v":"\\u009b2J\\u0085\\u007f\\u2028\\u2029","event":"e"}');
    expect(JSON.parse(line).v).toBe("\u009b2J\u0085\u007f\u2028\u2029");
  });

  it("renders a Map nested in a plain object as its entries, not {}", () => {
    expect(JSON.parse(render({ a: { m: new Map([["k", 1]]) } })).a).toEqual({ m: { k: 1 } });
  });

  it("writes a sparse array of a hundred million holes as its first items", () => {
    const sparse: unknown[] = [];
    sparse[1e8] = 1;
    expect(render({ a: { sparse } }).length).toBeLessThan(10_000);
  });
});
