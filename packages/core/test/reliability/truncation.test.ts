/**
 * Oversized values are cut by a documented rule (docs/values.md), never
 * dropped without a word and never allowed to stall or crash the process:
 * the per-call budget (limits.ts) and the line cap of every renderer.
 */
import { spawnSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { wrapLogger } from "../../src/config.js";
import { DEFAULT_MAX_LINE_BYTES, MAX_FIELDS } from "../../src/limits.js";
import { dictTracebacks } from "../../src/processors/exceptions.js";
import { addLogLevel } from "../../src/processors/level.js";
import { consoleRenderer } from "../../src/renderers/console.js";
import { jsonRenderer } from "../../src/renderers/json.js";
import { keyValueRenderer } from "../../src/renderers/key-value.js";
import { logfmtRenderer } from "../../src/renderers/logfmt.js";
import { DEFAULT_MAX_STRING_LENGTH, MAX_ITEMS, MAX_NODES, toJsonSafe, truncateString } from "../../src/serialize.js";
import { CapturingLogger } from "../../src/testing.js";
import type { EventDict, ProcessorChain, Renderer } from "../../src/types.js";
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
  it("stop at the budget when shared references would multiply them", () => {
    let dag: unknown = "leaf";
    for (let i = 0; i < 40; i++) dag = [dag, dag]; // 2^40 leaves if written out
    const out = JSON.stringify(toJsonSafe(dag));
    expect(out).toMatch(/"\[Truncated\]"|more items\]"/);
    expect(out.length).toBeLessThan(DEFAULT_MAX_LINE_BYTES + 1000);
  });

  it(`stop at MAX_NODES (${MAX_NODES.toLocaleString("en-US")}) objects, whatever the character budget`, () => {
    const objects = Array.from({ length: MAX_ITEMS }, () => Array.from({ length: 50 }, () => ({})));
    const out = JSON.stringify(toJsonSafe(objects, DEFAULT_MAX_STRING_LENGTH, 10_000_000));
    expect(out.match(/\{\}/g)?.length).toBeLessThanOrEqual(MAX_NODES);
    expect(out).toMatch(/"\[\d+ more items\]"\]$/);
  });

  it("stop at about maxChars characters, saying how many items are left out", () => {
    const s = "y".repeat(DEFAULT_MAX_STRING_LENGTH);
    const out = JSON.stringify(toJsonSafe(new Array(MAX_ITEMS).fill(s), DEFAULT_MAX_STRING_LENGTH, 100_000));
    expect(out.length).toBeLessThan(100_000 + 100);
    expect(out).toMatch(/more characters\]","\[\d+ more items\]"\]$/);
  });

  it("stop at the budget inside a large object, saying how many keys are left out", () => {
    const big = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, "z".repeat(1000)]));
    const out = toJsonSafe({ big: new Map([["m", big]]) }, DEFAULT_MAX_STRING_LENGTH, 50_000) as { big: { m: Record<string, unknown> } };
    expect(out.big.m["[truncated]"]).toMatch(/^\d+ more keys$/);
    expect(JSON.stringify(out).length).toBeLessThan(50_000 + 100);
  });

  it("cut nesting 10,000 deep at the depth limit", () => {
    expect(JSON.stringify(json({ a: nested(10_000, true) }))).toContain("[Max depth]");
  });
});

const bytes = (line: string) => Buffer.byteLength(line);

/** One log call through `renderer` (with addLogLevel first); returns the line. */
function logOnce(renderer: unknown, call: (log: ReturnType<typeof wrapLogger>) => void, first: unknown[] = [addLogLevel]): string {
  const out = new CapturingLogger();
  const log = wrapLogger(out, { processors: [...first, renderer] as unknown as ProcessorChain });
  call(log);
  return out.calls[0]?.rendered as string;
}

type MakeRenderer = (options: { maxLineBytes?: number }) => unknown;
const RENDERERS: ReadonlyArray<readonly [string, MakeRenderer, unknown[]]> = [
  ["JSON", (o) => jsonRenderer(o), [addLogLevel]],
  ["JSON with sorted keys", (o) => jsonRenderer({ ...o, sortKeys: true }), [addLogLevel]],
  ["JSON with dictTracebacks", (o) => jsonRenderer(o), [addLogLevel, dictTracebacks]],
  ["console", (o) => consoleRenderer({ ...o, colors: false }), [addLogLevel]],
  ["logfmt", (o) => logfmtRenderer(o), [addLogLevel]],
  ["key-value", (o) => keyValueRenderer(o), [addLogLevel]],
];

describe("a call with 100,000 fields of 1,000 characters", () => {
  const fields = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`f${i}`, "x".repeat(1000)]));

  it.each(RENDERERS)("gives one %s line within maxLineBytes (256 KiB), with a truncation marker", (name, make, first) => {
    const line = logOnce(make({}), (log) => log.info("many_fields", fields), first);
    expect(bytes(line)).toBeLessThanOrEqual(DEFAULT_MAX_LINE_BYTES);
    if (name.startsWith("JSON")) {
      const parsed = JSON.parse(line);
      expect(parsed).toMatchObject({ event: "many_fields", level: "info", structlog_truncated: expect.stringContaining("fields") });
    } else {
      expect(line).toMatch(/many_fields/);
      expect(line).toMatch(/structlog_truncated|line truncated/);
    }
  });

  it(`keeps the first ${MAX_FIELDS} fields of the call and counts the rest`, () => {
    const small = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`f${i}`, i]));
    const parsed = JSON.parse(logOnce(jsonRenderer(), (log) => log.info("e", small), []));
    expect(Object.keys(parsed).filter((k) => k.startsWith("f"))).toHaveLength(MAX_FIELDS);
    expect(parsed.structlog_truncated).toBe(`${5000 - MAX_FIELDS} more fields (over ${MAX_FIELDS})`);
  });
});

describe("maxLineBytes", () => {
  it("leaves a line at the limit whole, with no marker", () => {
    const base = bytes(logOnce(jsonRenderer({ maxLineBytes: 2048 }), (log) => log.info("e", { s: "" }), []));
    const line = logOnce(jsonRenderer({ maxLineBytes: 2048 }), (log) => log.info("e", { s: "a".repeat(2048 - base) }), []);
    expect(bytes(line)).toBe(2048);
    expect(line).not.toContain("structlog_truncated");
  });

  it("cuts the large value of a line one byte over the limit, and marks it", () => {
    const base = bytes(logOnce(jsonRenderer({ maxLineBytes: 2048 }), (log) => log.info("e", { s: "" }), []));
    const parsed = JSON.parse(logOnce(jsonRenderer({ maxLineBytes: 2048 }), (log) => log.info("e", { s: "a".repeat(2049 - base) }), []));
    expect(parsed.s).toMatch(/^a+\.\.\.\[\d+ more characters\]$/);
    expect(parsed.event).toBe("e");
    expect(parsed.structlog_truncated).toMatch(/maxLineBytes \(2048 bytes\)/);
  });

  it("counts UTF-8 bytes, not characters", () => {
    const line = logOnce(jsonRenderer({ maxLineBytes: 4096 }), (log) => log.info("e", { s: "日".repeat(3000) }), []);
    expect(bytes(line)).toBeLessThanOrEqual(4096);
    expect(JSON.parse(line).structlog_truncated).toBeDefined();
  });

  it("counts the escapes of control characters, which JSON writes six bytes long", () => {
    const line = logOnce(jsonRenderer({ maxLineBytes: 4096 }), (log) => log.info("e", { s: "\u0001\u009b".repeat(3000) }), []);
    expect(bytes(line)).toBeLessThanOrEqual(4096);
    expect(JSON.parse(line).event).toBe("e");
  });

  it("keeps the event, the level and the small fields when one value is huge", () => {
    const parsed = JSON.parse(
      logOnce(jsonRenderer(), (log) =>
        log.info("big_payload", { request_id: "r-1", payload: { rows: new Array(1000).fill("r".repeat(30_000)) } }),
      ),
    );
    expect(parsed).toMatchObject({ event: "big_payload", level: "info", request_id: "r-1" });
    expect(parsed.payload.rows.at(-1)).toMatch(/^\[\d+ more items\]$/);
  });

  it("replaces a custom serializer's line over the limit by the built-in one, and reports it once", () => {
    // In a child process, so that the report on stderr is asserted rather than printed.
    const script = `
      import * as s from ${JSON.stringify(new URL("../../dist/index.js", import.meta.url).href)};
      const serializer = (ed) => JSON.stringify({ ...ed, pad: "p".repeat(5000) });
      const log = s.wrapLogger({ msg: (line) => console.log(line) }, { processors: [s.processors.jsonRenderer({ serializer, maxLineBytes: 2048 })] });
      log.info("e", { n: 1 });
      log.info("e", { n: 2 });
    `;
    const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    expect(
      result.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l)),
    ).toEqual([
      { n: 1, event: "e" },
      { n: 2, event: "e" },
    ]);
    expect(result.stderr).toBe(
      "structlog: jsonRenderer serializer failed: TypeError: wrote a line over maxLineBytes (2048) (reported once)\n",
    );
  });

  it.each(RENDERERS)("holds for the %s renderer whatever the values (property)", (name, make, first) => {
    const renderer = make({ maxLineBytes: 4096 });
    const value = fc.oneof(
      fc.string({ maxLength: 3000, unit: "binary" }),
      fc.array(fc.string({ maxLength: 500 }), { maxLength: 40 }),
      fc.dictionary(fc.string({ maxLength: 20 }), fc.string({ maxLength: 800, unit: "grapheme" }), { maxKeys: 20 }),
      fc.integer(),
    );
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 30 }), value, { maxKeys: 30 }), (fields) => {
        const line = logOnce(renderer, (log) => log.info("e", fields), first);
        expect(bytes(line)).toBeLessThanOrEqual(4096);
        if (name.startsWith("JSON")) expect(JSON.parse(line).event).toBe("e");
      }),
      { numRuns: 150 },
    );
  });

  it.each([0, 1023, 1.5, "262144", Number.POSITIVE_INFINITY, Number.NaN])("makes a renderer throw at creation for %s", (bad) => {
    for (const make of [jsonRenderer, logfmtRenderer, keyValueRenderer, consoleRenderer]) {
      expect(() => make({ maxLineBytes: bad as number })).toThrow(/maxLineBytes must be a whole number of bytes, at least 1024/);
    }
  });
});
