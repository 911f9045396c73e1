/**
 * `asFastifyLogger()`: a structlog logger that meets Fastify's logger
 * contract (`FastifyBaseLogger`: `info`, `error`, `debug`, `fatal`, `warn`,
 * `trace`, `child`, `level`, `silent`), for `Fastify({ loggerInstance })`
 * (through `withStructlog()`) and for the plugin's request loggers.
 *
 * Fastify passes its raw request and reply objects under `req` and `res`
 * (`log.info({ req: request }, "incoming request")`). Written as they are,
 * they would drag sockets and servers into the line, so the adapter runs
 * pino-style serializers over those keys first: the shared HTTP
 * serializers (pino-std-serializers' shapes, credentials redacted).
 * Fastify's own sentences ("Server listening at …") become events with
 * fields (`server_listening` with `address`): see fastify-events.ts.
 */
import {
  type ChildOptions,
  type Fields,
  getLogger,
  type LevelInput,
  LOG_METHODS,
  type Logger,
  type LogMethod,
  levelToNumber,
  report,
} from "@structlog/core";
import { type RedactOptions, serializeRequest, serializeResponse } from "@structlog/core/http";
import type { FastifyBaseLogger } from "fastify";
import { fastifyErrorEvent, fastifyEvent } from "./fastify-events.js";

/** What Fastify passes to `child()` as bindings (pino's `Bindings`; Fastify does not re-export the name). */
export type Bindings = Parameters<FastifyBaseLogger["child"]>[0];
type ChildLoggerOptions = NonNullable<Parameters<FastifyBaseLogger["child"]>[1]>;

/**
 * A pino-style serializer: turns the value found under its key into what is
 * logged. Typed with a `never` parameter so that serializers written for a
 * specific type (`(req: FastifyRequest) => …`) are accepted.
 */
export type FastifyLogSerializer = (value: never) => unknown;

/** Serializers by top-level key, as pino and Fastify take them. */
export type FastifyLogSerializers = Readonly<Record<string, FastifyLogSerializer>>;

/** Options of {@link asFastifyLogger}. */
export interface FastifyLoggerOptions extends RedactOptions {
  /**
   * Serializers by key, applied to the fields of each call and to child
   * bindings. They are merged over the defaults (`req` and `res`: the
   * shared HTTP serializers, headers redacted).
   */
  readonly serializers?: FastifyLogSerializers;
  /** The lowest level logged (pino or structlog names). Default: the logger's own. */
  readonly level?: LevelInput | string;
}

/**
 * What Fastify (and pino) pass to `child()`: pino's `ChildLoggerOptions`,
 * with structlog's level names and numbers allowed too. Of pino's other
 * options (`redact`, `msgPrefix`, `formatters`), none has an effect.
 */
export interface FastifyChildOptions extends Omit<ChildLoggerOptions, "level" | "serializers">, ChildOptions {
  readonly level?: LevelInput | string;
  /** Extra serializers for the child, merged over the parent's (a route's `logSerializers`). */
  readonly serializers?: FastifyLogSerializers | undefined;
}

/**
 * A structlog logger that is also a Fastify logger: every structlog method
 * (`bind()`, `unbind()`, `isEnabledFor()`, …) returning Fastify loggers,
 * plus pino's `child(bindings, { level, serializers })` and the
 * `serializers` Fastify reads from a `loggerInstance`. Given as Fastify's
 * `loggerInstance` (what `withStructlog()` does), it is the type of
 * `app.log`, `request.log` and `reply.log`.
 */
export interface FastifyLogger extends Logger {
  bind(fields: Fields): FastifyLogger;
  "new"(fields?: Fields): FastifyLogger;
  unbind(...keys: string[]): FastifyLogger;
  tryUnbind(...keys: string[]): FastifyLogger;
  child(bindings: Bindings, options?: FastifyChildOptions): FastifyLogger;
  /** The serializers in use, by key. */
  readonly serializers: FastifyLogSerializers;
}

type Serialize = (value: unknown) => unknown;

function isError(value: unknown): value is Error {
  // instanceof runs code of the value's (a proxy trap), which may throw: then it is not an Error.
  try {
    return value instanceof Error;
  } catch {
    return false;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** A Fastify request, a Node `IncomingMessage`, or light-my-request's request. */
function isRawOrFastifyRequest(value: Record<string, unknown>): boolean {
  return (
    typeof value.method === "string" &&
    isObject(value.headers) &&
    // A serialized request has neither; a live one has one of them.
    (isObject(value.raw) || typeof value.httpVersion === "string")
  );
}

/** A Fastify reply: its own status and headers, over a raw response. */
function isFastifyReply(value: Record<string, unknown>): boolean {
  return isObject(value.raw) && typeof value.getHeaders === "function" && typeof value.statusCode === "number";
}

/** A Node `ServerResponse` (or light-my-request's). */
function isServerResponse(value: Record<string, unknown>): boolean {
  return typeof value.getHeaders === "function" && typeof value.setHeader === "function" && typeof value.statusCode === "number";
}

/** The default serializers: requests and replies in pino-std-serializers' shapes, headers redacted. */
function defaultSerializers(redact: RedactOptions): FastifyLogSerializers {
  const req: Serialize = (value) => (isObject(value) && isRawOrFastifyRequest(value) ? serializeRequest(value, redact) : value);
  const res: Serialize = (value) => {
    if (!isObject(value)) return value;
    if (isFastifyReply(value)) {
      // Before the reply is sent, its status and headers live on the reply,
      // not yet on the raw response; read them where they are.
      const reply = value as { statusCode: number; getHeaders(): Record<string, unknown> };
      return serializeResponse({ headersSent: true, statusCode: reply.statusCode, getHeaders: () => reply.getHeaders() }, redact);
    }
    return isServerResponse(value) ? serializeResponse(value, redact) : value;
  };
  return Object.freeze({ req, res });
}

function runSerializer(key: string, serializer: FastifyLogSerializer, value: unknown): unknown {
  try {
    return (serializer as Serialize)(value);
  } catch (e) {
    report(`the ${JSON.stringify(key)} serializer`, e);
    return `[Unserializable: the ${key} serializer threw]`;
  }
}

/**
 * `fields` with each key that has a serializer replaced by its serialized
 * value: a copy when something changed, `fields` itself otherwise (the
 * caller's object is never changed).
 */
function applySerializers(fields: Record<string, unknown>, serializers: FastifyLogSerializers, keys: readonly string[]): Fields {
  let out: Record<string, unknown> | undefined;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (!Object.hasOwn(fields, key)) continue;
    // A spread copies own keys as data properties: a "__proto__" field stays a field.
    out ??= { ...fields };
    out[key] = runSerializer(key, serializers[key] as FastifyLogSerializer, fields[key]);
  }
  return out ?? fields;
}

// biome-ignore lint/correctness/noUnusedVariables: merged with the class below, to type the methods installed on its prototype.
interface FastifyLoggerAdapter extends Pick<Logger, (typeof LOG_METHODS)[number]> {}

/** The adapter. Each instance wraps one structlog logger; every derived logger is wrapped again. */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the methods are installed on the prototype below.
class FastifyLoggerAdapter implements FastifyLogger {
  /** @internal */ _logger: Logger | undefined;
  /**
   * @internal The child `child()` was asked for, made on first use: its
   * parent, bindings and level. Fastify makes a child of its logger for
   * every request, and the plugin replaces it with its own request logger
   * before anything logs: made eagerly, it would cost a bound logger per
   * request for nothing. Fields of the adapter, not an object of their own:
   * one allocation less per request.
   */
  _parent: Logger | undefined = undefined;
  /** @internal */ _fields: Fields | undefined = undefined;
  /** @internal */ _level: LevelInput | string | undefined = undefined;
  /** @internal */ readonly _serializers: FastifyLogSerializers;
  /** @internal */ readonly _keys: readonly string[];

  constructor(inner: Logger | undefined, serializers: FastifyLogSerializers, keys: readonly string[] = Object.keys(serializers)) {
    this._logger = inner;
    this._serializers = serializers;
    this._keys = keys;
  }

  /** @internal The wrapped structlog logger. */
  get _inner(): Logger {
    return this._logger ?? this._make();
  }

  set _inner(logger: Logger) {
    this._logger = logger;
    this._parent = undefined;
    this._fields = undefined;
  }

  /** @internal */
  _make(): Logger {
    const parent = this._parent as Logger;
    const fields = this._fields as Fields;
    const level = this._level;
    // Fastify passes an empty level for "inherit".
    this._inner = level === undefined || level === "" ? parent.child(fields) : parent.child(fields, { level });
    return this._logger as Logger;
  }

  get serializers(): FastifyLogSerializers {
    return this._serializers;
  }

  get context(): Fields {
    return this._inner.context;
  }

  get level(): string {
    return this._inner.level;
  }

  /**
   * pino-style: changes this logger's level. The adapter switches to a
   * child of its logger at that level, which works for lazy loggers from
   * `getLogger()` too (setting `level` on those would be lost).
   */
  set level(level: string) {
    levelToNumber(level); // throws, naming the valid levels, as pino does for an unknown level
    this._inner = this._inner.child({}, { level });
  }

  /** @internal */
  _wrap(inner: Logger): FastifyLoggerAdapter {
    return new FastifyLoggerAdapter(inner, this._serializers, this._keys);
  }

  /** @internal */
  _serialize(fields: Fields): Fields {
    return this._keys.length === 0 ? fields : applySerializers(fields as Record<string, unknown>, this._serializers, this._keys);
  }

  bind(fields: Fields): FastifyLogger {
    return this._wrap(this._inner.bind(this._serialize(fields)));
  }

  new(fields?: Fields): FastifyLogger {
    return this._wrap(this._inner.new(fields === undefined ? fields : this._serialize(fields)));
  }

  unbind(...keys: string[]): FastifyLogger {
    return this._wrap(this._inner.unbind(...keys));
  }

  tryUnbind(...keys: string[]): FastifyLogger {
    return this._wrap(this._inner.tryUnbind(...keys));
  }

  child(bindings: Fields, options?: FastifyChildOptions): FastifyLogger {
    const extra = options?.serializers;
    // Fastify makes a child per request (and so does the plugin): the parent's serializers and keys are shared, not copied.
    const next = isObject(extra)
      ? new FastifyLoggerAdapter(undefined, Object.freeze({ ...this._serializers, ...extra }))
      : new FastifyLoggerAdapter(undefined, this._serializers, this._keys);
    const fields = isObject(bindings) ? next._serialize(bindings) : {};
    const level = options?.level;
    if (level !== undefined && level !== "") levelToNumber(level); // an unknown level throws here, as pino's child() does
    next._parent = this._inner;
    next._fields = fields;
    next._level = level;
    return next;
  }

  bindings(): Fields {
    return this._inner.bindings();
  }

  isEnabledFor(level: LevelInput | string): boolean {
    return this._inner.isEnabledFor(level);
  }

  isLevelEnabled(level: LevelInput | string): boolean {
    return this._inner.isEnabledFor(level);
  }

  log(level: LevelInput | string, event: string, fields?: Fields): unknown {
    return this._inner.log(level, event, fields === undefined ? fields : this._serialize(fields));
  }

  silent(): void {}

  flush(): void {
    this._inner.flush();
  }
}

for (const m of LOG_METHODS) {
  // Fields are serialized in both call shapes: pino's `(obj, msg)` and
  // structlog's `(event, fields)`. Fastify's own sentences become events
  // with fields (fastify-events.ts); a plain event goes straight through.
  const fn = function (this: FastifyLoggerAdapter, a?: unknown, b?: unknown, ...rest: unknown[]): unknown {
    try {
      if (isObject(a)) {
        if (b === undefined && !Object.hasOwn(a, "msg")) {
          // pino's `log.warn({ err })`: the error's message is the event, as pino makes it the msg.
          const err = (a as { err?: unknown }).err;
          if (isError(err)) b = fastifyErrorEvent(err) ?? err.message;
        } else if (typeof b === "string" && rest.length === 0) {
          const known = fastifyEvent(b);
          if (known !== undefined) {
            b = known.event;
            if (known.fields !== undefined) a = { ...a, ...known.fields };
          }
        }
        if (this._keys.length !== 0) a = applySerializers(a as Record<string, unknown>, this._serializers, this._keys);
      } else if (typeof a === "string") {
        if (isObject(b)) {
          if (this._keys.length !== 0) b = applySerializers(b, this._serializers, this._keys);
        } else if (b === undefined && rest.length === 0) {
          const known = fastifyEvent(a);
          if (known !== undefined) {
            a = known.event;
            b = known.fields;
          }
        }
      }
    } catch {
      // Fields that cannot even be read (a throwing proxy): the bound logger
      // writes them as well as it can, with a structlog_error field.
    }
    const method = this._inner[m] as (...args: unknown[]) => unknown;
    return rest.length === 0 ? method.call(this._inner, a, b) : method.call(this._inner, a, b, ...rest);
  };
  Object.defineProperty(fn, "name", { value: m });
  Object.defineProperty(FastifyLoggerAdapter.prototype, m, { value: fn as LogMethod, writable: true, configurable: true });
}

/** Is `value` a logger made by {@link asFastifyLogger} (or derived from one)? */
export function isFastifyLogger(value: unknown): value is FastifyLogger {
  return value instanceof FastifyLoggerAdapter;
}

/**
 * Wraps a structlog logger (default `getLogger("fastify")`) as a Fastify
 * logger, so Fastify's own lines (startup, errors, its request lines if
 * enabled) go through your processors. Raw requests and replies under `req`
 * and `res` are serialized, with credential headers redacted.
 *
 * `Fastify(withStructlog())` gives it to Fastify together with the log
 * controller that keeps Fastify's request lines out; use this directly for
 * a logger of your own, or outside Fastify's options.
 *
 * @example
 * const log = asFastifyLogger(getLogger("fastify"), { level: "warn" });
 * log.warn({ port: 3000 }, "port_in_use"); // {"port":3000,"event":"port_in_use",...}
 */
export function asFastifyLogger(logger: Logger = getLogger("fastify"), options: FastifyLoggerOptions = {}): FastifyLogger {
  if (typeof logger !== "object" || logger === null || typeof logger.info !== "function" || typeof logger.child !== "function") {
    throw new TypeError('asFastifyLogger(logger) needs a structlog logger, e.g. asFastifyLogger(getLogger("fastify")).');
  }
  if (typeof options !== "object" || options === null) throw new TypeError("asFastifyLogger(logger, options): options must be an object.");
  const extra = options.serializers;
  if (extra !== undefined) {
    if (!isObject(extra))
      throw new TypeError("asFastifyLogger({ serializers }) must be an object of functions, e.g. { user: (u) => u.id }.");
    for (const [key, fn] of Object.entries(extra)) {
      if (typeof fn !== "function") throw new TypeError(`asFastifyLogger({ serializers }): ${JSON.stringify(key)} is not a function.`);
    }
  }
  const { redactHeaders, censor, requestIdHeader, requestIdMaxLength } = options;
  const serializers = Object.freeze({ ...defaultSerializers({ redactHeaders, censor, requestIdHeader, requestIdMaxLength }), ...extra });
  // A level is applied through a child, so the caller's logger is not changed.
  return new FastifyLoggerAdapter(options.level === undefined ? logger : logger.child({}, { level: options.level }), serializers);
}
