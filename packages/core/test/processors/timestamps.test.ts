import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { strftime, timeStamper } from "../../src/processors/timestamps.js";

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
