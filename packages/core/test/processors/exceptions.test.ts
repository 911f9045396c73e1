import { describe, expect, it } from "vitest";
import type { ExceptionDict } from "../../src/exception-format.js";
import { dictTracebacks, formatExcInfo } from "../../src/processors/exceptions.js";
import { captureReports } from "../../src/testing.js";
import type { EventDict } from "../../src/types.js";

const NO_EXCEPTION_NOTE =
  'structlog: note: exc_info: true, or log.exception() without an error, logs no exception: JavaScript has no "current exception". Pass the error: log.exception("payment_failed", err) or { exc_info: err } (shown once)';

const run = (p: typeof formatExcInfo, ed: EventDict) => p({ msg: () => undefined }, "error", ed) as EventDict;

describe("formatExcInfo", () => {
  it("replaces exc_info with the formatted exception", () => {
    const ed = run(formatExcInfo, { event: "x", exc_info: new TypeError("bad input") });
    expect(ed.exc_info).toBeUndefined();
    expect(ed.exception).toMatch(/^TypeError: bad input\n\s+at /);
  });

  it("leaves an event without exc_info untouched", () => {
    expect(run(formatExcInfo, { event: "x" })).toEqual({ event: "x" });
  });

  it("drops exc_info: true, which has no current exception in JavaScript, and notes once how to pass the error", () => {
    let eds: EventDict[] = [];
    const reports = captureReports(() => {
      eds = [run(formatExcInfo, { event: "x", exc_info: true }), run(dictTracebacks, { event: "y", exc_info: true })];
    });
    expect([eds, reports]).toEqual([[{ event: "x" }, { event: "y" }], [NO_EXCEPTION_NOTE]]);
  });

  it("formats a thrown non-Error value", () => {
    expect(run(formatExcInfo, { exc_info: "just a string" }).exception).toBe("just a string");
  });
});

describe("dictTracebacks", () => {
  it("lists the error and its causes with parsed frames", () => {
    const err = new Error("outer", { cause: new TypeError("inner") });
    const [outer, inner] = run(dictTracebacks, { exc_info: err }).exception as ExceptionDict[];
    expect(outer).toMatchObject({ exc_type: "Error", exc_value: "outer", is_cause: false });
    expect(inner).toMatchObject({ exc_type: "TypeError", exc_value: "inner", is_cause: true });
    expect(outer?.frames.at(-1)).toMatchObject({ filename: expect.stringContaining("exceptions.test.ts"), lineno: expect.any(Number) });
  });

  it("lists the frames in structlog's order: the outermost call first, the frame that threw last", () => {
    function inner(): never {
      throw new Error("deep");
    }
    function outer(): never {
      return inner();
    }
    let err: unknown;
    try {
      outer();
    } catch (e) {
      err = e;
    }
    const [dict] = run(dictTracebacks, { exc_info: err }).exception as ExceptionDict[];
    const names = dict?.frames.map((f) => f.name) ?? [];
    expect(names.at(-1)).toBe("inner");
    expect(names.indexOf("outer")).toBe(names.length - 2);
  });

  it("nests the members of an AggregateError", () => {
    const [agg] = run(dictTracebacks, { exc_info: new AggregateError([new Error("one")], "many") }).exception as ExceptionDict[];
    expect(agg?.exceptions?.[0]?.[0]).toMatchObject({ exc_type: "Error", exc_value: "one" });
  });

  it("keeps the error's own properties", () => {
    const err = Object.assign(new Error("nope"), { code: "ENOENT", statusCode: 404 });
    const [entry] = run(dictTracebacks, { exc_info: err }).exception as ExceptionDict[];
    expect(entry?.attributes).toEqual({ code: "ENOENT", statusCode: 404 });
  });
});
