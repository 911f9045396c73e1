/**
 * `reply.log`: the request logger, except for Fastify's own request logging.
 *
 * Fastify writes its request lines ("request completed", "request errored",
 * its default error handler's line) on `reply.log`, with the reply under
 * `res`. The plugin's request line replaces them, so those calls go to
 * Fastify's logger as before: they appear only where the app turned
 * Fastify's logger on (and `disableRequestLogging` turns them off there).
 * Everything else written on `reply.log` (the app's own lines, Fastify's
 * warnings about a reply sent twice) goes to the request logger.
 *
 * A small class that delegates, rather than `Object.create(requestLogger)`:
 * making a fresh object the prototype of another on every request is slow
 * in V8 (it turns the object into a prototype map).
 */
import type { Fields, LevelInput } from "@structlog/core";
import type { FastifyBaseLogger, FastifyReply } from "fastify";
import type { Bindings, FastifyChildOptions, FastifyLogger, FastifyLogSerializers } from "./logger.js";

type Method = (obj?: unknown, ...rest: unknown[]) => unknown;
type Methods = Record<string, Method>;

/** Delegates to the request logger; see the module comment. */
export class ReplyLogger implements FastifyLogger {
  readonly #ours: FastifyLogger;
  readonly #fastifys: FastifyBaseLogger;
  readonly #reply: FastifyReply;

  constructor(ours: FastifyLogger, fastifys: FastifyBaseLogger, reply: FastifyReply) {
    this.#ours = ours;
    this.#fastifys = fastifys;
    this.#reply = reply;
  }

  /** Fastify's request-logging calls carry this reply under `res`. */
  #route(method: "info" | "warn" | "error", obj: unknown, rest: unknown[]): unknown {
    if (typeof obj === "object" && obj !== null && (obj as { res?: unknown }).res === this.#reply) {
      return (this.#fastifys as unknown as Methods)[method]?.call(this.#fastifys, obj, ...rest);
    }
    return this.#call(method, obj, rest);
  }

  #call(method: string, obj: unknown, rest: unknown[]): unknown {
    return (this.#ours as unknown as Methods)[method]?.call(this.#ours, obj, ...rest);
  }

  info(obj?: unknown, ...rest: unknown[]): unknown {
    return this.#route("info", obj, rest);
  }
  warn(obj?: unknown, ...rest: unknown[]): unknown {
    return this.#route("warn", obj, rest);
  }
  error(obj?: unknown, ...rest: unknown[]): unknown {
    return this.#route("error", obj, rest);
  }
  trace(obj?: unknown, ...rest: unknown[]): unknown {
    return this.#call("trace", obj, rest);
  }
  debug(obj?: unknown, ...rest: unknown[]): unknown {
    return this.#call("debug", obj, rest);
  }
  warning(obj?: unknown, ...rest: unknown[]): unknown {
    return this.#call("warning", obj, rest);
  }
  exception(obj?: unknown, ...rest: unknown[]): unknown {
    return this.#call("exception", obj, rest);
  }
  critical(obj?: unknown, ...rest: unknown[]): unknown {
    return this.#call("critical", obj, rest);
  }
  fatal(obj?: unknown, ...rest: unknown[]): unknown {
    return this.#call("fatal", obj, rest);
  }
  silent(): void {}

  get level(): string {
    return this.#ours.level;
  }
  set level(level: string) {
    this.#ours.level = level;
  }
  get context(): Fields {
    return this.#ours.context;
  }
  get serializers(): FastifyLogSerializers {
    return this.#ours.serializers;
  }
  log(level: LevelInput | string, event: string, fields?: Fields): unknown {
    return this.#ours.log(level, event, fields);
  }
  bind(fields: Fields): FastifyLogger {
    return this.#ours.bind(fields);
  }
  new(fields?: Fields): FastifyLogger {
    return this.#ours.new(fields);
  }
  unbind(...keys: string[]): FastifyLogger {
    return this.#ours.unbind(...keys);
  }
  tryUnbind(...keys: string[]): FastifyLogger {
    return this.#ours.tryUnbind(...keys);
  }
  child(bindings: Bindings, options?: FastifyChildOptions): FastifyLogger {
    return this.#ours.child(bindings, options);
  }
  bindings(): Fields {
    return this.#ours.bindings();
  }
  isEnabledFor(level: LevelInput | string): boolean {
    return this.#ours.isEnabledFor(level);
  }
  isLevelEnabled(level: LevelInput | string): boolean {
    return this.#ours.isLevelEnabled(level);
  }
  flush(): void {
    this.#ours.flush();
  }
}
