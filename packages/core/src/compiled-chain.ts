/**
 * The compiled chain: the built-in production chain (`mergeContextVars`,
 * `addLogLevel`, `timeStamper`, `formatExcInfo`, `jsonRenderer()`, in any
 * order and any subset) written without building an event dict, the way
 * pino writes a line from its chindings.
 *
 * Why: merging the bound context, the call's fields and the chain's keys
 * into one new object is most of a line's cost once an event is wide. Past
 * about 20 keys V8 keeps such an object in dictionary mode, where
 * `JSON.stringify` takes its slow path. Here the bound context is written
 * once per logger (its JSON members kept as a string, with their size),
 * the context variables once per scope change, the level once per method
 * and the timestamp once per millisecond; a call writes only its own
 * fields, from the object it was given, and splices the pieces.
 *
 * The line is exactly the one the chain would write: the same keys in the
 * same order, the same values, the same budget (json-line.ts counts the
 * pieces as it counts a whole event dict). Whenever that cannot be told
 * cheaply, the call takes the general path instead (`undefined` below): a
 * chain with any other step, a capture processor installed, bound values
 * that are not primitives, a key that two pieces share (the chain would
 * overwrite it in place), an integer-like key (V8 orders those first), a
 * fields object that is not a plain object, a line over the budget, or
 * anything that throws. A custom processor anywhere in the chain therefore
 * sees the plain event dict, as before.
 */
import { types } from "node:util";
import { PLAIN_JSON, type PlainJsonPart, TIME_STAMP, type TimeStampPart } from "./chain-parts.js";
import { currentContextVars, mergeContextVars } from "./context.js";
import { formatExceptionKeepingReads, NOT_READ } from "./exception-format.js";
import {
  escapeAndMeasure,
  fragmentAscii,
  fragmentBytes,
  fragmentChars,
  jsonMembers,
  jsonValue,
  keyJson,
  quote,
  quoteWasAscii,
} from "./json-line.js";
import { METHOD_TO_LEVEL_NAME } from "./levels.js";
import { MAX_FIELDS, truncateString } from "./limits.js";
import { dictTracebacks, formatExcInfo } from "./processors/exceptions.js";
import { addLogLevel } from "./processors/level.js";
import { isError } from "./serialize.js";
import type { Fields } from "./types.js";

/** A piece of the line after `event`, in chain order, with the last one written kept. */
interface Piece {
  readonly kind: "vars" | "level" | "time" | "exception";
  readonly time?: TimeStampPart;
  last: unknown;
  text: string;
  bytes: number;
  chars: number;
}

/** A chain the compiled path can write. */
interface Plan {
  /** The chain's steps, to tell that the chain is still the one compiled. */
  readonly steps: readonly unknown[];
  readonly pieces: readonly Piece[];
  /** Keys the chain sets, reads or removes: a field of that name takes the general path. */
  readonly reserved: readonly string[];
  readonly hasVars: boolean;
  /** Does `formatExcInfo` (and not `dictTracebacks`) handle `exc_info`? */
  readonly formatsExceptions: boolean;
  readonly maxString: number;
  readonly maxLine: number;
  /** `,"level":"info"` and its sizes, per method name. */
  readonly levels: Map<string, { text: string; bytes: number; chars: number }>;
}

/** The compiled state of one bound logger: its plan and its context, written once. */
export interface CompiledLogger {
  readonly plan: Plan;
  readonly context: Fields;
  /** The context's JSON members with a trailing comma, or "". */
  readonly head: string;
  readonly headBytes: number;
  readonly headChars: number;
  /** The context variables last seen, and their piece (or false when they need the general path). */
  vars: object | undefined;
  varsOk: boolean;
  varsKeys: number;
  varsText: string;
  varsBytes: number;
  varsChars: number;
  /**
   * The same piece key by key (keys the context has left out, as
   * mergeContextVars leaves them out), for a call whose fields have some of
   * the keys: the call's value wins, and the piece is written without them.
   */
  varsEach: readonly VarMember[];
}

/** One context variable's member, `,"key":value`, with its sizes. */
interface VarMember {
  readonly key: string;
  readonly text: string;
  readonly bytes: number;
  readonly chars: number;
}

const plans = new WeakMap<readonly unknown[], Plan | null>();

function planOf(chain: readonly unknown[]): Plan | null {
  let plan = plans.get(chain);
  if (plan === undefined) {
    plan = compile(chain);
    plans.set(chain, plan);
  }
  return plan;
}

function compile(chain: readonly unknown[]): Plan | null {
  const last = chain.at(-1);
  const json = typeof last === "function" ? (last as unknown as { [PLAIN_JSON]?: PlainJsonPart })[PLAIN_JSON] : undefined;
  if (json === undefined) return null;
  const pieces: Piece[] = [];
  const reserved = ["event", "exc_info"];
  let formats = 0;
  let dicts = 0;
  const piece = (kind: Piece["kind"], time?: TimeStampPart): Piece => ({ kind, time, last: undefined, text: "", bytes: 0, chars: 0 });
  for (let i = 0; i < chain.length - 1; i++) {
    const step = chain[i];
    const time = typeof step === "function" ? (step as unknown as { [TIME_STAMP]?: TimeStampPart })[TIME_STAMP] : undefined;
    if (step === mergeContextVars) pieces.push(piece("vars"));
    else if (step === addLogLevel) {
      pieces.push(piece("level"));
      reserved.push("level");
    } else if (step === formatExcInfo) {
      pieces.push(piece("exception"));
      reserved.push("exception");
      formats++;
    } else if (step === dictTracebacks) dicts++;
    else if (time !== undefined) {
      pieces.push(piece("time", time));
      reserved.push(time.key);
    } else return null;
  }
  // A key set twice, or a step that runs twice, is overwritten in place: the general path writes that.
  if (new Set(reserved).size !== reserved.length || formats + dicts > 1 || pieces.filter((p) => p.kind === "vars").length > 1) return null;
  return {
    steps: [...chain],
    pieces,
    reserved,
    hasVars: pieces.some((p) => p.kind === "vars"),
    formatsExceptions: formats === 1,
    maxString: json.maxStringLength,
    maxLine: json.maxLineBytes,
    levels: new Map(),
  };
}

/** Is the chain still the one `plan` was made for? (A chain array changed in place is not.) */
export function planHolds(plan: Plan, chain: readonly unknown[]): boolean {
  const steps = plan.steps;
  if (chain.length !== steps.length) return false;
  for (let i = 0; i < steps.length; i++) if (chain[i] !== steps[i]) return false;
  return true;
}

/** Does `key` make the line take the general path when two pieces could share it? */
function isReserved(plan: Plan, key: string): boolean {
  const reserved = plan.reserved;
  for (let i = 0; i < reserved.length; i++) if (reserved[i] === key) return true;
  return false;
}

/** Keys the line would not keep in written order (V8 orders integer-like keys first). */
function startsWithDigit(key: string): boolean {
  const c = key.charCodeAt(0);
  return c >= 48 && c <= 57;
}

/** Is every value a primitive (written the same whenever the line is written), and every key safe to splice? */
function splicable(plan: Plan, fields: Readonly<Record<string, unknown>>, keys: readonly string[]): boolean {
  for (const key of keys) {
    if (startsWithDigit(key) || isReserved(plan, key)) return false;
    const v = fields[key];
    if (typeof v === "object" ? v !== null : typeof v === "function" || typeof v === "symbol" || typeof v === "bigint") return false;
  }
  return true;
}

/**
 * The compiled state of a logger with `chain` and `context`, or `null` when
 * its lines take the general path (another chain, or a context that is not
 * primitives only: an object bound is written as it is at each call).
 */
export function compileLogger(chain: readonly unknown[], context: Fields): CompiledLogger | null {
  const plan = planOf(chain);
  if (plan === null) return null;
  try {
    const keys = Object.keys(context);
    if (keys.length > MAX_FIELDS || types.isProxy(context) || !splicable(plan, context, keys)) return null;
    const members = jsonMembers(context as Record<string, unknown>, plan.maxString, plan.maxLine, 0);
    if (members === undefined) return null;
    const head = members === "" ? "" : `${members},`;
    return {
      plan,
      context,
      head,
      headBytes: members === "" ? 0 : fragmentBytes + 1,
      headChars: fragmentChars,
      vars: undefined,
      varsOk: false,
      varsKeys: 0,
      varsText: "",
      varsBytes: 0,
      varsChars: 0,
      varsEach: [],
    };
  } catch {
    return null;
  }
}

/** Writes the context variables' piece for `vars`, or marks them as needing the general path. */
function refreshVars(state: CompiledLogger, vars: Readonly<Record<string, unknown>>): void {
  state.vars = vars;
  state.varsOk = false;
  const keys = Object.keys(vars);
  state.varsKeys = keys.length;
  state.varsText = "";
  state.varsBytes = 0;
  state.varsChars = 0;
  state.varsEach = [];
  if (keys.length === 0) {
    state.varsOk = true;
    return;
  }
  if (!splicable(state.plan, vars, keys)) return;
  // Key by key, in the scope's order: mergeContextVars skips a key the
  // event already has, so one bound to the logger (a request logger's
  // request_id, also in the request's scope) is left out here.
  const each: VarMember[] = [];
  for (const key of keys) {
    if (Object.hasOwn(state.context, key)) continue;
    // A computed key defines an own property, "__proto__" included.
    const members = jsonMembers({ [key]: vars[key] }, state.plan.maxString, state.plan.maxLine, 0);
    if (members === undefined) return;
    const member: VarMember =
      members === ""
        ? { key, text: "", bytes: 0, chars: fragmentChars }
        : { key, text: `,${members}`, bytes: fragmentBytes + 1, chars: fragmentChars };
    each.push(member);
    state.varsText += member.text;
    state.varsBytes += member.bytes;
    state.varsChars += member.chars;
  }
  state.varsEach = each;
  state.varsOk = true;
}

/** A string value as the budget counts it, and as JSON writes it: cut at `max`. */
function stringMember(key: string, value: string, max: number, piece: Piece): void {
  const v = value.length > max ? truncateString(value, max) : value;
  piece.text = escapeAndMeasure(`,${JSON.stringify(key)}:${JSON.stringify(v)}`);
  piece.bytes = fragmentBytes;
  piece.chars = key.length + 4 + Math.min(value.length, max);
}

/** The last exception's piece, kept with everything its text was made from. */
interface KeptException {
  readonly error: object;
  readonly deps: readonly unknown[];
  readonly max: number;
  readonly text: string;
  readonly bytes: number;
  readonly chars: number;
}

/**
 * The last error written, and its piece: an error logged again at once (a
 * retry, each layer that logs it on its way up) is not formatted again. One
 * slot, not a map of every error: a WeakMap entry per error costs the
 * garbage collector more than formatting saves when every error is new.
 */
let kept: KeptException | undefined;

/**
 * Does `error` still read as `deps` say (what formatException read, in its
 * order: each error of the cause chain, its stack, name, message unless it
 * was not needed, errors and cause)? Compared as it goes, allocating nothing.
 */
function sameInputs(deps: readonly unknown[], error: unknown): boolean {
  let i = 0;
  let current: unknown = error;
  while (current !== undefined && i < deps.length) {
    const err = current as Error & { errors?: unknown };
    if (deps[i] !== err || deps[i + 1] !== err.stack || deps[i + 2] !== err.name) return false;
    if (deps[i + 3] !== NOT_READ && deps[i + 3] !== err.message) return false;
    if (deps[i + 4] !== err.errors || deps[i + 5] !== err.cause) return false;
    current = deps[i + 5];
    i += 6;
    // Past the last error kept: a circular cause or a primitive one, as it was.
    if (i === deps.length) return true;
  }
  return false;
}

/** The `exception` piece formatExcInfo's text would make, from the kept one when nothing it was made from has changed. */
function exceptionMember(exception: unknown, max: number, piece: Piece): void {
  // `kept` as it is now: a getter read by sameInputs may log, and keep another error.
  const last = kept;
  if (last !== undefined && last.error === exception && last.max === max && sameInputs(last.deps, exception)) {
    piece.text = last.text;
    piece.bytes = last.bytes;
    piece.chars = last.chars;
    return;
  }
  // Read once (a getter may log: a line written inside this one has its own piece).
  const { text, plain, reads } = formatExceptionKeepingReads(exception);
  if (plain && text.length <= max) {
    // What stringMember would write, without JSON.stringify's and the escape's scans of the whole text.
    piece.text = `,"exception":"${text.split("\n").join("\\n")}"`;
    piece.bytes = piece.text.length;
    piece.chars = 13 + text.length;
  } else stringMember("exception", text, max, piece);
  kept =
    reads === undefined
      ? undefined
      : { error: exception as object, deps: reads, max, text: piece.text, bytes: piece.bytes, chars: piece.chars };
}

/**
 * The line `state`'s chain would write for `method`, `event` and `b` (the
 * call's fields, or an Error), or `undefined` when the general path must
 * write it. May throw (a getter in the fields): the caller takes the
 * general path then too.
 */
export function compiledLine(state: CompiledLogger, method: string, event: string, b: unknown): string | undefined {
  const plan = state.plan;
  let fields: Record<string, unknown> | undefined;
  let exception: unknown;
  let hasException = false;
  if (b !== undefined) {
    if (typeof b !== "object" || b === null) return undefined;
    if (Object.getPrototypeOf(b) === Object.prototype) {
      if (types.isProxy(b)) return undefined;
      fields = b as Record<string, unknown>;
    } else if (isError(b) && plan.formatsExceptions) {
      // (event, err): the error is the call's exc_info.
      exception = b;
      hasException = true;
    } else return undefined;
  }
  let varsKeys = 0;
  if (plan.hasVars) {
    const vars = currentContextVars();
    if (vars !== state.vars) refreshVars(state, vars);
    if (!state.varsOk) return undefined;
    varsKeys = state.varsKeys;
  }
  const context = state.context;
  let chars = state.headChars;
  let bytes = state.headBytes;
  let body = "";
  // Is the call's text known to be ASCII without DEL, as it is built? Then its
  // length is its size in bytes, and there is nothing to escape in it.
  let ascii = true;
  /** How many of the call's keys are context variables too: the call's value wins. */
  let shadowed = 0;
  if (fields !== undefined) {
    const keys = Object.keys(fields);
    if (keys.length > MAX_FIELDS) return undefined;
    const vars = state.vars as Readonly<Record<string, unknown>>;
    const max = plan.maxString;
    // One pass over the fields: each key checked, each value written (as
    // safeStringify would write it in the whole event dict) and counted as
    // its budget counts it.
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      if (startsWithDigit(key)) return undefined;
      const v = fields[key];
      if (Object.hasOwn(context, key)) {
        // The event dict keeps the bound key's place with the call's value:
        // the same primitive (a request line repeating the request_id its
        // logger is bound to) is already written in the head.
        if (context[key] === v) continue;
        return undefined;
      }
      if (varsKeys !== 0 && Object.hasOwn(vars, key)) shadowed++;
      if (isReserved(plan, key)) {
        if (key !== "exc_info" || !plan.formatsExceptions) return undefined;
        // formatExcInfo leaves an undefined exc_info alone (JSON leaves it
        // out) and says once that `true` logs nothing; it removes any other.
        if (v === true) return undefined;
        if (v !== undefined) {
          exception = v;
          hasException = true;
          continue;
        }
      }
      chars += key.length + 4;
      const k = keyJson(key);
      if (!k.ascii) ascii = false;
      switch (typeof v) {
        case "string":
          chars += Math.min(v.length, max);
          if (v.length > max) {
            ascii = false;
            body += `${k.text}${JSON.stringify(truncateString(v, max))},`;
          } else {
            body += `${k.text}${quote(v)},`;
            if (!quoteWasAscii) ascii = false;
          }
          break;
        case "number":
          chars += 8;
          body += `${k.text}${Number.isFinite(v) ? `${v}` : "null"},`;
          break;
        case "boolean":
          chars += 8;
          body += `${k.text}${v ? "true" : "false"},`;
          break;
        case "undefined":
          chars += 8;
          break;
        default: {
          if (v === null) {
            body += `${k.text}null,`;
            break;
          }
          const json = jsonValue(v, max, plan.maxLine - chars);
          if (json === undefined) return undefined;
          chars += fragmentChars;
          if (!fragmentAscii) ascii = false;
          body += `${k.text}${json},`;
        }
      }
    }
  }
  const max = plan.maxString;
  let own: string;
  if (event.length > max) {
    ascii = false;
    own = `${body}"event":${JSON.stringify(truncateString(event, max))}`;
  } else {
    own = `${body}"event":${quote(event)}`;
    if (!quoteWasAscii) ascii = false;
  }
  if (ascii)
    bytes += own.length + 2; // and the braces
  else {
    // The call's own text, escaped and measured in one scan.
    own = escapeAndMeasure(own);
    bytes += fragmentBytes + 2;
  }
  chars += 9 + Math.min(event.length, max);
  let tail = "";
  const pieces = plan.pieces;
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i] as Piece;
    switch (piece.kind) {
      case "vars":
        // The scope's variables, written once per scope change (refreshVars), per logger.
        if (shadowed === 0) {
          tail += state.varsText;
          bytes += state.varsBytes;
          chars += state.varsChars;
          continue;
        }
        // Without the ones the call's fields set (as mergeContextVars skips them).
        for (const member of state.varsEach) {
          if (Object.hasOwn(fields as object, member.key)) continue;
          tail += member.text;
          bytes += member.bytes;
          chars += member.chars;
        }
        continue;
      case "level": {
        let level = plan.levels.get(method);
        if (level === undefined) {
          const name = METHOD_TO_LEVEL_NAME[method] ?? method;
          stringMember("level", name, max, piece);
          level = { text: piece.text, bytes: piece.bytes, chars: piece.chars };
          plan.levels.set(method, level);
        }
        tail += level.text;
        bytes += level.bytes;
        chars += level.chars;
        continue;
      }
      case "time": {
        const time = piece.time as TimeStampPart;
        const now = time.now();
        if (now !== piece.last) {
          piece.last = now;
          if (typeof now === "string") stringMember(time.key, now, max, piece);
          else {
            piece.text = escapeAndMeasure(`,${JSON.stringify(time.key)}:${JSON.stringify(now)}`);
            piece.bytes = fragmentBytes;
            piece.chars = time.key.length + 4 + 8;
          }
        }
        break;
      }
      case "exception": {
        if (!hasException || exception === false || exception === null) continue;
        exceptionMember(exception, max, piece);
        break;
      }
    }
    tail += piece.text;
    bytes += piece.bytes;
    chars += piece.chars;
  }
  if (chars > plan.maxLine || bytes > plan.maxLine) return undefined;
  return `{${state.head}${own}${tail}}`;
}
