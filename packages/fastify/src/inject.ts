/**
 * `app.inject()` dispatches a request on the caller's own async context
 * (synchronously, or from the chain's `end()`/`then()`), so the scope that
 * `genReqId` enters would stay on the caller after the response: a line the
 * test or the app logs afterwards, and every timer it schedules, would carry
 * that request's `request_id`. The plugin wraps `inject` so the dispatch runs
 * in {@link confineRequestScopes}.
 */
import { confineRequestScopes } from "@structlog/core/http";
import type { FastifyInstance } from "fastify";

const kConfined = Symbol.for("@structlog/fastify.inject-confined");

type Inject = (this: unknown, ...args: unknown[]) => unknown;

/** light-my-request's chain (`app.inject()` with no options): it dispatches later, through its `dispatch`. */
interface Chain {
  dispatch: (this: unknown, ...args: unknown[]) => unknown;
  end: unknown;
}

function isChain(value: unknown): value is Chain {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Chain).dispatch === "function" &&
    typeof (value as Chain).end === "function"
  );
}

/**
 * Wraps `inject` where it is defined (the root instance: an encapsulated
 * instance inherits it), once per app.
 */
export function confineInject(fastify: FastifyInstance): void {
  let owner: object | null = fastify;
  while (owner !== null && !Object.hasOwn(owner, "inject")) owner = Object.getPrototypeOf(owner);
  if (owner === null || Object.hasOwn(owner, kConfined)) return;
  const target = owner as { inject: Inject };
  const original = target.inject;
  if (typeof original !== "function") return;
  Object.defineProperty(owner, kConfined, { value: true });
  target.inject = function inject(this: unknown, ...args: unknown[]): unknown {
    const result = confineRequestScopes(() => original.apply(this, args));
    if (isChain(result)) {
      const dispatch = result.dispatch;
      result.dispatch = function confinedDispatch(this: unknown, ...dispatchArgs: unknown[]): unknown {
        return confineRequestScopes(() => dispatch.apply(this, dispatchArgs));
      };
    }
    return result;
  };
}
