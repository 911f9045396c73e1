/**
 * Hostile values for the reliability properties: everything a log call can be
 * handed by a careless caller or an attacker. Built fresh per case (fast-check
 * may replay a case while shrinking), except the few huge values, which are
 * shared constants because building them per case would dominate the run.
 */
import { inspect } from "node:util";
import fc from "fast-check";

/**
 * Holds a proxy while fast-check handles it: fast-check probes every value it
 * generates (`cloneMethod in value`), which a throwing or revoked proxy would
 * answer by throwing. Containers and the properties take the proxy out.
 */
export class Box {
  constructor(readonly value: unknown) {}

  /** How fast-check prints a counterexample: without running any trap or getter of the value. */
  [fc.toStringMethod](): string {
    try {
      return `Box(${inspect(this.value, { showProxy: true, getters: false, depth: 4, maxStringLength: 200, maxArrayLength: 20 })})`;
    } catch {
      return "Box(<cannot be inspected>)";
    }
  }
}

/** The value itself, out of its {@link Box}. */
export function unbox(value: unknown): unknown {
  return value instanceof Box ? value.value : value;
}

/** fc.anything with every kind of value it can make. */
export const anythingAll = fc.anything({
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withNullPrototype: true,
  withObjectString: true,
  withSet: true,
  withSparseArray: true,
  withTypedArray: true,
  withUnicodeString: true,
  maxDepth: 3,
  maxKeys: 5,
});

// Strings an attacker would send: line breaks, terminal escapes (7-bit and the
// one-byte C1 CSI), Unicode line separators, lone surrogates, forged lines.
const NASTY_STRINGS = [
  "",
  "\n",
  "\r\n",
  "\r",
  "a\nb",
  '\n{"event":"forged","level":"critical"}',
  "\n2026-05-02T10:00:00.000Z [critical ] forged",
  "\u001b[31mred\u001b[0m",
  "\u001b]0;title\u0007",
  "\u001b[2J\u001b[H",
  "\u009b2J",
  "\u0085next line",
  "\u2028\u2029",
  "\u007f\u0000\u0008",
  "\ud800",
  "\udfff\ud800",
  "x=1 admin=true",
  'quote"d',
  "back\\slash",
  "'single'",
  "tab\there",
  "__proto__",
  "constructor",
  "toString",
  "\u202eevil",
];

/** Strings, mostly full of control characters and forging attempts. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...NASTY_STRINGS),
  fc.string({ unit: "binary" }),
  fc.array(fc.constantFrom(...NASTY_STRINGS, "a", " ", "=", '"'), { maxLength: 6 }).map((parts) => parts.join("")),
);

/** Keys with quotes, `=`, spaces, newlines, escapes and prototype names. */
export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom("__proto__", "constructor", "prototype", 'a"b', "a=b", "a b", "a\nb", "\u001b[31m", "\u009b", "", "event", "level"),
  hostileString,
);

function thrown(kind: number, message: string): unknown {
  switch (kind) {
    case 0:
      return new Error(message);
    case 1:
      return message;
    case 2:
      return undefined;
    case 3:
      return Symbol(message);
    default:
      // A thrown value whose own description throws.
      return {
        toString() {
          throw new Error("toString");
        },
        get message() {
          throw new Error("message");
        },
      };
  }
}

const throwSpec = fc.tuple(fc.integer({ min: 0, max: 4 }), hostileString);

const TRAPS = ["get", "ownKeys", "getOwnPropertyDescriptor", "getPrototypeOf", "has", "apply", "construct", "isExtensible"] as const;

/** A proxy whose chosen traps throw, around an object, array, Error or function. */
const throwingProxy = fc
  .tuple(fc.subarray([...TRAPS], { minLength: 1 }), fc.integer({ min: 0, max: 3 }), throwSpec)
  .map(([traps, targetKind, [kind, message]]) => {
    const handler: ProxyHandler<object> = {};
    for (const trap of traps) {
      (handler as Record<string, unknown>)[trap] = () => {
        throw thrown(kind, message);
      };
    }
    const target = [{ a: 1 }, [1, 2], new Error("target"), function target() {}][targetKind] as object;
    return new Box(new Proxy(target, handler));
  });

const revokedProxy = fc.constantFrom(0, 1).map((n) => {
  const { proxy, revoke } = Proxy.revocable(n === 0 ? {} : [], {});
  revoke();
  return new Box(proxy);
});

/** An object with an enumerable getter that throws. */
const throwingGetter = fc.tuple(hostileKey, throwSpec).map(([key, [kind, message]]) => {
  const o: Record<string, unknown> = { ok: 1 };
  Object.defineProperty(o, key, {
    enumerable: true,
    get() {
      throw thrown(kind, message);
    },
  });
  return o;
});

/** toJSON that throws, returns its object, returns another such object, or returns something odd. */
const hostileToJSON = fc.tuple(fc.integer({ min: 0, max: 5 }), throwSpec).map(([mode, [kind, message]]) => {
  const o: Record<string, unknown> = { a: 1 };
  const other: Record<string, unknown> = { b: 2 };
  const results = [
    () => {
      throw thrown(kind, message);
    },
    () => o,
    () => other,
    () => 10n ** 20n,
    () => undefined,
    () => [o, o],
  ];
  o.toJSON = results[mode];
  other.toJSON = () => o;
  return o;
});

/** Errors: hostile messages and names, causes that form cycles, self-aggregating errors, odd stacks. */
const hostileError = fc
  .tuple(fc.integer({ min: 0, max: 7 }), hostileString, hostileString, hostileKey, throwSpec)
  .map(([mode, message, name, key, [kind, thrownMessage]]) => {
    const e = new Error(message) as Error & Record<string, unknown>;
    switch (mode) {
      case 0: {
        const other = new Error("other", { cause: e });
        e.cause = other; // cause cycle of two
        break;
      }
      case 1:
        e.cause = e; // its own cause
        break;
      case 2: {
        const agg = new AggregateError([e], message, { cause: e });
        (agg.errors as unknown[]).push(agg); // aggregates itself
        return agg;
      }
      case 3:
        e.name = name;
        e.stack = `${name}\n${message}\n    at forged (${message})`;
        break;
      case 4:
        Object.defineProperty(e, "stack", {
          get() {
            throw thrown(kind, thrownMessage);
          },
        });
        Object.defineProperty(e, "message", {
          get() {
            throw thrown(kind, thrownMessage);
          },
        });
        break;
      case 5:
        e[key] = message; // an own field with a hostile key
        e.cause = { [key]: e };
        break;
      case 6:
        e.stack = 42 as unknown as string;
        break;
      default:
        // Looks like an Error to Object.prototype.toString, but is not one.
        return { [Symbol.toStringTag]: "Error", message, name, stack: message };
    }
    return e;
  });

const symbolThings = fc.tuple(hostileString, hostileKey).map(([description, key]) => {
  const sym = Symbol(description);
  return { [sym]: description, [key]: Symbol.for(description), nested: { s: sym } };
});

/** A function with a hostile name. */
const hostileFunction = hostileString.map((name) => {
  const fn = () => name;
  Object.defineProperty(fn, "name", { value: name });
  return fn;
});

/** Objects with hooks that `util.inspect` or `String()` call, all throwing. */
const throwingHooks = throwSpec.map(([kind, message]) => ({
  [Symbol.for("nodejs.util.inspect.custom")]() {
    throw thrown(kind, message);
  },
  [Symbol.toPrimitive]() {
    throw thrown(kind, message);
  },
  get [Symbol.toStringTag]() {
    throw thrown(kind, message);
  },
}));

/** A chain of objects or arrays `depth` deep. */
export function nested(depth: number, arrays = false): unknown {
  let root: unknown = "bottom";
  for (let i = 0; i < depth; i++) root = arrays ? [root] : { n: root };
  return root;
}

const deep = fc.tuple(fc.integer({ min: 60, max: 10_000 }), fc.boolean()).map(([depth, arrays]) => nested(depth, arrays));

function cyclic(value: unknown, mode: number): unknown {
  const o: Record<string, unknown> = { value };
  switch (mode) {
    case 0:
      o.self = o;
      return o;
    case 1: {
      const arr: unknown[] = [o];
      o.back = arr;
      return arr;
    }
    case 2: {
      const m = new Map<unknown, unknown>([["o", o]]);
      o.map = m;
      return m;
    }
    default: {
      const np = Object.create(null) as Record<string, unknown>;
      np.o = o;
      o.np = np;
      return { a: o, b: o }; // the same object twice, not a cycle
    }
  }
}

const sparse = fc.tuple(fc.integer({ min: 0, max: 2 ** 32 - 2 }), anythingAll).map(([index, v]) => {
  const a: unknown[] = [];
  a[index] = v;
  return a;
});

let huge: unknown[] | undefined;
/** Huge values, built once: a 5 MB string, a million-item array, typed arrays, a 10,000-deep chain. */
export function hugeValues(): unknown[] {
  huge ??= [
    "x".repeat(5_000_000),
    `${"\n".repeat(100_000)}\u001b[31m`,
    new Array(1_000_000).fill(7),
    Array.from({ length: 20_000 }, (_, i) => ({ i, s: "y".repeat(100) })),
    new Float64Array(1_000_000),
    Buffer.alloc(5_000_000, 1),
    new Map(Array.from({ length: 50_000 }, (_, i) => [i, i])),
    new Set(Array.from({ length: 50_000 }, (_, i) => i)),
    nested(10_000),
    nested(10_000, true),
    { wide: Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i])) },
  ];
  return huge;
}

function unboxFields(fields: Record<string, unknown>): Record<string, unknown> {
  for (const key of Object.keys(fields)) fields[key] = unbox(fields[key]);
  return fields;
}

/** One hostile value, in a {@link Box}: a leaf or a container of hostile values, any of the kinds above. */
export const hostileValue: fc.Arbitrary<unknown> = fc
  .letrec<{ value: unknown; container: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      anythingAll,
      hostileString,
      fc.bigInt(),
      fc.constantFrom(Number.NaN, -0, Number.POSITIVE_INFINITY, undefined, null, new Date(Number.NaN), Symbol("s\n")),
      throwingProxy,
      revokedProxy,
      throwingGetter,
      hostileToJSON,
      hostileError,
      symbolThings,
      hostileFunction,
      throwingHooks,
      deep,
      sparse,
      tie("container"),
    ),
    container: fc.oneof(
      fc.dictionary(hostileKey, tie("value"), { maxKeys: 4 }).map(unboxFields),
      fc.array(tie("value"), { maxLength: 4 }).map((items) => items.map(unbox)),
      fc.dictionary(hostileKey, tie("value"), { maxKeys: 3 }).map((o) => Object.assign(Object.create(null), unboxFields(o))),
      fc
        .array(fc.tuple(tie("value"), tie("value")), { maxLength: 3 })
        .map((entries) => new Map(entries.map(([k, v]) => [unbox(k), unbox(v)]))),
      fc.array(tie("value"), { maxLength: 3 }).map((items) => new Set(items.map(unbox))),
      fc.tuple(tie("value"), fc.integer({ min: 0, max: 3 })).map(([v, mode]) => cyclic(unbox(v), mode)),
      fc.tuple(hostileString, tie("value")).map(([message, cause]) => new Error(message, { cause: unbox(cause) })),
    ),
  }))
  .value.map((v) => (v instanceof Box ? v : new Box(v)));

/** Call fields, in a {@link Box}: hostile keys to hostile values. */
export const hostileFields = fc.dictionary(hostileKey, hostileValue, { maxKeys: 4 }).map((fields) => new Box(unboxFields(fields)));
