/**
 * `redact({ paths, censor })`: replaces secrets anywhere in the event dict.
 *
 * Paths are compiled once, at creation, into a tree; a log call walks only
 * the branches that exist in its event. The event dict itself belongs to the
 * call and is changed in place, but every object below it belongs to the
 * caller: those are copied on write, along the redacted path only, so the
 * caller's objects are never changed.
 */

import { markProcessor } from "../brand.js";
import { defineField } from "../fields.js";
import type { EventDict, Processor } from "../types.js";

/** Computes the replacement from the secret and its path (`["user", "password"]`). */
export type Censor = (value: unknown, path: readonly string[]) => unknown;

/** Options of {@link redact}. */
export interface RedactProcessorOptions {
  /**
   * Where secrets are: `"password"`, `"user.password"`, `"items[0].token"`,
   * `'headers["x-api-key"]'` (or `headers.x-api-key`), `"*.password"` (a
   * wildcard is one whole segment: every key of an object, every item of an
   * array), `"headers.*"`.
   */
  readonly paths: readonly string[];
  /** The replacement, or a function computing it. Default `"[Redacted]"`. */
  readonly censor?: unknown;
}

interface PathNode {
  /** Replace the value here (and ignore deeper paths). */
  terminal: boolean;
  readonly keys: string[];
  readonly children: PathNode[];
  wildcard: PathNode | undefined;
}

const WILDCARD = Symbol("wildcard");
type Segment = string | typeof WILDCARD;

const PLAIN_SEGMENT = /^[^.[\]"'\s*]+$/;

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
  return { terminal: false, keys: [], children: [], wildcard: undefined };
}

function compile(paths: readonly string[]): PathNode {
  const root = newNode();
  for (const path of paths) {
    let node = root;
    for (const segment of parsePath(path)) {
      if (segment === WILDCARD) {
        node.wildcard ??= newNode();
        node = node.wildcard;
      } else {
        let index = node.keys.indexOf(segment);
        if (index === -1) {
          index = node.keys.push(segment) - 1;
          node.children.push(newNode());
        }
        node = node.children[index] as PathNode;
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
  const root = compile(options.paths);
  const censorOption = options.censor === undefined ? "[Redacted]" : options.censor;
  const censorFn = typeof censorOption === "function" ? (censorOption as Censor) : undefined;
  const trail: string[] = [];

  /** `value` with the redactions of `node` applied (the same value if none applied). */
  function redacted(value: unknown, node: PathNode): unknown {
    if (node.terminal) return censorFn === undefined ? censorOption : censorFn(value, [...trail]);
    if (typeof value !== "object" || value === null) return value;
    return visit(value, node);
  }

  /** `obj`, or a copy of it with the redactions of `node` applied. */
  function visit(obj: object, node: PathNode): object {
    let copy: Record<string, unknown> | undefined;
    const apply = (key: string, child: PathNode) => {
      // A key matched both by name and by a wildcard gets both, one after the other.
      const current = copy ?? (obj as Record<string, unknown>);
      if (!Object.hasOwn(current, key)) return;
      const value = current[key];
      trail.push(key);
      const next = redacted(value, child);
      trail.pop();
      if (next === value) return;
      copy ??= shallowCopy(obj);
      defineField(copy, key, next);
    };
    for (let i = 0; i < node.keys.length; i++) apply(node.keys[i] as string, node.children[i] as PathNode);
    if (node.wildcard !== undefined) for (const key of Object.keys(obj)) apply(key, node.wildcard);
    return copy ?? obj;
  }

  return markProcessor((_logger, _method, eventDict: EventDict) => {
    // The event dict is this call's own: its fields are replaced in place.
    const apply = (key: string, child: PathNode) => {
      if (!Object.hasOwn(eventDict, key)) return;
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
    for (let i = 0; i < root.keys.length; i++) apply(root.keys[i] as string, root.children[i] as PathNode);
    if (root.wildcard !== undefined) for (const key of Object.keys(eventDict)) apply(key, root.wildcard);
    return eventDict;
  });
}
