import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { wrapLogger } from "../../src/config.js";
import { DEFAULT_REDACTED_HEADERS, redactHeaders, serializeRequest, serializeResponse } from "../../src/http/serializers.js";
import { parsePath, redact } from "../../src/processors/redact.js";
import { jsonRenderer } from "../../src/renderers/json.js";
import { CapturingLogger } from "../../src/testing.js";
import type { EventDict, ProcessorChain } from "../../src/types.js";

const run = (paths: readonly string[], ed: EventDict, censor?: unknown): EventDict =>
  redact({ paths, ...(censor === undefined ? {} : { censor }) })({ msg: () => undefined }, "info", ed) as EventDict;

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

describe("redact()", () => {
  it("replaces a top-level field", () => {
    expect(run(["password"], { event: "login", password: "hunter2" })).toEqual({ event: "login", password: "[Redacted]" });
  });

  it("replaces a nested field (a.b.c)", () => {
    expect(run(["a.b.c"], { a: { b: { c: 1, d: 2 } } })).toEqual({ a: { b: { c: "[Redacted]", d: 2 } } });
  });

  it("replaces a field of every top-level object with a leading wildcard (*.password)", () => {
    expect(run(["*.password"], { user: { password: "p" }, admin: { password: "q" }, n: 1 })).toEqual({
      user: { password: "[Redacted]" },
      admin: { password: "[Redacted]" },
      n: 1,
    });
  });

  it("replaces every field of an object with a trailing wildcard (headers.*)", () => {
    expect(run(["headers.*"], { headers: { a: "1", b: "2" } })).toEqual({ headers: { a: "[Redacted]", b: "[Redacted]" } });
  });

  it("replaces array items by index and by wildcard", () => {
    const ed = { items: [{ token: "t0" }, { token: "t1" }], first: [{ token: "t" }, { token: "u" }] };
    expect(run(["items[*].token", "first[0].token"], ed)).toEqual({
      items: [{ token: "[Redacted]" }, { token: "[Redacted]" }],
      first: [{ token: "[Redacted]" }, { token: "u" }],
    });
  });

  it("takes quoted keys and dashes in keys", () => {
    const ed = { headers: { "x-api-key": "k", "a.b": "dot" } };
    expect(run(["headers.x-api-key", 'headers["a.b"]'], ed)).toEqual({ headers: { "x-api-key": "[Redacted]", "a.b": "[Redacted]" } });
  });

  it("applies both a named path and a wildcard to the same object", () => {
    expect(run(["a.b", "*.c"], { a: { b: 1, c: 2, d: 3 } })).toEqual({ a: { b: "[Redacted]", c: "[Redacted]", d: 3 } });
  });

  it("skips paths that are not there, adding nothing", () => {
    expect(run(["a.b.c", "x", "*.y"], { a: { b: "not an object" }, z: 1 })).toEqual({ a: { b: "not an object" }, z: 1 });
  });

  it("uses the censor given, or computes it from the value and path", () => {
    expect(run(["a.b"], { a: { b: "secret" } }, "***")).toEqual({ a: { b: "***" } });
    const censor = (value: unknown, path: readonly string[]) => `${path.join(".")}:${String(value).length}`;
    expect(run(["a.b"], { a: { b: "secret" } }, censor)).toEqual({ a: { b: "a.b:6" } });
  });

  it("never changes the caller's objects, and copies only along the redacted path", () => {
    const other = { keep: true };
    const user = deepFreeze({ name: "ann", password: "p", other });
    const out = run(["user.password"], { user });
    expect(out.user).toEqual({ name: "ann", password: "[Redacted]", other: { keep: true } });
    expect(out.user).not.toBe(user);
    expect((out.user as { other: unknown }).other).toBe(other);
    expect(user.password).toBe("p");
  });

  it("keeps the prototype of a copied object", () => {
    class Account {
      constructor(
        readonly id: number,
        readonly secret: string,
      ) {}
    }
    const out = run(["account.secret"], { account: new Account(1, "s") });
    expect(out.account).toBeInstanceOf(Account);
    expect(out.account).toMatchObject({ id: 1, secret: "[Redacted]" });
  });

  it("censors the whole field when reading below it throws, and never throws itself", () => {
    const hostile = {
      get token(): string {
        throw new Error("getter");
      },
    };
    expect(run(["a.token"], { a: hostile, b: 1 })).toEqual({ a: "[Redacted]", b: 1 });
  });

  it("works in a logger's chain: the secret never reaches the line", () => {
    const out = new CapturingLogger();
    const log = wrapLogger(out, {
      processors: [redact({ paths: ["user.password", "headers.authorization"] }), jsonRenderer()] as ProcessorChain,
    });
    log.info("login", { user: { name: "ann", password: "hunter2" }, headers: { authorization: "Bearer abc" } });
    expect(out.calls[0]?.rendered).not.toMatch(/hunter2|Bearer abc/);
  });

  it("leaves the input unchanged and censors every value a path names (property)", () => {
    const key = fc.constantFrom("a", "b", "password", "Password", "TOKEN", "token", "__proto__", "0");
    const tree = fc.letrec<{ node: unknown }>((tie) => ({
      node: fc.oneof(
        { depthSize: "small" },
        fc.string(),
        fc.integer(),
        fc.dictionary(key, tie("node"), { maxKeys: 4 }),
        fc.array(tie("node"), { maxLength: 3 }),
        fc.array(fc.tuple(fc.oneof(key, fc.integer()), tie("node")), { maxLength: 3 }).map((entries) => new Map(entries)),
      ),
    })).node;
    const path = fc
      .array(fc.oneof(key, fc.constant("*"), fc.constantFrom("[0]", "[*]")), { minLength: 1, maxLength: 3 })
      .map((segments) => segments.reduce((p, s) => (s.startsWith("[") ? `${p === "" ? "x" : p}${s}` : p === "" ? s : `${p}.${s}`), ""));
    fc.assert(
      fc.property(
        fc.dictionary(key, tree, { maxKeys: 4 }),
        fc.array(path, { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        (fields, paths, caseSensitive) => {
          const before = structuredClone(fields);
          const out = redact({ paths, caseSensitive })({ msg: () => undefined }, "info", { ...fields }) as EventDict;
          expect(fields).toEqual(before);
          const fold = caseSensitive ? (k: string) => k : (k: string) => k.toLowerCase();
          for (const p of paths) for (const value of valuesAt(out, parsePath(p), fold)) expect(value).toBe("[Redacted]");
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("redact() over Maps, arrays and keys in another case (issue 9, finding 6)", () => {
  it("looks into a Map as into an object, and leaves the caller's Map alone", () => {
    const m = new Map<unknown, unknown>([
      ["password", "S-MAP"],
      ["user", "ann"],
    ]);
    const out = run(["m.password"], { m });
    expect(out.m).toEqual(
      new Map([
        ["password", "[Redacted]"],
        ["user", "ann"],
      ]),
    );
    expect(m.get("password")).toBe("S-MAP");
  });

  it("censors every entry of a Map with a wildcard, whatever the key", () => {
    const m = new Map<unknown, unknown>([
      [1, "one"],
      ["k", "two"],
    ]);
    expect(run(["m.*"], { m }).m).toEqual(
      new Map<unknown, unknown>([
        [1, "[Redacted]"],
        ["k", "[Redacted]"],
      ]),
    );
  });

  it("censors *.password over an array: the password of every item", () => {
    expect(run(["*.password"], { users: [{ password: "S-ARR", name: "ann" }, { password: "S-ARR2" }] })).toEqual({
      users: [{ password: "[Redacted]", name: "ann" }, { password: "[Redacted]" }],
    });
  });

  it("censors items[*].token over arrays of arrays", () => {
    expect(run(["items[*].token"], { items: [[{ token: "S-AOA" }], [{ token: "S-AOA2" }, { other: 1 }]] })).toEqual({
      items: [[{ token: "[Redacted]" }], [{ token: "[Redacted]" }, { other: 1 }]],
    });
  });

  it("looks through arrays for a key: users.password censors every user's", () => {
    expect(run(["users.password"], { users: [{ password: "p1" }, [{ password: "p2" }]] })).toEqual({
      users: [{ password: "[Redacted]" }, [{ password: "[Redacted]" }]],
    });
  });

  it("keeps an index an index: items[0].token censors the first item only", () => {
    expect(run(["items[0].token"], { items: [{ token: "t0" }, { token: "t1" }] })).toEqual({
      items: [{ token: "[Redacted]" }, { token: "t1" }],
    });
  });

  it("matches headers.authorization against Authorization, and any other case", () => {
    expect(run(["headers.authorization"], { headers: { Authorization: "S-CASE", AUTHORIZATION: "S-CASE2", accept: "*/*" } })).toEqual({
      headers: { Authorization: "[Redacted]", AUTHORIZATION: "[Redacted]", accept: "*/*" },
    });
    expect(run(["Password"], { password: "p" })).toEqual({ password: "[Redacted]" });
  });

  it("matches the case exactly with caseSensitive: true", () => {
    const out = redact({ paths: ["headers.authorization"], caseSensitive: true })({ msg: () => undefined }, "info", {
      headers: { Authorization: "kept", authorization: "gone" },
    });
    expect(out).toEqual({ headers: { Authorization: "kept", authorization: "[Redacted]" } });
  });

  it("gives the censor function the path as found, with indices", () => {
    const paths: string[] = [];
    run(["*.Token"], { items: [{ token: "a" }] }, (_v: unknown, path: readonly string[]) => {
      paths.push(path.join("."));
      return "x";
    });
    expect(paths).toEqual(["items.0.token"]);
  });
});

type Fold = (key: string) => string;

/**
 * The values a parsed path names, by the rules of redact() written out
 * plainly: keys match after `fold`, in objects and Maps; a key looks through
 * arrays into every item; an index names an item; a wildcard names every
 * key, entry or item.
 */
function valuesAt(value: unknown, segments: ReturnType<typeof parsePath>, fold: Fold): unknown[] {
  if (segments.length === 0) return [value];
  if (typeof value !== "object" || value === null) return [];
  const [head, ...rest] = segments;
  if (Array.isArray(value)) {
    if (typeof head !== "string") return value.flatMap((item) => valuesAt(item, rest, fold));
    if (/^(0|[1-9]\d*)$/.test(head)) return Number(head) < value.length ? valuesAt(value[Number(head)], rest, fold) : [];
    return value.flatMap((item) => valuesAt(item, segments, fold));
  }
  if (value instanceof Map) {
    const entries = [...value].filter(([k]) => typeof head !== "string" || (typeof k === "string" && fold(k) === fold(head)));
    return entries.flatMap(([, v]) => valuesAt(v, rest, fold));
  }
  const keys = Object.keys(value).filter((k) => typeof head !== "string" || fold(k) === fold(head));
  return keys.flatMap((k) => valuesAt((value as Record<string, unknown>)[k], rest, fold));
}

describe("redact() at creation", () => {
  it.each([
    ["", /non-empty string/],
    ["a..b", /empty segment/],
    [".a", /empty segment/],
    ["a.", /ends with a dot/],
    ["a[", /never closed/],
    ["a[b]", /must be an index/],
    ["a b", /may not hold spaces/],
    ["pass*", /may not hold spaces, quotes or "\*"/],
    ['a["b]', /must be an index/],
  ])("rejects the path %j, saying what to write", (path, message) => {
    expect(() => redact({ paths: [path] })).toThrow(message);
    expect(() => redact({ paths: [path] })).toThrow(/Write paths like "user.password"/);
  });

  it.each([[{ paths: [] }], [{ paths: "password" }], [{}], [null]])("rejects %j, asking for a non-empty array of paths", (options) => {
    expect(() => redact(options as never)).toThrow(/non-empty array of paths/);
  });

  it.each([
    [{ paths: ["a"], remove: true }, /unknown option "remove" \(pino's remove has no equivalent/],
    [{ paths: ["a"], case_sensitive: true }, /unknown option "case_sensitive" \(did you mean caseSensitive\?\)/],
    [{ paths: ["a"], caseSensitive: "yes" }, /option caseSensitive must be a boolean/],
  ])("rejects %j, saying what to change", (options, message) => {
    expect(() => redact(options as never)).toThrow(message);
  });

  it("does not keep or change the options object", () => {
    const paths = ["a"];
    const options = Object.freeze({ paths, censor: "x" });
    const processor = redact(options);
    paths.push("b");
    expect(processor({ msg: () => undefined }, "info", { a: 1, b: 2 })).toEqual({ a: "x", b: 2 });
  });
});

describe("default redaction of credential-bearing headers (HTTP serializers)", () => {
  const headers = {
    Authorization: "Bearer t",
    "proxy-authorization": "Basic p",
    cookie: "sid=s",
    "X-API-Key": "k",
    accept: "*/*",
  };

  it("redacts authorization, proxy-authorization, cookie and x-api-key in any case", () => {
    expect(redactHeaders(headers)).toEqual({
      Authorization: "[Redacted]",
      "proxy-authorization": "[Redacted]",
      cookie: "[Redacted]",
      "X-API-Key": "[Redacted]",
      accept: "*/*",
    });
    expect(DEFAULT_REDACTED_HEADERS).toEqual(["authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"]);
  });

  it("redacts them in a serialized request, leaving the request's headers as they were", () => {
    const req = { method: "GET", url: "/", headers: { ...headers }, socket: {} };
    expect(serializeRequest(req).headers).toMatchObject({ Authorization: "[Redacted]", cookie: "[Redacted]", accept: "*/*" });
    expect(req.headers.Authorization).toBe("Bearer t");
  });

  it("redacts every set-cookie of a serialized response", () => {
    const res = { statusCode: 200, getHeaders: () => ({ "set-cookie": ["a=1", "b=2"], "content-type": "text/plain" }) };
    expect(serializeResponse(res).headers).toEqual({ "set-cookie": "[Redacted]", "content-type": "text/plain" });
  });

  it("replaces a request-id header that is not a safe id, so it is never logged raw", () => {
    const out = redactHeaders({ "x-request-id": 'x"\n{"forged":1}' }, { requestIdHeader: "X-Request-Id" });
    expect(out["x-request-id"]).toBe("[Rejected]");
  });
});
