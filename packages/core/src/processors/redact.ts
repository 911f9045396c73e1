/**
 * `redact({ paths, censor })`: replaces secrets anywhere in the event dict.
 *
 * Paths are compiled once, at creation, into a tree; a log call walks only
 * the branches that exist in its event. The rules (docs/reliability.md
 * compares them with pino's):
 * - a path starts at the event dict: `password` is the top-level field only;
 * - keys match whatever their case (`headers.authorization` catches
 *   `Authorization`): redacting more than asked is the safe mistake;
 *   `caseSensitive: true` turns that off;
 * - a key looks into Maps as into objects (`m.password` finds the Map
 *   entry `"password"`);
 * - arrays are transparent to keys: `users.password` (or `*.password`)
 *   censors the password of every user in an array, at any nesting of
 *   arrays (`items[*].token` over an array of arrays); `[0]` is an index,
 *   `*` or `[*]` every key or item.
 *
 * The event dict belongs to the call and is changed in place, but every
 * object below it belongs to the caller: those are copied on write, along
 * the redacted path only, so the caller's objects are never changed.
 */

import { markFactory, markProcessor } from "../brand.js";
import { defineField } from "../fields.js";
import { checkOptions } from "../options.js";
import type { EventDict, Processor } from "../types.js";

/** Computes the replacement from the secret and its path (`["user", "password"]`). */
export type Censor = (value: unknown, path: readonly string[]) => unknown;

/** Options of {@link redact}. */
export interface RedactProcessorOptions {
  /**
   * Where secrets are: `"password"`, `"user.password"`, `"items[0].token"`,
   * `'headers["x-api-key"]'` (or `headers.x-api-key`), `"*.password"` (a
   * wildcard is one whole segment: every key of an object or Map, every
   * item of an array), `"headers.*"`. See the module comment for how keys
   * meet arrays, Maps and case.
   */
  readonly paths: readonly string[];
  /** The replacement, or a function computing it. Default `"[Redacted]"`. */
  readonly censor?: unknown;
  /** Match keys exactly as written. Default `false`: any case. */
  readonly caseSensitive?: boolean;
}

/** pino `redact` options with no equivalent here. */
const REDACT_NOTES: Readonly<Record<string, string>> = {
  remove: "pino's remove has no equivalent: a value is always replaced by censor",
};

interface PathNode {
  /** Replace the value here (and ignore deeper paths). */
  terminal: boolean;
  /** Children by key (lower-cased unless case-sensitive). */
  readonly children: Map<string, PathNode>;
  wildcard: PathNode | undefined;
}

const WILDCARD = Symbol("wildcard");
type Segment = string | typeof WILDCARD;

const PLAIN_SEGMENT = /^[^.[\]"'\s*]+$/;
const ARRAY_INDEX = /^(?:0|[1-9]\d*)$/;

function pathError(path: unknown, why: string): TypeError {
  return new TypeError(
    `redact(): path ${JSON.stringify(path)} is not valid: ${why}. Write paths like "user.password", "headers.*", "*.token", "items[0].secret" or 'headers["x-api-key"]'.`,
  );
}

/** Splits `a.b[0]["c.d"][*]` into its segments; throws on anything else. */
export function parsePath(path: unknown): Segment[] {
  if (typeof path !== "string" || path === "") throw pathError(path, "it must be a non-empty string");
  const segments: Segment[] = [];
  let i = 0;
  let expectSegment = true;
  while (i < path.length) {
    const c = path[i];
    if (c === "[") {
      const close = path.indexOf("]", i);
      if (close === -1) throw pathError(path, `"[" at ${i} is never closed`);
      const inner = path.slice(i + 1, close);
      const quote = inner[0];
      if (inner === "*") segments.push(WILDCARD);
      else if (/^\d+$/.test(inner)) segments.push(String(Number(inner)));
      else if ((quote === '"' || quote === "'") && inner.length >= 2 && inner.endsWith(quote) && !inner.slice(1, -1).includes(quote)) {
        segments.push(inner.slice(1, -1));
      } else throw pathError(path, `[${inner}] must be an index ([0]), a wildcard ([*]) or a quoted key (["a.b"])`);
      i = close + 1;
      expectSegment = false;
      continue;
    }
    if (c === ".") {
      if (expectSegment) throw pathError(path, `empty segment at ${i}`);
      expectSegment = true;
      i++;
      continue;
    }
    if (!expectSegment) throw pathError(path, `a "." or "[" is missing before position ${i}`);
    let end = i;
    while (end < path.length && path[end] !== "." && path[end] !== "[") end++;
    const name = path.slice(i, end);
    if (name === "*") segments.push(WILDCARD);
    else if (PLAIN_SEGMENT.test(name)) segments.push(name);
    else throw pathError(path, `segment "${name}" may not hold spaces, quotes or "*" (quote it: ["${name}"])`);
    i = end;
    expectSegment = false;
  }
  if (expectSegment) throw pathError(path, "it ends with a dot");
  return segments;
}

function newNode(): PathNode {
  return { terminal: false, children: new Map(), wildcard: undefined };
}

function compile(paths: readonly string[], fold: (key: string) => string): PathNode {
  const root = newNode();
  for (const path of paths) {
    let node = root;
    for (const segment of parsePath(path)) {
      if (segment === WILDCARD) {
        node.wildcard ??= newNode();
        node = node.wildcard;
      } else {
        const key = fold(segment);
        let child = node.children.get(key);
        if (child === undefined) {
          child = newNode();
          node.children.set(key, child);
        }
        node = child;
      }
    }
    node.terminal = true;
  }
  return root;
}

/** A shallow copy that keeps the prototype and every own property (getters, non-enumerable fields of Errors). */
function shallowCopy(obj: object): Record<string, unknown> {
  if (Array.isArray(obj)) return obj.slice() as unknown as Record<string, unknown>;
  const proto = Object.getPrototypeOf(obj);
  if (proto === Object.prototype && !Object.hasOwn(obj, "__proto__")) return Object.assign({}, obj) as Record<string, unknown>;
  return Object.create(proto, Object.getOwnPropertyDescriptors(obj)) as Record<string, unknown>;
}

/**
 * The node that applies inside each item of an array met at `node`: its
 * children named by a key that is not an index (arrays are transparent to
 * keys); undefined when there are none.
 */
function throughArrays(node: PathNode): PathNode | undefined {
  const children = new Map([...node.children].filter(([key]) => !ARRAY_INDEX.test(key)));
  return children.size === 0 ? undefined : { terminal: false, children, wildcard: undefined };
}

/**
 * Processor: replaces the values at `paths` with `censor`, in any event.
 * Missing paths are skipped; the caller's objects are never changed (copy on
 * write). Throws at creation, saying what to change, for a path it cannot
 * parse.
 *
 * @example
 * configure({ processors: [redact({ paths: ["password", "user.token", "headers.authorization", "*.secret"] }), jsonRenderer()] });
 */
export function redact(options: RedactProcessorOptions): Processor {
  if (options === null || typeof options !== "object" || !Array.isArray(options.paths) || options.paths.length === 0) {
    throw new TypeError('redact() takes { paths: [...] }, a non-empty array of paths such as ["user.password", "headers.*"].');
  }
  checkOptions("redact()", options, { paths: "array", censor: "checked by the caller", caseSensitive: "boolean" }, REDACT_NOTES);
  const fold = options.caseSensitive === true ? (key: string) => key : (key: string) => key.toLowerCase();
  const root = compile(options.paths, fold);
  const censorOption = options.censor === undefined ? "[Redacted]" : options.censor;
  const censorFn = typeof censorOption === "function" ? (censorOption as Censor) : undefined;
  const trail: string[] = [];
  const through = new WeakMap<PathNode, PathNode | null>();
  const throughNode = (node: PathNode): PathNode | undefined => {
    let t = through.get(node);
    if (t === undefined) {
      t = throughArrays(node) ?? null;
      through.set(node, t);
    }
    return t ?? undefined;
  };

  /** `value` with the redactions of `node` applied (the same value if none applied). */
  function redacted(value: unknown, node: PathNode): unknown {
    if (node.terminal) return censorFn === undefined ? censorOption : censorFn(value, [...trail]);
    if (typeof value !== "object" || value === null) return value;
    if (Array.isArray(value)) return visitArray(value, node);
    if (value instanceof Map) return visitMap(value, node);
    return visitObject(value, node);
  }

  /** `value` (found at `key`) with the redactions of `child` applied, `key` on the trail meanwhile. */
  function step(key: string, value: unknown, child: PathNode): unknown {
    trail.push(key);
    try {
      return redacted(value, child);
    } finally {
      trail.pop();
    }
  }

  /** `obj`, or a copy of it with the redactions of `node` applied to its own keys. */
  function visitObject(obj: object, node: PathNode): object {
    let copy: Record<string, unknown> | undefined;
    const apply = (key: string, child: PathNode) => {
      const current = (copy ?? obj) as Record<string, unknown>;
      const value = current[key];
      const next = step(key, value, child);
      if (next === value) return;
      copy ??= shallowCopy(obj);
      defineField(copy, key, next);
    };
    for (const key of Object.keys(obj)) {
      // A key matched both by name and by a wildcard gets both, one after the other.
      const named = node.children.get(fold(key));
      if (named !== undefined) apply(key, named);
      if (node.wildcard !== undefined) apply(key, node.wildcard);
    }
    return copy ?? obj;
  }

  /** `map`, or a copy with the redactions of `node` applied to its entries (string keys by name, any key by a wildcard). */
  function visitMap(map: Map<unknown, unknown>, node: PathNode): Map<unknown, unknown> {
    let copy: Map<unknown, unknown> | undefined;
    const apply = (key: unknown, child: PathNode) => {
      const current = (copy ?? map).get(key);
      const next = step(String(key), current, child);
      if (next === current) return;
      copy ??= new Map(map);
      copy.set(key, next);
    };
    for (const key of map.keys()) {
      const named = typeof key === "string" ? node.children.get(fold(key)) : undefined;
      if (named !== undefined) apply(key, named);
      if (node.wildcard !== undefined) apply(key, node.wildcard);
    }
    return copy ?? map;
  }

  /**
   * `arr`, or a copy with the redactions of `node` applied: to an item by
   * its index, to every item by a wildcard, and, for the keys `node` names,
   * inside every item (arrays are transparent to keys).
   */
  function visitArray(arr: unknown[], node: PathNode): unknown[] {
    let copy: unknown[] | undefined;
    const apply = (i: number, child: PathNode) => {
      const current = (copy ?? arr)[i];
      const next = step(String(i), current, child);
      if (next === current) return;
      copy ??= arr.slice();
      copy[i] = next;
    };
    const inside = throughNode(node);
    for (const [key, child] of node.children) {
      if (ARRAY_INDEX.test(key) && Number(key) < arr.length) apply(Number(key), child);
    }
    if (node.wildcard !== undefined || inside !== undefined) {
      for (let i = 0; i < arr.length; i++) {
        if (node.wildcard !== undefined) apply(i, node.wildcard);
        if (inside !== undefined) apply(i, inside);
      }
    }
    return copy ?? arr;
  }

  return markProcessor((_logger, _method, eventDict: EventDict) => {
    // The event dict is this call's own: its fields are replaced in place.
    const apply = (key: string, child: PathNode) => {
      trail.length = 1;
      trail[0] = key;
      let next: unknown;
      try {
        next = redacted(eventDict[key], child);
      } catch {
        // A getter, proxy trap or censor function threw somewhere below: the
        // whole field is censored. Failing open would write the secret, in
        // the fallback line of the processor that threw.
        next = censorFn === undefined ? censorOption : "[Redacted]";
      }
      if (next !== eventDict[key]) defineField(eventDict, key, next);
    };
    for (const key of Object.keys(eventDict)) {
      const named = root.children.get(fold(key));
      if (named !== undefined) apply(key, named);
      if (root.wildcard !== undefined) apply(key, root.wildcard);
    }
    return eventDict;
  });
}
markFactory(redact, 'redact({ paths: ["password"] })');
