/**
 * Scope control: what a scope writes, not only which fields its lines carry
 * (docs/request-control.md).
 *
 * - A scope's **level** replaces the level of every logger that logs inside
 *   it: `debug` for one request, `warning` for a noisy route.
 * - **Holding** ("fingers-crossed"): lines below `holdBelow` are rendered as
 *   usual (their timestamps and values are those of the call) and kept in the
 *   scope, bounded by count and bytes, oldest dropped first. A line at
 *   `flushLevel` (error) writes them, in order, before itself, and the scope
 *   writes directly from then on. A scope that ends in error writes them; one
 *   that ends well discards them. At process exit, the lines of scopes that
 *   never ended are written, marked `held: "unfinished"`.
 *
 * The bound logger asks through scope-hook.ts; while no control scope is
 * open, a filtered call costs one comparison more than a plain no-op.
 */
import { runWithControl } from "./context.js";
import { type LevelInput, levelToNumber } from "./levels.js";
import { checkOptions } from "./options.js";
import { report } from "./report.js";
import { currentControl, type ScopeControl, scopeHook } from "./scope-hook.js";
import type { EventDict, WrappedLogger } from "./types.js";

/**
 * Options of {@link withLogControl} (and of the HTTP integrations'
 * `logControl`). All optional.
 */
export interface LogControlOptions {
  /**
   * The lowest level logged in the scope, by every logger, whatever its own
   * level. Default: each logger's own level; `"debug"` when `holdBelow` is
   * given.
   */
  readonly level?: LevelInput;
  /** Hold lines below this level (and at `level` or above) until the scope ends. Default: hold nothing. */
  readonly holdBelow?: LevelInput;
  /** A line at this level or above writes the held lines, then itself. Default `"error"`. */
  readonly flushLevel?: LevelInput;
  /** The most lines held; past it the oldest is dropped. Default 1000. */
  readonly maxHeld?: number;
  /** The most bytes (UTF-8, of the rendered lines) held; past it the oldest are dropped. Default 1 MiB. */
  readonly maxHeldBytes?: number;
}

/** {@link LogControlOptions}, checked, as numbers. Made once; each scope shares it. */
export interface LogControlSettings {
  readonly level: number | undefined;
  readonly holdBelow: number;
  readonly flushLevel: number;
  readonly maxHeld: number;
  readonly maxHeldBytes: number;
}

const OPTIONS = {
  level: "checked by the caller",
  holdBelow: "checked by the caller",
  flushLevel: "checked by the caller",
  maxHeld: "number",
  maxHeldBytes: "number",
} as const;

function wholeNumber(where: string, name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!(Number.isInteger(value) || value === Number.POSITIVE_INFINITY) || value < 1) {
    throw new TypeError(`${where}: ${name} must be a whole number of at least 1 (or Infinity), not ${String(value)}.`);
  }
  return value;
}

function levelOption(where: string, name: string, value: LevelInput | undefined): number | undefined {
  if (value === undefined) return undefined;
  try {
    return levelToNumber(value);
  } catch (e) {
    throw new TypeError(`${where}: ${name}: ${(e as Error).message}`);
  }
}

/**
 * Checks `options` and turns them into the settings scopes share. Throws,
 * saying what to change, for an unknown option, an unknown level, or a
 * `holdBelow` that would hold nothing.
 *
 * @example
 * const settings = resolveLogControl({ holdBelow: "info", maxHeld: 200 });
 */
export function resolveLogControl(options: LogControlOptions, where = "withLogControl()"): LogControlSettings {
  if (options === null || typeof options !== "object")
    throw new TypeError(`${where}: options must be an object, e.g. { holdBelow: "info" }.`);
  checkOptions(where, options, OPTIONS);
  const holdBelow = levelOption(where, "holdBelow", options.holdBelow);
  const level = levelOption(where, "level", options.level) ?? (holdBelow === undefined ? undefined : levelToNumber("debug"));
  const flushLevel = levelOption(where, "flushLevel", options.flushLevel) ?? levelToNumber("error");
  if (holdBelow !== undefined) {
    if (level !== undefined && holdBelow <= level) {
      throw new TypeError(
        `${where}: holdBelow (${String(options.holdBelow)}) must be above level (${String(options.level ?? "debug")}), or nothing is held.`,
      );
    }
    if (flushLevel < holdBelow) {
      throw new TypeError(
        `${where}: flushLevel (${String(options.flushLevel)}) must not be below holdBelow (${String(options.holdBelow)}).`,
      );
    }
  }
  return Object.freeze({
    level,
    holdBelow: holdBelow ?? Number.NEGATIVE_INFINITY,
    flushLevel,
    maxHeld: wholeNumber(where, "maxHeld", options.maxHeld, 1000),
    maxHeldBytes: wholeNumber(where, "maxHeldBytes", options.maxHeldBytes, 1024 * 1024),
  });
}

/** One held output, and where it goes if it is written. */
interface HeldLine {
  readonly logger: WrappedLogger;
  readonly value: unknown;
  readonly method: string;
  readonly bytes: number;
  /** `value` is an event dict (captureLogs), marked as a key rather than in text. */
  readonly dict: boolean;
}

/** Controls with lines held, not yet ended: written, marked, at exit. */
const unfinished = new Set<LogControl>();
let exitHookInstalled = false;

/** The mark of a held line written at exit because its scope never ended. */
export const UNFINISHED_MARK = "unfinished";

/**
 * `key` added to a written line: a JSON object line gets a member, any other
 * text ` key=value` at the end of its first line, an event dict a key.
 */
function withField(line: HeldLine, value: unknown, key: string, field: string | number): unknown {
  if (line.dict) return { ...(value as EventDict), [key]: field };
  if (typeof value !== "string") return value;
  const json = JSON.stringify(field);
  if (value.charCodeAt(0) === 123 && value.charCodeAt(value.length - 1) === 125) {
    return value.length === 2 ? `{"${key}":${json}}` : `${value.slice(0, -1)},"${key}":${json}}`;
  }
  const newline = value.indexOf("\n");
  const text = typeof field === "string" ? field : json;
  return newline === -1 ? `${value} ${key}=${text}` : `${value.slice(0, newline)} ${key}=${text}${value.slice(newline)}`;
}

/**
 * The control of one scope. Integrations make one per request; apps use
 * {@link withLogControl}. `end(failed)` must be called once when the scope's
 * work is done.
 */
export class LogControl implements ScopeControl {
  floor: number;
  lift: number;
  /** A line at the flush level (error) was logged in the scope, or in a control scope nested in it. */
  errorSeen = false;
  readonly #settings: LogControlSettings;
  readonly #parent: LogControl | undefined;
  #holding: boolean;
  #ended = false;
  #lines: HeldLine[] = [];
  #head = 0;
  #bytes = 0;
  #dropped = 0;

  /**
   * `level` (a number) replaces the settings' level for this scope; a scope
   * whose level is given this way writes its lines rather than holding them
   * (the app asked to see them: `levelFor(request)`, a route's `logLevel`).
   */
  constructor(settings: LogControlSettings, level?: number, parent: LogControl | undefined = undefined) {
    this.#settings = settings;
    this.#parent = parent;
    const scopeLevel = level ?? settings.level;
    this.floor = scopeLevel ?? Number.NEGATIVE_INFINITY;
    this.lift = scopeLevel ?? Number.POSITIVE_INFINITY;
    this.#holding = level === undefined && settings.holdBelow !== Number.NEGATIVE_INFINITY;
    scopeHook.active++;
    scopeHook.opened();
  }

  /** Lines held now. */
  get held(): number {
    return this.#lines.length - this.#head;
  }

  /** Has the scope stopped holding (a line at the flush level, or `release()`)? */
  get released(): boolean {
    return !this.#holding;
  }

  admit(level: number): boolean {
    if (level >= this.#settings.flushLevel) {
      if (!this.#ended) {
        // The error belongs to the enclosing scopes too (a job inside a request): none of them may sample it away.
        for (let c: LogControl | undefined = this; c !== undefined; c = c.#parent) c.errorSeen = true;
        this.release();
      }
      return false;
    }
    return this.#holding && level < this.#settings.holdBelow;
  }

  hold(logger: WrappedLogger, value: unknown, method: string): undefined {
    const bytes = typeof value === "string" ? Buffer.byteLength(value) : 0;
    this.#keep({ logger, value, method, bytes, dict: false });
    return undefined;
  }

  /** Holds an event dict that captureLogs would have captured; `push` captures it if it is written. */
  holdEvent(push: WrappedLogger, eventDict: EventDict, method: string, bytes: number): void {
    this.#keep({ logger: push, value: eventDict, method, bytes, dict: true });
  }

  #keep(line: HeldLine): void {
    if (!this.#holding) {
      // Released while the call's chain ran (a processor logged an error): write it.
      this.#write(line, line.value);
      return;
    }
    const { maxHeld, maxHeldBytes } = this.#settings;
    if (line.bytes > maxHeldBytes) {
      this.#dropped++;
      return;
    }
    this.#lines.push(line);
    this.#bytes += line.bytes;
    while (this.#lines.length - this.#head > maxHeld || this.#bytes > maxHeldBytes) {
      const oldest = this.#lines[this.#head] as HeldLine;
      this.#lines[this.#head++] = undefined as unknown as HeldLine;
      this.#bytes -= oldest.bytes;
      this.#dropped++;
    }
    if (this.#head > 64 && this.#head * 2 > this.#lines.length) {
      this.#lines = this.#lines.slice(this.#head);
      this.#head = 0;
    }
    if (!this.#ended) {
      unfinished.add(this);
      installExitHook();
    }
  }

  /**
   * Writes the held lines, in order, and stops holding: later lines of the
   * scope are written directly. An enclosing control is released first, so
   * its (older) lines come before these.
   */
  release(): void {
    this.#parent?.release();
    if (!this.#holding) return;
    this.#holding = false;
    this.#flush(undefined);
  }

  /**
   * Ends the scope: `failed` writes the held lines, otherwise they are
   * discarded. From then on the control no longer applies (a timer the
   * scope started that fires later logs as if outside it).
   */
  end(failed: boolean): void {
    if (this.#ended) return;
    if (failed && this.#holding) {
      this.#holding = false;
      this.#flush(undefined);
    }
    this.#ended = true;
    this.#holding = false;
    this.#clear();
    this.floor = Number.NEGATIVE_INFINITY;
    this.lift = Number.POSITIVE_INFINITY;
    scopeHook.active--;
  }

  /** At exit: writes what an unfinished scope holds, each line marked. */
  writeUnfinished(): void {
    this.#holding = false;
    this.#flush(UNFINISHED_MARK);
  }

  #flush(mark: string | undefined): void {
    const lines = this.#lines;
    const head = this.#head;
    const dropped = this.#dropped;
    this.#clear();
    for (let i = head; i < lines.length; i++) {
      const line = lines[i] as HeldLine;
      let value = line.value;
      if (mark !== undefined) value = withField(line, value, "held", mark);
      if (i === head && dropped > 0) value = withField(line, value, "held_dropped", dropped);
      this.#write(line, value);
    }
  }

  #write(line: HeldLine, value: unknown): void {
    try {
      line.logger.msg(value, line.method);
    } catch (e) {
      report("the wrapped logger", e);
    }
  }

  #clear(): void {
    this.#lines = [];
    this.#head = 0;
    this.#bytes = 0;
    this.#dropped = 0;
    unfinished.delete(this);
  }
}

function writeAllUnfinished(): void {
  for (const control of [...unfinished]) control.writeUnfinished();
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Node runs `exit` listeners on a natural end, process.exit(), an uncaught
  // exception and an unhandled rejection: the output's own exit flush
  // (output/queues.ts) writes what these lines add, or, if it ran first,
  // writes them at once.
  process.on("exit", writeAllUnfinished);
}

/** The control of the current scope, if it has one (for the HTTP integrations and captureLogs). */
export function currentLogControl(): LogControl | undefined {
  const control = currentControl();
  return control instanceof LogControl ? control : undefined;
}

/**
 * Runs `fn` in a new context scope (as `boundContextVars({}, fn)` does) whose
 * lines follow `options`: its level applies to every logger, and lines below
 * `holdBelow` are held until `fn` ends, then written if it threw (or its
 * promise rejected) and discarded if it did not. A line at `flushLevel`
 * writes them at once. Scopes nest: an inner one holds its own lines, and
 * its error line releases the outer one's too.
 *
 * @example
 * await withLogControl({ holdBelow: "info" }, async () => {
 *   log.debug("job_step", { step: 1 }); // held
 *   await runJob(job);                   // if it throws, the debug lines are written, then the error propagates
 * });
 */
export function withLogControl<T>(options: LogControlOptions, fn: () => T): T {
  if (typeof fn !== "function") throw new TypeError("withLogControl(options, fn): fn must be a function.");
  const settings = resolveLogControl(options);
  const control = new LogControl(settings, undefined, currentLogControl());
  let result: T;
  try {
    result = runWithControl(control, fn);
  } catch (e) {
    control.end(true);
    throw e;
  }
  if (result instanceof Promise) {
    return result.then(
      (value) => {
        control.end(false);
        return value;
      },
      (error: unknown) => {
        control.end(true);
        throw error;
      },
    ) as T;
  }
  control.end(false);
  return result;
}

/**
 * Runs `fn` in a new context scope with a copy of the current scope's
 * variables and `control` as its control: for integrations and tests that
 * drive a {@link LogControl} themselves.
 */
export function runInControlScope<T>(control: LogControl, fn: () => T): T {
  return runWithControl(control, fn);
}
