import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { isoUtcFormatter, strftime, timeStamper } from "../../src/processors/timestamps.js";

const at = new Date("2026-05-02T10:00:00.123Z");
const run = (p: ReturnType<typeof timeStamper>) => p({ msg: () => undefined }, "info", {}) as Record<string, unknown>;

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(at);
});
afterEach(() => vi.useRealTimers());

describe("timeStamper()", () => {
  it('writes ISO 8601 UTC with milliseconds for fmt "iso"', () => {
    expect(run(timeStamper({ fmt: "iso" })).timestamp).toBe("2026-05-02T10:00:00.123Z");
  });

  it("writes local time with its offset when utc is false", () => {
    const ts = run(timeStamper({ fmt: "iso", utc: false })).timestamp as string;
    expect(new Date(ts).getTime()).toBe(at.getTime());
    expect(ts).toMatch(/[+-]\d\d:\d\d$/);
  });

  it('writes seconds since the epoch for fmt "unix"', () => {
    expect(run(timeStamper({ fmt: "unix" })).timestamp).toBe(at.getTime() / 1000);
  });

  it('rejects a fmt that is neither "iso", "unix" nor a pattern, suggesting the near one', () => {
    expect(() => timeStamper({ fmt: "isoo" })).toThrow(
      'timeStamper({ fmt: "isoo" }): not "iso", "unix" or a strftime pattern (it has no % directive). Did you mean "iso"?',
    );
  });

  it("rejects a pattern with a directive it does not know, listing the ones it does", () => {
    expect(() => timeStamper({ fmt: "%Y-%Q" })).toThrow(/%Q is not a directive; use %Y %y %m/);
  });

  it("rejects a pattern that ends with a lone %", () => {
    expect(() => timeStamper({ fmt: "%H:%M %" })).toThrow(/a lone % at the end is not a directive/);
  });

  it('takes "ISO" as structlog does', () => {
    expect(run(timeStamper({ fmt: "ISO" })).timestamp).toBe("2026-05-02T10:00:00.123Z");
  });

  it("writes a strftime pattern", () => {
    expect(run(timeStamper({ fmt: "%Y-%m-%d %H:%M:%S" })).timestamp).toBe("2026-05-02 10:00:00");
  });

  it("writes under a custom key", () => {
    expect(run(timeStamper({ fmt: "iso", key: "ts" }))).toEqual({ ts: "2026-05-02T10:00:00.123Z" });
  });

  it("moves on with the clock", () => {
    const p = timeStamper({ fmt: "iso" });
    run(p);
    vi.setSystemTime(new Date("2026-05-02T10:00:01.000Z"));
    expect(run(p).timestamp).toBe("2026-05-02T10:00:01.000Z");
  });
});

describe("strftime()", () => {
  it("supports the common directives", () => {
    expect(strftime(at, "%y|%j|%a %A|%b %B|%I%p|%f|%L|%z|%Z|%s|%%|%Q", true)).toBe(
      "26|122|Sat Saturday|May May|10AM|123000|123|+0000|UTC|1777716000|%|%Q",
    );
  });
});

describe("isoUtcFormatter()", () => {
  // Any whole millisecond Date can hold, in any order, so that each call
  // lands in the kept second, the next one, or far from it.
  const ms = fc.integer({ min: -8.64e15, max: 8.64e15 });
  const nearby = fc.tuple(ms, fc.array(fc.integer({ min: -2500, max: 2500 }), { maxLength: 20 }));

  it("writes what toISOString writes, for every time and every order of calls", () => {
    fc.assert(
      fc.property(nearby, ([start, steps]) => {
        const iso = isoUtcFormatter();
        let t = start;
        for (const step of [0, ...steps]) {
          t = Math.min(8.64e15, Math.max(-8.64e15, t + step));
          expect(iso(t)).toBe(new Date(t).toISOString());
        }
      }),
    );
  });

  it("writes the milliseconds of a new millisecond in a kept second with their leading zeros", () => {
    const iso = isoUtcFormatter();
    iso(Date.UTC(2026, 4, 2, 10, 0, 0, 999));
    expect(iso(Date.UTC(2026, 4, 2, 10, 0, 0, 7))).toBe("2026-05-02T10:00:00.007Z");
    expect(iso(Date.UTC(2026, 4, 2, 10, 0, 0, 42))).toBe("2026-05-02T10:00:00.042Z");
  });

  it("writes a time before 1970 and a six-digit year as toISOString does", () => {
    const iso = isoUtcFormatter();
    expect(iso(-1)).toBe("1969-12-31T23:59:59.999Z");
    expect(iso(-1000)).toBe("1969-12-31T23:59:59.000Z");
    expect(iso(8.64e15 - 1)).toBe("+275760-09-12T23:59:59.999Z");
    expect(iso(8.64e15)).toBe("+275760-09-13T00:00:00.000Z");
  });
});
