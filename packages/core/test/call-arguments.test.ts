import { describe, expect, it } from "vitest";
import { wrapLogger } from "../src/config.js";
import { formatExcInfo } from "../src/processors/exceptions.js";
import { jsonRenderer } from "../src/renderers/json.js";
import { CapturingLogger } from "../src/testing.js";
import type { EventDict, ProcessorChain } from "../src/types.js";
import { capturing } from "./helpers.js";

function logger(...processors: unknown[]) {
  const out = new CapturingLogger();
  const log = wrapLogger(out, { processors: processors as unknown as ProcessorChain });
  return { log, line: () => out.calls.at(-1)?.rendered as string };
}

describe("log call shapes", () => {
  it("puts call fields after bound fields and the event last", () => {
    const { log, dicts } = capturing();
    log.bind({ a: 1 }).info("evt", { b: 2 });
    expect(Object.keys(dicts()[0] as EventDict)).toEqual(["a", "b", "event"]);
  });

  it("lets a call field override a bound field for that call only", () => {
    const { log, dicts } = capturing();
    const bound = log.bind({ a: 1 });
    bound.info("x", { a: 2 });
    bound.info("y");
    expect(dicts()).toEqual([
      { a: 2, event: "x" },
      { a: 1, event: "y" },
    ]);
  });

  it("accepts pino's (obj, msg) shape", () => {
    const { log, dicts } = capturing();
    log.info({ res: 200 }, "request completed");
    expect(dicts()[0]).toEqual({ res: 200, event: "request completed" });
  });

  it("formats pino's printf-style arguments", () => {
    const { log, dicts } = capturing();
    log.info("Server listening at %s", "http://127.0.0.1:3000");
    expect(dicts()[0]).toEqual({ event: "Server listening at http://127.0.0.1:3000" });
  });

  it("uses obj.msg as the event when no message is given", () => {
    const { log, dicts } = capturing();
    log.info({ msg: "hello", a: 1 });
    expect(dicts()[0]).toEqual({ a: 1, event: "hello" });
  });

  it("uses the call's msg as the event when a msg is also bound, and keeps the bound one as a field", () => {
    const { log, dicts } = capturing();
    log.bind({ msg: "ctx" }).info({ msg: "hello" });
    expect(dicts()[0]).toEqual({ msg: "ctx", event: "hello" });
  });

  it("keeps a bound msg as a field when the call has no message", () => {
    const { log, dicts } = capturing();
    log.bind({ msg: "ctx" }).info({ a: 1 });
    expect(dicts()[0]).toEqual({ msg: "ctx", a: 1 });
  });

  it("puts a bare Error under exc_info with its message as the event", () => {
    const { log, dicts } = capturing();
    const err = new Error("boom");
    log.error(err);
    expect(dicts()[0]).toEqual({ exc_info: err, event: "boom" });
  });

  it("puts an Error second argument under exc_info", () => {
    const { log, dicts } = capturing();
    const err = new Error("boom");
    log.error("failed", err);
    expect(dicts()[0]).toEqual({ exc_info: err, event: "failed" });
  });
});

describe("hostile call arguments", () => {
  it("do not spread a Buffer given as the fields argument into one field per byte", () => {
    const { log, line } = logger(formatExcInfo, jsonRenderer());
    log.info("got", Buffer.alloc(1_000_000));
    expect(line().length).toBeLessThan(1000);
    expect(JSON.parse(line()).event).toMatch(/^got <Buffer 00 00/);
  });

  it("do not spread an array given pino's way into one field per item", () => {
    const { log, line } = logger(jsonRenderer());
    log.info(new Array(1_000_000).fill(1), "msg");
    expect(Object.keys(JSON.parse(line()))).toEqual(["event"]);
  });

  it("format %j of a sparse array of 2^31 holes without aborting the process", () => {
    // util.format("%j", a) is JSON.stringify(a), which Node 20 answers with a fatal V8 error.
    const sparse: unknown[] = [];
    sparse[2 ** 31] = 1;
    const { log, line } = logger(jsonRenderer());
    log.info("a=%j", sparse);
    expect(JSON.parse(line()).event).toMatch(/^a=\[null,null,.*more items\]"\]$/);
  });

  it("format %d of nested sparse arrays without joining their holes", () => {
    const sparse: unknown[] = [];
    sparse[2 ** 31] = 1;
    const { log, line } = logger(jsonRenderer());
    log.info("n=%d", [[sparse]]);
    expect(JSON.parse(line()).event).toBe("n=NaN");
  });

  it("still format %d of a one-item array as its number", () => {
    const { log, line } = logger(jsonRenderer());
    log.info("n=%d %i", [5], [7]);
    expect(JSON.parse(line()).event).toBe("n=5 7");
  });
});
