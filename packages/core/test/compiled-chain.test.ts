import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compiledLine, compileLogger } from "../src/compiled-chain.js";
import { mergeContextVars } from "../src/context.js";
import { bindContextVars, boundContextVars, clearContextVars } from "../src/contextvars.js";
import { type Logger, wrapLogger } from "../src/index.js";
import { formatExcInfo } from "../src/processors/exceptions.js";
import { addLogLevel } from "../src/processors/level.js";
import { timeStamper } from "../src/processors/timestamps.js";
import { jsonRenderer } from "../src/renderers/json.js";
import { CapturingLogger, captureReports } from "../src/testing.js";
import type { EventDict, Processor, ProcessorChain } from "../src/types.js";
import { Box, hostileKey, hostileString, hostileValue, unbox } from "./reliability/arbitraries.js";

// A step the compiled chain does not know: a chain that starts with it takes the general path.
const passThrough: Processor = (_l, _m, ed: EventDict) => ed;

/** Two loggers over the same chain: one compiled, one made to take the general path by `passThrough`. */
function pair(chain: readonly unknown[]): { compiled: Logger; general: Logger; lines: () => [string[], string[]] } {
  const a = new CapturingLogger();
  const b = new CapturingLogger();
  const compiled = wrapLogger(a, { processors: [...chain] as unknown as ProcessorChain });
  const general = wrapLogger(b, { processors: [passThrough, ...chain] as unknown as ProcessorChain });
  const rendered = (out: CapturingLogger) => out.calls.map((c) => c.rendered as string);
  return { compiled, general, lines: () => [rendered(a), rendered(b)] };
}

// A timestamp that stays the same while a property runs (the year), so the two lines can be compared.
const CHAINS: Record<string, readonly unknown[]> = {
  production: [mergeContextVars, addLogLevel, timeStamper({ fmt: "%Y" }), formatExcInfo, jsonRenderer()],
  "small limits": [addLogLevel, mergeContextVars, formatExcInfo, jsonRenderer({ maxLineBytes: 1024, maxStringLength: 40 })],
  "other order, own key": [formatExcInfo, timeStamper({ fmt: "%Y", key: "ts" }), mergeContextVars, addLogLevel, jsonRenderer()],
  "renderer only": [jsonRenderer()],
};

const primitive = fc.oneof(hostileString, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined));
const key = fc.oneof(hostileKey, fc.constantFrom("a", "b", "user_id", "exc_info", "exception", "timestamp", "ts", "msg", "1", "07x"));
const context = fc.oneof(
  fc.dictionary(key, primitive, { maxKeys: 5 }),
  fc.dictionary(key, hostileValue, { maxKeys: 3 }).map((d) => Object.fromEntries(Object.entries(d).map(([k, v]) => [k, unbox(v)]))),
);
const errorChain = fc.tuple(hostileString, hostileString, fc.integer({ min: 0, max: 3 })).map(([m1, m2, depth]) => {
  let err: Error = new Error(m1);
  for (let i = 0; i < depth; i++) err = new Error(`${m2} ${i}`, { cause: err });
  return new Box(err);
});
const fields = fc.oneof(
  fc.dictionary(key, primitive, { maxKeys: 6 }).map((d) => new Box(d)),
  fc
    .dictionary(key, hostileValue, { maxKeys: 4 })
    .map((d) => new Box(Object.fromEntries(Object.entries(d).map(([k, v]) => [k, unbox(v)])))),
  fc.tuple(fc.dictionary(key, primitive, { maxKeys: 3 }), errorChain).map(([d, e]) => new Box({ ...d, exc_info: unbox(e) })),
  errorChain,
  fc.constant(new Box(undefined)),
);

describe("the compiled chain", () => {
  for (const [name, chain] of Object.entries(CHAINS)) {
    it(`writes the line the general path writes (${name}, property)`, () => {
      let compiledLoggers = 0;
      captureReports(() =>
        fc.assert(
          fc.property(context, fields, hostileString, fc.option(fc.dictionary(key, primitive, { maxKeys: 3 })), (ctx, f, event, vars) => {
            const { compiled, general, lines } = pair(chain);
            const call = () => {
              const log = compiled.bind(ctx);
              log.info(event, unbox(f) as never);
              if ((log as unknown as { _compiled: unknown })._compiled) compiledLoggers++;
              general.bind(ctx).info(event, unbox(f) as never);
            };
            if (vars === null) call();
            else boundContextVars(vars, call);
            const [a, b] = lines();
            expect(a).toEqual(b);
          }),
          { numRuns: 300 },
        ),
      );
      // The property is about the compiled path: most contexts are written by it.
      expect(compiledLoggers).toBeGreaterThan(50);
    });
  }

  it("writes the same line when the context variables change between calls", () => {
    const { compiled, general, lines } = pair(CHAINS.production as unknown[]);
    const both = (fn: (log: Logger) => void) => {
      fn(compiled);
      fn(general);
    };
    boundContextVars({ request_id: "r1" }, () => {
      both((log) => log.info("first", { a: 1 }));
      bindContextVars({ user_id: 42 });
      both((log) => log.info("second", { a: 2 }));
    });
    both((log) => log.info("outside"));
    clearContextVars();
    const [a, b] = lines();
    expect(a).toEqual(b);
    expect(JSON.parse(a[1] as string)).toMatchObject({ request_id: "r1", user_id: 42, event: "second" });
  });

  it("writes a request line's shape itself: keys shared by the context, the context variables and the fields (property)", () => {
    // A request logger is bound to request_id, the request's scope holds it
    // too, and the request line's fields repeat the scope's variables.
    const shared = fc.dictionary(key, primitive, { minKeys: 1, maxKeys: 4 });
    captureReports(() =>
      fc.assert(
        fc.property(shared, fc.dictionary(key, primitive, { maxKeys: 3 }), fc.subarray([0, 1, 2, 3]), (values, own, picks) => {
          const names = Object.keys(values);
          const pick = (i: number) => names.filter((_, j) => j % 4 === i || picks.includes(j % 4));
          const ctx = Object.fromEntries(pick(0).map((k) => [k, values[k]]));
          const vars = Object.fromEntries(pick(1).map((k) => [k, values[k]]));
          const callFields = { ...Object.fromEntries(pick(2).map((k) => [k, values[k]])), ...own };
          const { compiled, general, lines } = pair(CHAINS.production as unknown[]);
          let direct: string | undefined;
          boundContextVars(vars, () => {
            compiled.bind(ctx).info("request_completed", callFields);
            general.bind(ctx).info("request_completed", callFields);
            const state = compileLogger(CHAINS.production as unknown[], ctx);
            direct = state === null ? undefined : compiledLine(state, "info", "request_completed", callFields);
          });
          const [a, b] = lines();
          expect(a).toEqual(b);
          if (direct !== undefined) expect(direct).toBe(b[0]);
        }),
        { numRuns: 300 },
      ),
    );
  });

  it("writes the request line itself when it repeats the logger's request_id and the scope's user_id", () => {
    const { general, lines } = pair(CHAINS.production as unknown[]);
    const ctx = { request_id: "r-1" };
    const state = compileLogger(CHAINS.production as unknown[], ctx);
    let direct: string | undefined;
    boundContextVars({ request_id: "r-1", user_id: "u-7", tenant: "acme" }, () => {
      const fields = { request_id: "r-1", user_id: "u-7", method: "GET", path: "/orders/42", status_code: 200, duration_ms: 1.25 };
      direct = state === null ? undefined : compiledLine(state, "info", "request_completed", fields);
      general.bind(ctx).info("request_completed", fields);
    });
    const [, b] = lines();
    expect(direct).toBe(b[0]);
    expect(Object.keys(JSON.parse(direct as string))).toEqual([
      "request_id",
      "user_id",
      "method",
      "path",
      "status_code",
      "duration_ms",
      "event",
      "tenant",
      "level",
      "timestamp",
    ]);
  });

  it("writes a bound value that changed since bind() as it is now (objects take the general path)", () => {
    const { compiled, lines } = pair(CHAINS.production as unknown[]);
    const user = { id: 1 };
    const log = compiled.bind({ user });
    log.info("a");
    user.id = 2;
    log.info("b");
    expect(lines()[0].map((l) => JSON.parse(l).user.id)).toEqual([1, 2]);
  });

  it("writes an error logged again as it is now: a changed stack, message or cause is written", () => {
    const { compiled, general, lines } = pair(CHAINS.production as unknown[]);
    const cause = new Error("socket hang up");
    const err = new Error("payment failed", { cause });
    const both = () => {
      compiled.error("payment_failed", err);
      general.error("payment_failed", { exc_info: err });
    };
    both();
    both();
    err.stack = "PaymentError: changed\n    at somewhere (file.js:1:1)";
    both();
    err.cause = new Error("dns lookup failed");
    both();
    (err.cause as Error).stack = "changed too";
    both();
    const [a, b] = lines();
    expect(a).toEqual(b);
    expect(new Set(a.map((l) => JSON.parse(l).exception)).size).toBe(4);
  });

  it("writes an error whose cause chain is circular as the general path does, again and again", () => {
    const { compiled, general, lines } = pair(CHAINS.production as unknown[]);
    const a = new Error("a");
    const b = new Error("b", { cause: a });
    a.cause = b;
    for (let i = 0; i < 3; i++) {
      compiled.error("loop", a);
      general.error("loop", { exc_info: a });
      if (i === 1) b.message = "b changed";
      if (i === 1) b.stack = "Error: b changed";
    }
    const [x, y] = lines();
    expect(x).toEqual(y);
    expect(x[2]).toContain("b changed");
  });

  it("lets a custom processor anywhere in the chain see the plain event dict", () => {
    const seen: EventDict[] = [];
    const spy: Processor = (_l, _m, ed) => {
      seen.push({ ...ed });
      return ed;
    };
    const out = new CapturingLogger();
    const log = wrapLogger(out, {
      processors: [mergeContextVars, addLogLevel, spy, formatExcInfo, jsonRenderer()] as unknown as ProcessorChain,
    }).bind({ service: "checkout" });
    log.info("user_login", { user_id: 7 });
    expect(seen).toEqual([{ service: "checkout", user_id: 7, event: "user_login", level: "info" }]);
  });

  it("counts an ASCII line's size by its length: lines around maxLineBytes are cut as the general path cuts them", () => {
    const chain = [addLogLevel, jsonRenderer({ maxLineBytes: 1024, maxStringLength: 4000 })];
    const { compiled, general, lines } = pair(chain);
    for (let n = 950; n <= 1050; n++) {
      compiled.info("sized", { pad: "x".repeat(n), n });
      general.info("sized", { pad: "x".repeat(n), n });
    }
    const [a, b] = lines();
    expect(a).toEqual(b);
    expect(a.filter((line) => line.includes("structlog_truncated")).length).toBeGreaterThan(0);
    expect(a.filter((line) => !line.includes("structlog_truncated")).length).toBeGreaterThan(0);
  });

  it("escapes DEL, C1 and U+2028 in a key, a short value and the event as the general path does", () => {
    const { compiled, general, lines } = pair(CHAINS.production as unknown[]);
    for (const log of [compiled, general]) {
      log.info("del\u007f", { a: "c1\u0085", "k\u2028": 1, b: "é", c: "\ud83d\ude00" });
      log.info("plain", { clé: "v" });
    }
    const [a, b] = lines();
    expect(a).toEqual(b);
    expect(a[0]).toContain("del\\u007f");
    expect(a[0]).toContain("c1\\u0085");
    expect(a[0]).toContain("k\\u2028");
  });

  it("writes a new error's stack as the general path does, plain or with a character JSON or the line escapes", () => {
    const { compiled, general, lines } = pair(CHAINS.production as unknown[]);
    const texts = [
      "plain stack\n    at f (a.js:1:1)",
      'a "quote"',
      "a \\ backslash",
      "del \u007f",
      "tab\there",
      "c1 \u0085",
      "clé",
      "\u2028",
      "emoji \ud83d\ude00",
    ];
    for (const text of texts) {
      const err = new Error("boom");
      err.stack = `Error: ${text}`;
      compiled.error("failed", err);
      general.error("failed", { exc_info: err });
    }
    const [a, b] = lines();
    expect(a).toEqual(b);
    // The plain one as it is; a quote, a backslash and non-ASCII round-trip through JSON.
    const kept = texts.filter((_, i) => [0, 1, 2, 6, 8].includes(i)).map((text) => `Error: ${text}`);
    expect(a.map((line) => JSON.parse(line).exception)).toEqual(expect.arrayContaining(kept));
  });

  it("cuts a new error's text at maxStringLength as the general path does, at and around the limit", () => {
    const { compiled, general, lines } = pair(CHAINS["small limits"] as unknown[]);
    for (let n = 30; n <= 50; n++) {
      const err = new Error("x");
      err.stack = `Error${"s".repeat(n - 5)}`;
      compiled.error("failed", err);
      general.error("failed", { exc_info: err });
    }
    const [a, b] = lines();
    expect(a).toEqual(b);
    const exceptions = a.map((line) => JSON.parse(line).exception as string);
    expect(exceptions.slice(0, 11)).toEqual(Array.from({ length: 11 }, (_, i) => `Error${"s".repeat(25 + i)}`));
    expect(exceptions.slice(11).every((e) => !e.includes(`Error${"s".repeat(36)}`))).toBe(true);
  });

  it("writes an error's quote escaped when reading the error logs another, plain, error", () => {
    const { compiled, general, lines } = pair(CHAINS.production as unknown[]);
    const inner = new Error("inner");
    inner.stack = "Error: inner";
    const make = (log: Logger) => {
      const err = new Error("outer");
      err.stack = 'Error: outer "quoted"';
      // Read after the stack: logs a plain error from inside the outer one's formatting.
      Object.defineProperty(err, "cause", {
        get: () => {
          const plain = new Error("plain");
          plain.stack = "Error: plain";
          log.bind({ nested: true }).error("inner_failed", plain);
          return inner;
        },
      });
      return err;
    };
    compiled.error("failed", make(compiled));
    general.error("failed", { exc_info: make(general) });
    const [a, b] = lines();
    expect(a).toEqual(b);
    expect(JSON.parse(a.at(-1) as string).exception).toBe('Error: outer "quoted"\nCaused by:\nError: inner');
  });

  it("escapes DEL in a value before a getter that logs a plain line, as the general path does", () => {
    const { compiled, general, lines } = pair(CHAINS.production as unknown[]);
    for (const log of [compiled, general]) {
      const fields = { a: "del\u007f" } as Record<string, unknown>;
      Object.defineProperty(fields, "b", {
        enumerable: true,
        get: () => {
          log.info("inner", { plain: "yes" });
          return 1;
        },
      });
      log.info("outer", fields);
    }
    const [a, b] = lines();
    expect(a).toEqual(b);
    expect(a.find((line) => line.includes('"outer"'))).toContain("del\\u007f");
  });
  it("counts a nested value as the general path does when a getter inside it logs another nested value", () => {
    // 100 small numbers: 1,500 characters as the budget counts them (over 1,024), 800 bytes as written.
    const { compiled, general, lines } = pair(CHAINS["small limits"] as unknown[]);
    for (const log of [compiled, general]) {
      const wide: Record<string, unknown> = {};
      for (let i = 0; i < 100; i++) wide[`k${String(i).padStart(2, "0")}`] = 1;
      Object.defineProperty(wide, "logs", {
        enumerable: true,
        get: () => {
          log.info("inner", { small: { x: 1 } });
          return 1;
        },
      });
      log.info("outer", { wide });
    }
    const outer = (all: string[]) => all.filter((line) => line.includes('"outer"'));
    const [a, b] = lines();
    expect(outer(a)).toEqual(outer(b));
    expect(outer(a)[0]).toContain("structlog_truncated");
  });
});

describe("the compiled chain on nested values", () => {
  for (const name of ["production", "small limits"]) {
    it(`writes a plain nested tree of hostile strings as the general path does (${name}, property)`, () => {
      const tree = fc.object({
        key: hostileKey,
        values: [hostileString, fc.integer(), fc.double(), fc.boolean(), fc.constant(null)],
        maxDepth: 4,
      });
      fc.assert(
        fc.property(fc.dictionary(key, tree, { maxKeys: 3 }), hostileString, (f, event) => {
          const { compiled, general, lines } = pair(CHAINS[name] as unknown[]);
          compiled.info(event, f);
          general.info(event, f);
          const [a, b] = lines();
          expect(a).toEqual(b);
        }),
        { numRuns: 200 },
      );
    });
  }

  it("writes a nested string at maxStringLength as it is and one over it cut, as the general path does", () => {
    const { compiled, general, lines } = pair(CHAINS["small limits"] as unknown[]);
    for (const log of [compiled, general]) {
      log.info("at", { order: { items: ["x".repeat(40)], note: "y".repeat(40) } });
      log.info("over in an array", { order: { items: ["x".repeat(41)] } });
      log.info("over in an object", { order: { note: "y".repeat(41) } });
    }
    const [a, b] = lines();
    expect(a).toEqual(b);
    expect(JSON.parse(a[0] as string).order.note).toBe("y".repeat(40));
    expect(JSON.parse(a[1] as string).order.items[0]).not.toBe("x".repeat(41));
  });

  it("escapes DEL, C1 and U+2028 inside a nested value as the general path does", () => {
    const { compiled, general, lines } = pair(CHAINS.production as unknown[]);
    for (const log of [compiled, general]) log.info("raw", { order: { note: "a\u007fb\u009bc\u2028d", tags: ["\u2029"] } });
    const [a, b] = lines();
    expect(a).toEqual(b);
    expect(a[0]).toContain("a\\u007fb\\u009bc\\u2028d");
    expect(a[0]).not.toMatch(/[\u007f-\u009f\u2028\u2029]/);
  });

  it("writes a nested cycle, toJSON and Proxy as the general path does", () => {
    const { compiled, general, lines } = pair(CHAINS.production as unknown[]);
    for (const log of [compiled, general]) {
      const cycle: Record<string, unknown> = { a: 1 };
      cycle.self = cycle;
      log.info("cycle", { order: { cycle } });
      log.info("toJSON", { order: { when: { toJSON: () => "then" } } });
      log.info("proxy", { order: { p: new Proxy({ a: 1 }, {}) } });
    }
    const [a, b] = lines();
    expect(a).toEqual(b);
    expect(a).toHaveLength(3);
  });

  it("keeps a nested value's scan when a getter inside it logs a nested value that is not plain", () => {
    // The inner line's long string makes its own scan give up; the outer scan must go on with its own limits.
    const { compiled, general, lines } = pair(CHAINS["small limits"] as unknown[]);
    for (const log of [compiled, general]) {
      const inner = { a: "short" } as Record<string, unknown>;
      Object.defineProperty(inner, "logs", {
        enumerable: true,
        get: () => {
          log.info("inner", { deep: { long: "z".repeat(100) } });
          return "ok";
        },
      });
      log.info("outer", { order: { inner, after: "x".repeat(40) } });
    }
    const outer = (all: string[]) => all.filter((line) => line.includes('"outer"'));
    const [a, b] = lines();
    expect(outer(a)).toEqual(outer(b));
    expect(JSON.parse(outer(a)[0] as string).order.after).toBe("x".repeat(40));
  });
  it("reads a nested getter once: a string that grows on a second read is not written past maxStringLength", () => {
    const out = new CapturingLogger();
    const log = wrapLogger(out, { processors: [addLogLevel, jsonRenderer({ maxStringLength: 10 })] as unknown as ProcessorChain });
    let reads = 0;
    const nested = {
      get x() {
        reads++;
        return reads === 1 ? "short" : "L".repeat(50);
      },
    };
    log.info("evt", { nested });
    expect(reads).toBe(1);
    expect(JSON.parse(out.calls[0]?.rendered as string).nested).toEqual({ x: "short" });
  });
});
