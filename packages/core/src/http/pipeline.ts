/**
 * The request pipeline both HTTP integrations map their hooks onto: the
 * request id (intake, generation), the request's scope, skip and ignore,
 * `user_id`, the request's log control (its level, held lines, sampling:
 * docs/request-control.md), and the one request line with its fields, level
 * and `err`.
 * An integration says *when* (its framework's hooks); this says *what*.
 */
import { bindContextVars as bindInScope, integrationServing, RequestScope, trackRequestScopes } from "../context.js";
import { defineField } from "../fields.js";
import type { LevelInput } from "../levels.js";
import { report } from "../report.js";
import { currentLogControl } from "../scope-control.js";
import type { Fields, Logger } from "../types.js";
import { levelForOutcome, type RequestOutcome, type ResolvedHttpLoggingOptions, requestOutcomeFields } from "./request-event.js";
import { acceptRequestId, generateRequestId } from "./request-id.js";
import type { RedactOptions } from "./serializers.js";

/** The longest id a custom generator may return. */
const MAX_GENERATED_ID_LENGTH = 1024;

/** How an integration sets up its pipeline. */
export interface PipelineSettings<IdReq> {
  /** The integration's name in reports, e.g. `"structlogMiddleware()"`. */
  readonly where: string;
  /** What to tell someone whose code binds outside the request's scope while requests are served. */
  readonly scopeFix: string;
  /** Makes an id when no incoming one is accepted; its result is checked. Default: a UUID. */
  readonly generate?: ((req: IdReq) => unknown) | undefined;
}

/** What one request line needs besides the outcome. */
export interface RequestLineInput<Req, Res> {
  readonly logger: Logger;
  readonly scope: RequestScope;
  readonly req: Req;
  readonly res: Res;
  readonly outcome: RequestOutcome;
  /** The serialized `req` and `res` for `logHeaders`, made only when asked. */
  readonly headers?: (redact: RedactOptions) => { req: unknown; res: unknown };
  /**
   * `isSkipped()` said so: no line is written, but the request's log control,
   * if it has one, still ends here (its held lines are written if it failed).
   */
  readonly skipped?: boolean;
}

/** One request pipeline, made once per integration from its checked options. */
export interface RequestPipeline<Req, Res, IdReq = Req> {
  readonly options: ResolvedHttpLoggingOptions<Req, Res>;
  /** How headers are redacted wherever the integration logs them (a rejected request-id header included). */
  readonly redact: RedactOptions;
  /** The request's id: a safe incoming header value (when trusted), else a generated one. Never throws. */
  requestId(headers: Readonly<Record<string, unknown>>, req: IdReq): string;
  /** Opens the request's scope, holding its id (and the values bound before the integration was set up). */
  openScope(requestId: string): RequestScope;
  /**
   * Gives the request's scope its log control, when the request needs one
   * (`levelFor`, a route level, `logControl`, `sampling`): from then on every
   * logger in the scope follows it, not only the request's own. `routeLevel`
   * is the framework's level for the matched route (Fastify's `logLevel`);
   * `levelFor` wins over it. Call once per request, before the app's handler
   * runs; {@link RequestPipeline.writeRequestLine} ends it. Never throws.
   */
  openControl(scope: RequestScope, req: Req, routeLevel?: LevelInput): void;
  /** `ignorePaths` or `skip` say: no request line for this request. Never throws. */
  isSkipped(req: Req, path: string): boolean;
  /** Binds `user_id` from `getUserId` in the current scope; `true` once bound. Never throws. */
  bindUserId(req: Req): boolean;
  /** Writes the start line (`logRequestStarted`) in `scope`. Never throws. */
  writeStartLine(logger: Logger, scope: RequestScope, fields: Fields): void;
  /**
   * Writes the request line in its scope: the scope's variables, the outcome,
   * `err`, custom fields; then ends the request's log control. A failed
   * request's held lines are written before its line; a sampled-out line is
   * not written, a kept one carries `sample_rate`. Call once per request, for
   * a skipped one too (with `skipped`). Never throws.
   */
  writeRequestLine(input: RequestLineInput<Req, Res>): void;
  /** Ends the integration (its server closed): binds outside every scope are accepted again once none is left. */
  close(): void;
}

/**
 * The scope's variables, without those the logger is bound to with the same
 * value (a request logger's own request_id): the event dict keeps a bound
 * key where the context has it, so the line is the same without them, and
 * the compiled chain then has no call key to check against the context.
 */
function varsNotBound(scope: RequestScope, context: Fields): Record<string, unknown> {
  const vars = scope.vars();
  const keys = Object.keys(vars);
  let bound = 0;
  for (const key of keys) if (Object.hasOwn(context, key) && context[key] === vars[key]) bound++;
  if (bound === 0) return vars;
  // A new object rather than `delete`, which would leave the copy in dictionary mode.
  const out: Record<string, unknown> = {};
  for (const key of keys) if (!(Object.hasOwn(context, key) && context[key] === vars[key])) defineField(out, key, vars[key]);
  return out;
}

function assignOwn(target: Record<string, unknown>, source: unknown): void {
  if (source === null || typeof source !== "object") return;
  for (const key of Object.keys(source)) {
    Object.defineProperty(target, key, { value: (source as Fields)[key], enumerable: true, writable: true, configurable: true });
  }
}

/**
 * Makes the pipeline of one integration. From now until `close()`, a
 * `bindContextVars()` outside every scope is refused and reported once,
 * naming `settings.scopeFix` (docs/contextvars.md).
 *
 * @example
 * const pipeline = createRequestPipeline(resolveHttpOptions(options, "my-adapter"), { where: "my-adapter", scopeFix: "…" });
 * const id = pipeline.requestId(req.headers, req);
 * pipeline.openScope(id).run(() => next());
 */
export function createRequestPipeline<Req, Res, IdReq = Req>(
  options: ResolvedHttpLoggingOptions<Req, Res>,
  settings: PipelineSettings<IdReq>,
): RequestPipeline<Req, Res, IdReq> {
  const { where, generate } = settings;
  // Before any request: a scope entered on an untracked context would reach every untracked context (context.ts).
  trackRequestScopes();
  const { requestIdHeader, requestIdMaxLength, trustRequestId, requestIdKey, ignorePaths, skip, getUserId, customFields, requestControl } =
    options;
  const redact: RedactOptions = Object.freeze({
    redactHeaders: options.redactHeaders,
    censor: options.censor,
    requestIdHeader,
    requestIdMaxLength,
  });
  const close = integrationServing(settings.scopeFix);

  function callSafely<T>(name: string, fn: () => T): T | undefined {
    try {
      return fn();
    } catch (e) {
      report(`${where} ${name}`, e);
      return undefined;
    }
  }

  function generated(req: IdReq): string {
    if (generate === undefined) return generateRequestId();
    const made = callSafely("generateRequestId", () => generate(req));
    if (made === undefined) return generateRequestId();
    const id = acceptRequestId(typeof made === "number" || typeof made === "bigint" ? String(made) : made, MAX_GENERATED_ID_LENGTH);
    if (id !== undefined) return id;
    report(
      `${where} generateRequestId`,
      new TypeError("returned an id that is not a short string of safe characters (letters, digits, -_.:+=/@~); used a UUID"),
    );
    return generateRequestId();
  }

  return {
    options,
    redact,
    close,

    requestId(headers, req) {
      if (trustRequestId) {
        const incoming = acceptRequestId(headers[requestIdHeader], requestIdMaxLength);
        if (incoming !== undefined) return incoming;
      }
      return generated(req);
    },

    openScope(requestId) {
      return new RequestScope({ [requestIdKey]: requestId });
    },

    openControl(scope, req, routeLevel) {
      try {
        const control = requestControl.open(req, routeLevel);
        if (control !== undefined) scope.control = control;
      } catch (e) {
        report(`${where} log control`, e);
      }
    },

    isSkipped(req, path) {
      if (ignorePaths.size !== 0 && ignorePaths.has(path)) return true;
      return skip !== undefined && callSafely("skip", () => skip(req)) === true;
    },

    bindUserId(req) {
      if (getUserId === undefined) return false;
      const userId = callSafely("getUserId", () => getUserId(req));
      if (userId === undefined || userId === null) return false;
      // In the request's scope (the caller's): refused only if there is none.
      bindInScope({ user_id: userId });
      return true;
    },

    writeStartLine(logger, scope, fields) {
      try {
        scope.run(writeStart, logger, fields);
      } catch (e) {
        report(`${where} request line`, e);
      }
    },

    writeRequestLine(input) {
      // A skipped request without a control has nothing to end.
      if (input.skipped === true && input.scope.control === undefined) return;
      try {
        input.scope.run(endRequest, input);
      } catch (e) {
        report(`${where} request line`, e);
      }
    },
  };

  function writeStart(logger: Logger, fields: Fields): void {
    logger.info(options.startedEvent, fields);
  }

  /** In the request's scope: held lines of a failed request, then the request line (unless skipped or sampled out), then the control's end. */
  function endRequest(input: RequestLineInput<Req, Res>): void {
    requestControl.complete(currentLogControl(), input.outcome, input.skipped === true, (extra) => writeLine(input, extra));
  }

  function writeLine(input: RequestLineInput<Req, Res>, extra: Fields | undefined): void {
    const { outcome, req, res } = input;
    // The scope's variables go on the line itself, so it carries them even in a chain without mergeContextVars.
    // Object.assign is safe for the outcome: its keys are fixed names (no "__proto__").
    const fields = Object.assign(varsNotBound(input.scope, input.logger.context), requestOutcomeFields(outcome, options.logRemoteAddress));
    if (options.logHeaders && input.headers !== undefined) assignOwn(fields, input.headers(redact));
    if (customFields !== undefined)
      assignOwn(
        fields,
        callSafely("customFields", () => customFields(req, res)),
      );
    if (extra !== undefined) assignOwn(fields, extra);
    input.logger[levelForOutcome(outcome)](options.completedEvent, fields);
  }
}
