import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { consoleRenderer, plainTraceback } from "../../src/renderers/console.js";
import { keyValueRenderer } from "../../src/renderers/key-value.js";
import { logfmtRenderer } from "../../src/renderers/logfmt.js";
import type { EventDict, Renderer } from "../../src/types.js";

const render = (r: Renderer, ed: EventDict) => r({ msg: () => undefined }, "info", ed) as string;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for raw control characters.
const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

describe("consoleRenderer()", () => {
  it("colours the level, event, logger and keys when colours are on", () => {
    const out = render(consoleRenderer({ colors: true }), { level: "info", event: "hi", logger: "app", a: 1 });
    expect(out).toBe(
      "[\u001b[32m\u001b[1minfo     \u001b[0m] \u001b[1mhi                            \u001b[0m [\u001b[0m\u001b[1m\u001b[34mapp\u001b[0m]\u001b[0m \u001b[36ma\u001b[0m=\u001b[35m1\u001b[0m",
    );
  });

  it("turns colours off when NO_COLOR is set", () => {
    const before = process.env.NO_COLOR;
    process.env.NO_COLOR = "1";
    try {
      expect(render(consoleRenderer({ colors: true }), { event: "hi" })).not.toContain("\u001b");
    } finally {
      if (before === undefined) delete process.env.NO_COLOR;
      else process.env.NO_COLOR = before;
    }
  });

  it("turns colours on when FORCE_COLOR is set", () => {
    const before = process.env.FORCE_COLOR;
    process.env.FORCE_COLOR = "1";
    try {
      expect(render(consoleRenderer({ colors: false }), { event: "hi" })).toContain("\u001b[1m");
    } finally {
      if (before === undefined) delete process.env.FORCE_COLOR;
      else process.env.FORCE_COLOR = before;
    }
  });

  it("uses custom level styles", () => {
    const out = render(consoleRenderer({ colors: true, levelStyles: { info: "<I>" } }), { level: "info", event: "x" });
    expect(out.startsWith("[<I>\u001b[1minfo\u001b[0m]")).toBe(true);
  });

  it("writes the exception after the line, indented", () => {
    const out = render(consoleRenderer({ colors: false }), { event: "failed", exc_info: new Error("boom") });
    expect(out).toMatch(/^failed\n {2}Error: boom\n {6}at /);
  });

  it("writes a preformatted exception string after the line, indented", () => {
    expect(render(consoleRenderer({ colors: false }), { event: "failed", exception: "Trace\nline" })).toBe("failed\n  Trace\n  line");
  });

  it("uses a custom exception formatter", () => {
    const out = render(consoleRenderer({ colors: false, exceptionFormatter: (e) => ` <${(e as Error).message}>` }), {
      event: "x",
      exc_info: new Error("m"),
    });
    expect(out).toBe("x <m>");
  });

  it("exposes the plain traceback formatter", () => {
    expect(plainTraceback(new Error("m"))).toMatch(/^\nError: m/);
  });

  it("never writes a raw control character in the line (property)", () => {
    const r = consoleRenderer({ colors: false });
    fc.assert(
      fc.property(fc.string(), fc.dictionary(fc.string(), fc.anything()), (event, fields) => {
        expect(render(r, { ...fields, event })).not.toMatch(RAW_CONTROL);
      }),
      { numRuns: 300 },
    );
  });
});

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
});
