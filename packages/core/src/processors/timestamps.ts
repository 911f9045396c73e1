import { markFactory, markProcessor } from "../brand.js";
import { TIME_STAMP, type TimeStampPart } from "../chain-parts.js";
import { checkOptions, suggestOption } from "../options.js";
import type { EventDict, Processor } from "../types.js";

/** Options for {@link timeStamper}. */
export interface TimeStamperOptions {
  /**
   * `"iso"` (ISO 8601 with milliseconds), `"unix"` (seconds, a float; the
   * default) or a strftime pattern (see {@link strftime}). Anything else,
   * such as a pattern without a `%` directive or with an unknown one, throws.
   */
  readonly fmt?: "iso" | "unix" | (string & {});
  /** UTC (default) or local time with its offset. */
  readonly utc?: boolean;
  /** Default `"timestamp"`. */
  readonly key?: string;
}

const pad2 = (n: number) => String(n).padStart(2, "0");
const pad3 = (n: number) => String(n).padStart(3, "0");
const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

interface Parts {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
  ms: number;
  wd: number;
  offsetMin: number;
}

function parts(date: Date, utc: boolean): Parts {
  return utc
    ? {
        y: date.getUTCFullYear(),
        mo: date.getUTCMonth(),
        d: date.getUTCDate(),
        h: date.getUTCHours(),
        mi: date.getUTCMinutes(),
        s: date.getUTCSeconds(),
        ms: date.getUTCMilliseconds(),
        wd: date.getUTCDay(),
        offsetMin: 0,
      }
    : {
        y: date.getFullYear(),
        mo: date.getMonth(),
        d: date.getDate(),
        h: date.getHours(),
        mi: date.getMinutes(),
        s: date.getSeconds(),
        ms: date.getMilliseconds(),
        wd: date.getDay(),
        offsetMin: -date.getTimezoneOffset(),
      };
}

function offset(min: number, colon: boolean): string {
  const sign = min < 0 ? "-" : "+";
  const abs = Math.abs(min);
  return `${sign}${pad2(Math.floor(abs / 60))}${colon ? ":" : ""}${pad2(abs % 60)}`;
}

function dayOfYear(p: Parts): number {
  return Math.round((Date.UTC(p.y, p.mo, p.d) - Date.UTC(p.y, 0, 1)) / 86_400_000) + 1;
}

const DIRECTIVES: Readonly<Record<string, (p: Parts, date: Date) => string>> = {
  Y: (p) => String(p.y),
  y: (p) => pad2(p.y % 100),
  m: (p) => pad2(p.mo + 1),
  d: (p) => pad2(p.d),
  H: (p) => pad2(p.h),
  I: (p) => pad2(p.h % 12 || 12),
  p: (p) => (p.h < 12 ? "AM" : "PM"),
  M: (p) => pad2(p.mi),
  S: (p) => pad2(p.s),
  f: (p) => `${pad3(p.ms)}000`,
  L: (p) => pad3(p.ms),
  j: (p) => String(dayOfYear(p)).padStart(3, "0"),
  a: (p) => (DAYS[p.wd] ?? "").slice(0, 3),
  A: (p) => DAYS[p.wd] ?? "",
  b: (p) => (MONTHS[p.mo] ?? "").slice(0, 3),
  B: (p) => MONTHS[p.mo] ?? "",
  z: (p) => offset(p.offsetMin, false),
  Z: (p) => (p.offsetMin === 0 ? "UTC" : offset(p.offsetMin, true)),
  s: (_p, date) => String(Math.floor(date.getTime() / 1000)),
  "%": () => "%",
};

/**
 * Formats `date` with a strftime pattern: `%Y %y %m %d %H %I %p %M %S %f`
 * (microseconds, from milliseconds) `%L` (milliseconds) `%j %a %A %b %B %z %Z %s %%`.
 * An unknown directive is kept as written (`timeStamper()` rejects it).
 *
 * @example
 * strftime(new Date(0), "%Y-%m-%d %H:%M:%S", true); // "1970-01-01 00:00:00"
 */
export function strftime(date: Date, pattern: string, utc: boolean): string {
  const p = parts(date, utc);
  return pattern.replace(/%(.)/g, (whole, d: string) => DIRECTIVES[d]?.(p, date) ?? whole);
}

const KNOWN = Object.keys(DIRECTIVES)
  .map((d) => `%${d}`)
  .join(" ");

/**
 * `fmt` as the stamper uses it: `"iso"` and `"unix"` (in any case, as
 * structlog takes `"ISO"`), or a strftime pattern whose every directive is
 * known. Anything else throws, saying what to write: a typo such as `"isoo"`
 * would otherwise be written as the timestamp of every line.
 */
function checkFormat(fmt: string): string {
  const lower = fmt.toLowerCase();
  if (lower === "iso" || lower === "unix") return lower;
  const directives = [...fmt.matchAll(/%(.?)/gs)].map((m) => m[1] as string);
  if (directives.length === 0) {
    const near = ["iso", "unix"].find((name) => suggestOption(lower, [name]) !== undefined);
    const hint = near === undefined ? "" : ` Did you mean "${near}"?`;
    throw new TypeError(
      `timeStamper({ fmt: ${JSON.stringify(fmt)} }): not "iso", "unix" or a strftime pattern (it has no % directive).${hint}`,
    );
  }
  const unknown = directives.find((d) => !Object.hasOwn(DIRECTIVES, d));
  if (unknown !== undefined) {
    throw new TypeError(
      `timeStamper({ fmt: ${JSON.stringify(fmt)} }): ${unknown === "" ? "a lone % at the end" : `%${unknown}`} is not a directive; use ${KNOWN}.`,
    );
  }
  return fmt;
}

function isoLocal(date: Date): string {
  const p = parts(date, false);
  return `${p.y}-${pad2(p.mo + 1)}-${pad2(p.d)}T${pad2(p.h)}:${pad2(p.mi)}:${pad2(p.s)}.${pad3(p.ms)}${offset(p.offsetMin, true)}`;
}

/** A formatter that remembers its last result: at high rates many lines share a millisecond. */
function cachedPerMillisecond(format: (ms: number) => string): () => string {
  let lastMs = Number.NaN;
  let last = "";
  return () => {
    const now = Date.now();
    if (now !== lastMs) {
      lastMs = now;
      last = format(now);
    }
    return last;
  };
}

/**
 * `new Date(ms).toISOString()`, with the date and time up to the second
 * formatted once per second: a line in a new millisecond of the same second
 * only writes its milliseconds. (toISOString is about 7,000 instructions, a
 * third of a small line, and at a few lines per millisecond or fewer, as in
 * most servers, every line is in a new millisecond.) `ms` is a whole number,
 * as Date.now() gives.
 *
 * @example
 * const iso = isoUtcFormatter();
 * iso(1_000); // "1970-01-01T00:00:01.000Z"
 * iso(1_042); // "1970-01-01T00:00:01.042Z", from the kept "1970-01-01T00:00:01."
 */
export function isoUtcFormatter(): (ms: number) => string {
  let secondStart = Number.NaN;
  let prefix = "";
  return (ms) => {
    const into = ms - secondStart;
    if (into >= 0 && into < 1000) return `${prefix}${into < 10 ? "00" : into < 100 ? "0" : ""}${into}Z`;
    const iso = new Date(ms).toISOString();
    // The start of ms's second (times before 1970 too), and the text before its ".mmmZ".
    secondStart = ms - (((ms % 1000) + 1000) % 1000);
    prefix = iso.slice(0, -4);
    return iso;
  };
}

/**
 * Processor factory: adds the current time under `key`.
 *
 * @example
 * timeStamper({ fmt: "iso" });             // "2026-05-02T10:00:00.000Z"
 * timeStamper({ fmt: "%Y-%m-%d %H:%M:%S", utc: false });
 */
export function timeStamper(options: TimeStamperOptions = {}): Processor {
  checkOptions("timeStamper()", options, { fmt: "string", utc: "boolean", key: "non-empty string" }, { format: "did you mean fmt?" });
  const { utc = true, key = "timestamp" } = options;
  const fmt = checkFormat(options.fmt ?? "unix");
  let stamper: Processor;
  let now: () => string | number;
  if (fmt === "unix") {
    now = () => Date.now() / 1000;
    stamper = (_l, _m, eventDict: EventDict) => {
      eventDict[key] = Date.now() / 1000;
      return eventDict;
    };
  } else {
    const text =
      fmt === "iso"
        ? cachedPerMillisecond(utc ? isoUtcFormatter() : (ms) => isoLocal(new Date(ms)))
        : cachedPerMillisecond((ms) => strftime(new Date(ms), fmt, utc));
    now = text;
    stamper = (_l, _m, eventDict: EventDict) => {
      eventDict[key] = text();
      return eventDict;
    };
  }
  // What the compiled chain reads to write the same timestamp without an event dict.
  const part: TimeStampPart = { key, now };
  Object.defineProperty(stamper, TIME_STAMP, { value: part });
  return markProcessor(stamper, "timeStamper");
}
markFactory(timeStamper, 'timeStamper({ fmt: "iso" })');
