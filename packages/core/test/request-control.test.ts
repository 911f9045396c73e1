import { describe, expect, it } from "vitest";
import { type RequestLineDecision, type RequestOutcome, resolveRequestControl, runInControlScope } from "../src/http/index.js";
import { makeFilteringBoundLogger } from "../src/index.js";
import { captureReports } from "../src/testing.js";
import { capturing } from "./helpers.js";

const ok: RequestOutcome = { method: "GET", path: "/", statusCode: 200, durationMs: 3 };
const atInfo = { wrapperClass: makeFilteringBoundLogger("info") };

describe("RequestLogControl.open()", () => {
  it("gives no control to a request when no option asks for one", () => {
    expect(resolveRequestControl({}, "test").open({})).toBeUndefined();
  });

  it("gives a request the level levelFor() returns, for every logger in its scope", () => {
    const rc = resolveRequestControl<{ debug: boolean }>({ levelFor: (req) => (req.debug ? "debug" : undefined) }, "test");
    const { log, dicts } = capturing([], atInfo);
    const control = rc.open({ debug: true });
    expect(control).toBeDefined();
    runInControlScope(control as NonNullable<typeof control>, () => log.debug("deep"));
    control?.end(false);
    expect(rc.open({ debug: false })).toBeUndefined();
    expect(dicts().map((d) => d.event)).toEqual(["deep"]);
  });

  it("uses the route's level when levelFor() gives none, and levelFor() when it gives one", () => {
    const rc = resolveRequestControl<string | undefined>({ levelFor: (req) => req }, "test");
    const route = rc.open(undefined, "warn");
    const both = rc.open("debug", "warn");
    expect([route?.floor, both?.floor]).toEqual([30, 10]);
    route?.end(false);
    both?.end(false);
  });

  it("writes, rather than holds, the lines of a request with a level of its own", () => {
    const rc = resolveRequestControl({ levelFor: () => "debug", logControl: { holdBelow: "info" } }, "test");
    const { log, dicts } = capturing([], atInfo);
    const control = rc.open({}) as NonNullable<ReturnType<typeof rc.open>>;
    runInControlScope(control, () => log.debug("seen"));
    rc.end(control, ok);
    expect(dicts().map((d) => d.event)).toEqual(["seen"]);
  });

  it("reports a levelFor() that throws once, and gives the request the default", () => {
    const rc = resolveRequestControl(
      {
        levelFor: () => {
          throw new Error("no");
        },
      },
      "test",
    );
    const reports = captureReports(() => expect(rc.open({})).toBeUndefined());
    expect(reports).toEqual(["structlog: test levelFor failed: Error: no (reported once)"]);
  });

  it("reports an unknown level from levelFor() and gives the request the default", () => {
    const rc = resolveRequestControl({ levelFor: () => "loud" }, "test");
    const reports = captureReports(() => expect(rc.open({})).toBeUndefined());
    expect(reports).toEqual([expect.stringMatching(/^structlog: test levelFor failed: TypeError: Unknown log level "loud"/)]);
  });
});

describe("RequestLogControl held lines", () => {
  function request(outcome: RequestOutcome, body: (log: ReturnType<typeof capturing>["log"]) => void): unknown[] {
    const rc = resolveRequestControl({ logControl: { holdBelow: "info" } }, "test");
    const { log, dicts } = capturing([], atInfo);
    const control = rc.open({});
    runInControlScope(control as NonNullable<typeof control>, () => {
      body(log);
      if (rc.decide(control, outcome) !== false) log.log(outcome.statusCode >= 500 ? "error" : "info", "request_completed");
      rc.end(control, outcome);
    });
    return dicts().map((d) => d.event);
  }

  it("discards them when the request succeeds", () => {
    expect(request(ok, (log) => log.debug("held"))).toEqual(["request_completed"]);
  });

  it("writes them before the request line of a 5xx", () => {
    expect(request({ ...ok, statusCode: 503 }, (log) => log.debug("held"))).toEqual(["held", "request_completed"]);
  });

  it("writes them before the request line when the request threw, whatever its status", () => {
    expect(request({ ...ok, statusCode: 404, error: new Error("x") }, (log) => log.debug("held"))).toEqual(["held", "request_completed"]);
  });

  it("writes them when the server timed the request out", () => {
    expect(request({ ...ok, statusCode: 200, timedOut: true }, (log) => log.debug("held"))).toEqual(["held", "request_completed"]);
  });

  it("discards them for a 4xx that threw nothing", () => {
    expect(request({ ...ok, statusCode: 404 }, (log) => log.debug("held"))).toEqual(["request_completed"]);
  });
});

describe("RequestLogControl sampling", () => {
  function decisions(options: object, outcome: RequestOutcome, n: number, body?: () => void) {
    const rc = resolveRequestControl({ sampling: options }, "test");
    const out: RequestLineDecision[] = [];
    for (let i = 0; i < n; i++) {
      const control = rc.open({});
      runInControlScope(control as NonNullable<typeof control>, () => {
        body?.();
        out.push(rc.decide(control, outcome));
        rc.end(control, outcome);
      });
    }
    return out;
  }

  it("keeps about 1 in N of the 2xx request lines, each with sample_rate N", () => {
    // 2000 draws at 1/4: the count is 500 ± 3.7 standard deviations inside [430, 570].
    const kept = decisions({ oneIn: 4 }, ok, 2000).filter((d) => d !== false);
    expect(kept.length).toBeGreaterThan(430);
    expect(kept.length).toBeLessThan(570);
    expect(new Set(kept.map((d) => (d as { sampleRate: number }).sampleRate))).toEqual(new Set([4]));
  });

  it("gives sample_rate 1 / rate", () => {
    const kept = decisions({ rate: 0.5 }, ok, 200).filter((d) => d !== false);
    expect(new Set(kept.map((d) => (d as { sampleRate: number }).sampleRate))).toEqual(new Set([2]));
  });

  it("keeps every line with rate 1", () => {
    expect(decisions({ rate: 1 }, ok, 50)).toEqual(Array(50).fill({ sampleRate: 1 }));
  });

  it.each([
    ["a 5xx", { ...ok, statusCode: 500 }],
    ["a 4xx", { ...ok, statusCode: 404 }],
    ["a 3xx", { ...ok, statusCode: 302 }],
    ["a thrown error", { ...ok, error: new Error("x") }],
    ["an aborted request", { ...ok, aborted: true }],
    ["a slow request", { ...ok, durationMs: 250 }],
  ])("never drops %s, and gives it no sample_rate", (_name, outcome) => {
    expect(decisions({ oneIn: 1_000_000, keepSlowerThanMs: 200 }, outcome, 50)).toEqual(Array(50).fill({ sampleRate: undefined }));
  });

  it("never drops the line of a request whose level levelFor() gave", () => {
    const rc = resolveRequestControl({ levelFor: () => "debug", sampling: { oneIn: 1_000_000 } }, "test");
    const control = rc.open({});
    expect(rc.decide(control, ok)).toEqual({ sampleRate: undefined });
    rc.end(control, ok);
  });

  it("still samples a request whose level is its route's", () => {
    const rc = resolveRequestControl({ sampling: { oneIn: 1_000_000 } }, "test");
    const control = rc.open({}, "warn");
    expect(rc.decide(control, ok)).toBe(false);
    rc.end(control, ok);
  });

  it("never drops a 2xx whose scope logged an error line", () => {
    const { log } = capturing([], atInfo);
    expect(decisions({ oneIn: 1_000_000 }, ok, 20, () => log.error("failed"))).toEqual(Array(20).fill({ sampleRate: undefined }));
  });
});

describe("resolveRequestControl() options", () => {
  it.each([
    [{ sampling: {} }, /give one of rate \(e.g. 0.1\) or oneIn/],
    [{ sampling: { rate: 0.1, oneIn: 10 } }, /give one of rate/],
    [{ sampling: { rate: 0 } }, /rate must be above 0 and at most 1, not 0/],
    [{ sampling: { rate: 1.5 } }, /rate must be above 0 and at most 1/],
    [{ sampling: { oneIn: 2.5 } }, /oneIn must be a whole number/],
    [{ sampling: { rate: 0.1, keepSlowerThanMs: -1 } }, /keepSlowerThanMs must be a number of milliseconds/],
    [{ sampling: { every: 10 } }, /unknown option "every"/],
    [{ levelFor: "debug" }, /levelFor must be a function/],
    [{ logControl: { holdBelow: "loud" } }, /logControl: holdBelow: Unknown log level "loud"/],
  ])("rejects %j, saying what to change", (options, message) => {
    expect(() => resolveRequestControl(options as never, "test")).toThrow(message);
  });
});
