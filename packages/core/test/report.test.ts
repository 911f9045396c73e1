import { describe, expect, it } from "vitest";
import { note, report } from "../src/report.js";
import { captureReports } from "../src/testing.js";

describe("report()", () => {
  it("writes where it failed and the error, once per place", () => {
    const lines = captureReports(() => {
      report("processor addHost", new TypeError("no host"));
      report("processor addHost", new TypeError("still no host"));
      report("the wrapped logger", "gone");
    });
    expect(lines).toEqual([
      "structlog: processor addHost failed: TypeError: no host (reported once)",
      "structlog: the wrapped logger failed: gone (reported once)",
    ]);
  });

  it("keeps the report on one line", () => {
    expect(captureReports(() => report("x", new Error("a\nb\r\nc")))).toEqual(["structlog: x failed: Error: a b c (reported once)"]);
  });

  it("reports an error that cannot even be turned into text", () => {
    const hostile = {
      toString() {
        throw new Error("no");
      },
    };
    expect(captureReports(() => report("x", hostile))).toEqual(["structlog: x failed: unknown error (reported once)"]);
  });
});

describe("note()", () => {
  it("writes the note once per key", () => {
    expect(
      captureReports(() => {
        note("k", "this probably is not what you meant");
        note("k", "this probably is not what you meant");
      }),
    ).toEqual(["structlog: note: this probably is not what you meant (shown once)"]);
  });
});
