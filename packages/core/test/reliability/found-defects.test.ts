/**
 * One test per defect the hostile-value properties found, so each stays
 * fixed even if the random search stops generating its input.
 */
import { describe, expect, it } from "vitest";
import { wrapLogger } from "../../src/config.js";
import { consoleRenderer } from "../../src/renderers/console.js";
import { jsonRenderer } from "../../src/renderers/json.js";
import { keyValueRenderer } from "../../src/renderers/key-value.js";
import { isError } from "../../src/serialize.js";
import { CapturingLogger } from "../../src/testing.js";
import type { ProcessorChain, Renderer } from "../../src/types.js";
import { expectJsonLine, expectTextLine } from "./checks.js";

function logger(...processors: unknown[]) {
  const out = new CapturingLogger();
  const log = wrapLogger(out, { processors: processors as unknown as ProcessorChain });
  return { log, line: () => out.calls.at(-1)?.rendered as string, count: () => out.calls.length };
}

const getPrototypeOfThrows = () =>
  new Proxy(
    {},
    {
      getPrototypeOf() {
        throw new Error("trap");
      },
    },
  );
const revoked = () => {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
};

describe("a proxy that cannot be inspected", () => {
  it.each([
    ["a throwing getPrototypeOf trap", getPrototypeOfThrows],
    ["a revoked proxy", revoked],
  ])("as a field, with %s, is rendered by the JSON renderer without a fallback", (_name, make) => {
    const { log, line } = logger(jsonRenderer());
    expect(() => log.info("e", { v: make() })).not.toThrow();
    expect(expectJsonLine(line())).toEqual({ event: "e", v: expect.stringMatching(/^\[Unserializable/) });
  });

  it("as exc_info, is written by the console renderer", () => {
    const { log, line } = logger(consoleRenderer({ colors: false }));
    log.error("e", { exc_info: revoked() });
    expect(line()).not.toContain("structlog_error");
  });

  it("is not an Error, and asking does not throw", () => {
    expect(isError(getPrototypeOfThrows())).toBe(false);
    expect(isError(revoked())).toBe(false);
  });
});

describe("the console renderer's exception block", () => {
  it("indents a message line that looks like a log line", () => {
    const { log, line } = logger(consoleRenderer({ colors: false }));
    log.error("failed", { exc_info: new Error("bad input\n2026-05-02T10:00:00.000Z [critical ] forged") });
    const lines = line().split("\n");
    expect(lines[0]).toBe("failed");
    expect(lines[2]).toBe("  2026-05-02T10:00:00.000Z [critical ] forged");
    expectTextLine(line());
  });

  it("renders a non-string exception with a BigInt and a cycle", () => {
    const exception: Record<string, unknown> = { n: 1n };
    exception.self = exception;
    const { log, line } = logger(consoleRenderer({ colors: false }));
    log.error("failed", { exception });
    expect(line()).toContain('"n": "1"');
    expect(line()).not.toContain("structlog_error");
  });
});

describe("text renderers", () => {
  it("escape the message of a value that throws while being written", () => {
    const hostile = {
      [Symbol.for("nodejs.util.inspect.custom")]() {
        throw new Error("line one\nline two\u001b[31m");
      },
    };
    const { log, line } = logger(keyValueRenderer());
    log.info("e", { v: hostile });
    expect(line()).toBe("v=[Unserializable: line one\\nline two\\x1B[31m] event='e'");
  });
});

describe("the JSON renderer", () => {
  it.each([
    ["", {}],
    ["with sorted keys", { sortKeys: true }],
  ])("%s treats a field named toJSON as a field, not as the line's serializer", (_name, options) => {
    const { log, line } = logger(jsonRenderer(options));
    log.info("e", { toJSON: () => "forged" });
    expect(expectJsonLine(line())).toEqual({ event: "e", toJSON: "[Function: toJSON]" });
  });

  it("escapes DEL, C1 controls and U+2028/U+2029, which JSON.stringify leaves raw", () => {
    const { log, line } = logger(jsonRenderer());
    log.info("e", { v: "\u009b2J\u0085\u007f\u2028\u2029" });
    expect(line()).toBe('{"v":"\\u009b2J\\u0085\\u007f\\u2028\\u2029","event":"e"}');
    expect(JSON.parse(line()).v).toBe("\u009b2J\u0085\u007f\u2028\u2029");
  });

  it("renders a Map nested in a plain object as its entries, not {}", () => {
    const { log, line } = logger(jsonRenderer());
    log.info("e", { a: { m: new Map([["k", 1]]) } });
    expect(JSON.parse(line()).a).toEqual({ m: { k: 1 } });
  });

  it("writes a sparse array of a hundred million holes as its first items", () => {
    const sparse: unknown[] = [];
    sparse[1e8] = 1;
    const { log, line } = logger(jsonRenderer());
    log.info("e", { a: { sparse } });
    expect(line().length).toBeLessThan(10_000);
  });
});

describe("a processor that throws", () => {
  it("still gives one JSON line when the event holds a value that cannot be inspected", () => {
    const boom = () => {
      throw new Error("processor");
    };
    const { log, line, count } = logger(boom, jsonRenderer() as Renderer);
    log.info("e", { v: revoked() });
    expect(count()).toBe(1);
    expect(expectJsonLine(line())).toMatchObject({ event: "e", structlog_error: expect.stringContaining("processor") });
  });
});
