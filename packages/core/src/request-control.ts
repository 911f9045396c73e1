/**
 * Request-scoped log control for the HTTP integrations (docs/request-control.md):
 * each request's level (`levelFor(request)`, a route's level), its held
 * lines (`logControl`), and the sampling of its request line (`sampling`).
 * No framework is named here: an integration opens a control when the
 * request's scope opens and completes it with the request's outcome.
 */
import type { RequestOutcome } from "./http/request-event.js";
import { type LevelInput, levelToNumber } from "./levels.js";
import { checkOptions } from "./options.js";
import { report } from "./report.js";
import { LogControl, type LogControlOptions, type LogControlSettings, resolveLogControl } from "./scope-control.js";
import type { Fields } from "./types.js";

/**
 * Sampling of the request line of successful requests. Only a request that
 * answered 2xx, threw nothing, logged no line at error level or above, was
 * faster than `keepSlowerThanMs` and got no level from `levelFor` is sampled; every other request line is
 * written. A line kept by sampling carries `sample_rate`: the number of
 * requests it stands for (1 / the fraction kept).
 */
export interface SamplingOptions {
  /** Keep this fraction of the sampled lines, from 0 (exclusive) to 1. */
  readonly rate?: number;
  /** Keep one in this many of the sampled lines (a whole number ≥ 1); another spelling of `rate: 1 / oneIn`. */
  readonly oneIn?: number;
  /** A request this slow or slower (ms) is always written. Default: no bound (speed does not matter). */
  readonly keepSlowerThanMs?: number;
}

/** The options of request-scoped control, as both integrations take them. `Req` is the framework's request. */
export interface RequestControlOptions<Req = unknown> {
  /**
   * The level of this request, for every logger in its scope (e.g. `"debug"`
   * for a request with a header the app trusts); `undefined` for the
   * default. A request with a level of its own writes its lines rather than
   * holding them. Must not throw; a throw or an unknown level is reported
   * once and the request gets the default.
   */
  readonly levelFor?: (req: Req) => LevelInput | undefined;
  /** Holding for every request without a level of its own: `{ holdBelow: "info" }` holds debug lines until the request ends. */
  readonly logControl?: LogControlOptions;
  /** Sampling of the request line of successful requests. */
  readonly sampling?: SamplingOptions;
}

/** The option names of {@link RequestControlOptions}, for integrations that reject unknown options. */
export const REQUEST_CONTROL_OPTION_KEYS: readonly (keyof RequestControlOptions)[] = Object.freeze([
  "levelFor",
  "logControl",
  "sampling",
] as const);

interface Sampling {
  readonly keep: number;
  readonly sampleRate: number;
  readonly keepSlowerThanMs: number;
}

function resolveSampling(sampling: SamplingOptions, where: string): Sampling {
  const w = `${where} sampling`;
  if (sampling === null || typeof sampling !== "object") throw new TypeError(`${w} must be an object, e.g. { rate: 0.1 }.`);
  checkOptions(w, sampling, { rate: "number", oneIn: "number", keepSlowerThanMs: "number" });
  const { rate, oneIn, keepSlowerThanMs } = sampling;
  if ((rate === undefined) === (oneIn === undefined)) throw new TypeError(`${w}: give one of rate (e.g. 0.1) or oneIn (e.g. 10).`);
  if (rate !== undefined && !(rate > 0 && rate <= 1)) throw new TypeError(`${w}: rate must be above 0 and at most 1, not ${rate}.`);
  if (oneIn !== undefined && !(Number.isInteger(oneIn) && oneIn >= 1))
    throw new TypeError(`${w}: oneIn must be a whole number of at least 1, not ${oneIn}.`);
  if (keepSlowerThanMs !== undefined && !(keepSlowerThanMs >= 0)) {
    throw new TypeError(`${w}: keepSlowerThanMs must be a number of milliseconds, at least 0, not ${keepSlowerThanMs}.`);
  }
  const keep = rate ?? 1 / (oneIn as number);
  return { keep, sampleRate: oneIn ?? 1 / keep, keepSlowerThanMs: keepSlowerThanMs ?? Number.POSITIVE_INFINITY };
}

/** What to do with a request line: `false` drops it; otherwise the `sample_rate` to add (`undefined`: none). */
export type RequestLineDecision = false | { readonly sampleRate: number | undefined };

const KEEP: RequestLineDecision = Object.freeze({ sampleRate: undefined });

/**
 * The request-scoped control of one integration, made once from its
 * options. Per request: {@link RequestLogControl.open} when its scope opens,
 * {@link RequestLogControl.decide} for its request line, and
 * {@link RequestLogControl.end} after it.
 */
export class RequestLogControl<Req = unknown> {
  readonly #where: string;
  readonly #levelFor: ((req: Req) => LevelInput | undefined) | undefined;
  readonly #settings: LogControlSettings;
  readonly #sampling: Sampling | undefined;
  /** Does every request need a control (holding, sampling) even without a level of its own? */
  readonly #always: boolean;
  /** The controls whose level `levelFor` gave: the app asked to see those requests, so their lines are never sampled out. */
  readonly #asked = new WeakSet<LogControl>();

  constructor(options: RequestControlOptions<Req>, where: string) {
    this.#where = where;
    const { levelFor, logControl, sampling } = options;
    if (levelFor !== undefined && typeof levelFor !== "function")
      throw new TypeError(`${where}: levelFor must be a function (request) => level.`);
    this.#levelFor = levelFor;
    this.#settings = resolveLogControl(logControl ?? {}, `${where} logControl`);
    this.#sampling = sampling === undefined ? undefined : resolveSampling(sampling, where);
    // Sampling must know whether the request logged an error line: its control watches.
    this.#always = logControl !== undefined || sampling !== undefined;
  }

  /**
   * The control of a request whose scope opens now, or `undefined` when the
   * request needs none (no option asks for it and it has no level of its
   * own). `routeLevel` is the framework's level for the route (Fastify's
   * `logLevel`); `levelFor` wins over it. Never throws.
   */
  open(req: Req, routeLevel?: LevelInput): LogControl | undefined {
    let level: number | undefined;
    if (this.#levelFor !== undefined) level = this.#levelOf("levelFor", () => this.#levelFor?.(req));
    const asked = level !== undefined;
    if (level === undefined && routeLevel !== undefined && routeLevel !== "")
      level = this.#levelOf("the route's logLevel", () => routeLevel);
    if (level === undefined && !this.#always) return undefined;
    const control = new LogControl(this.#settings, level);
    if (asked) this.#asked.add(control);
    return control;
  }

  #levelOf(what: string, get: () => LevelInput | undefined): number | undefined {
    try {
      const level = get();
      return level === undefined || level === null ? undefined : levelToNumber(level);
    } catch (e) {
      report(`${this.#where} ${what}`, e);
      return undefined;
    }
  }

  /**
   * Did the request fail: a 5xx (or a timeout), a thrown error, or a line
   * at error level or above in its scope?
   */
  failed(control: LogControl | undefined, outcome: Pick<RequestOutcome, "statusCode" | "error" | "timedOut">): boolean {
    return outcome.statusCode >= 500 || outcome.timedOut === true || outcome.error !== undefined || control?.errorSeen === true;
  }

  /**
   * Before the request line: writes the held lines of a failed request (so
   * they come before its line), and says whether the line is written and
   * with which `sample_rate`.
   */
  decide(control: LogControl | undefined, outcome: RequestOutcome): RequestLineDecision {
    const failed = this.failed(control, outcome);
    if (failed) control?.release();
    const s = this.#sampling;
    if (s === undefined || failed || outcome.statusCode < 200 || outcome.statusCode > 299) return KEEP;
    if (outcome.aborted === true || outcome.durationMs >= s.keepSlowerThanMs) return KEEP;
    if (control !== undefined && this.#asked.has(control)) return KEEP;
    return Math.random() < s.keep ? { sampleRate: s.sampleRate } : false;
  }

  /**
   * The end of a request, in one call for the integrations: {@link decide},
   * then `writeLine(extra)` unless the line is dropped or `skipped` (extra is
   * `{ sample_rate }` for a sampled line), then {@link end}. Call inside the
   * request's scope. Never throws out of the control; `writeLine` must not throw.
   */
  complete(
    control: LogControl | undefined,
    outcome: RequestOutcome,
    skipped: boolean,
    writeLine: (extra: Fields | undefined) => void,
  ): void {
    const decision = this.decide(control, outcome);
    if (!skipped && decision !== false) writeLine(decision.sampleRate === undefined ? undefined : { sample_rate: decision.sampleRate });
    this.end(control, outcome);
  }

  /** Ends the request's control, after its line: held lines are written if it failed, discarded if not. */
  end(control: LogControl | undefined, outcome: Pick<RequestOutcome, "statusCode" | "error" | "timedOut">): void {
    control?.end(this.failed(control, outcome));
  }
}

/**
 * The request control of an integration's options. With none of them given,
 * `open()` returns `undefined` for every request without a route level, and
 * a request costs nothing more. Throws, saying what to change, for a wrong option.
 */
export function resolveRequestControl<Req>(options: RequestControlOptions<Req>, where: string): RequestLogControl<Req> {
  return new RequestLogControl(options, where);
}
