import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { wrapLogger } from "../../src/config.js";
import { consoleRenderer, plainTraceback } from "../../src/renderers/console.js";
import { CapturingLogger, captureReports } from "../../src/testing.js";
import { expectTextLine } from "../reliability/checks.js";
import { RAW_CONTROL, render, revokedProxy } from "./helpers.js";

function logger() {
  const out = new CapturingLogger();
  const log = wrapLogger(out, { processors: [consoleRenderer({ colors: false })] });
  return { log, line: () => out.calls.at(-1)?.rendered as string };
}

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

  it("writes a request line's err as the exception block, as exc_info", () => {
    const err = new TypeError("boom");
    const out = render(consoleRenderer({ colors: false }), { event: "request_completed", status_code: 500, err });
    expect(out).toMatch(/^request_completed\s+status_code=500\n {2}TypeError: boom\n {6}at /);
    expect(out).not.toContain("err=");
  });

  it("keeps err a field when exc_info names the exception", () => {
    const out = render(consoleRenderer({ colors: false }), { event: "failed", err: new Error("first"), exc_info: new Error("second") });
    expect(out).toMatch(/^failed\s+err=.*first.*\n {2}Error: second\n/);
  });

  it("keeps an err that is not an Error a field", () => {
    expect(render(consoleRenderer({ colors: false }), { event: "failed", err: "plain string" })).toBe(
      "failed                         err='plain string'",
    );
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

  it("writes a proxy that cannot be inspected, given as exc_info,", () => {
    const { log, line } = logger();
    log.error("e", { exc_info: revokedProxy() });
    expect(line()).not.toContain("structlog_error");
  });

  it("notes once that exc_info: true logs no exception", () => {
    let line = "";
    const reports = captureReports(() => {
      line = render(consoleRenderer({ colors: false }), { event: "failed", exc_info: true });
    });
    expect([line, reports]).toEqual(["failed", [expect.stringMatching(/^structlog: note: exc_info: true/)]]);
  });
});

describe("consoleRenderer()'s exception block", () => {
  it("indents a message line that looks like a log line", () => {
    const { log, line } = logger();
    log.error("failed", { exc_info: new Error("bad input\n2026-05-02T10:00:00.000Z [critical ] forged") });
    const lines = line().split("\n");
    expect(lines[0]).toBe("failed");
    expect(lines[2]).toBe("  2026-05-02T10:00:00.000Z [critical ] forged");
    expectTextLine(line());
  });

  it("renders a non-string exception with a BigInt and a cycle", () => {
    const exception: Record<string, unknown> = { n: 1n };
    exception.self = exception;
    const { log, line } = logger();
    log.error("failed", { exception });
    expect(line()).toContain('"n": "1"');
    expect(line()).not.toContain("structlog_error");
  });
});
