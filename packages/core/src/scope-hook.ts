/**
 * Not part of the public API. The one place the level-filter path (bound-logger.ts) asks about
 * scope control (scope-control.ts): a scope's own level, and whether a line
 * is held instead of written. Kept in a module of its own, with no logic, so
 * the hot path imports almost nothing and the two sides can change apart.
 */
import { currentControl } from "./context.js";
import type { EventDict, WrappedLogger } from "./types.js";

/** What a scope's control decides, as the bound logger asks it. */
export interface ScopeControl {
  /** A call below this level is dropped, whatever the logger's own level (−∞ when the scope sets no level). */
  readonly floor: number;
  /** A call at or above this level is processed even when the logger's own level filters it (+∞ when the scope sets no level). */
  readonly lift: number;
  /**
   * Called once per call that passes the level: `true` means hold its
   * output. A call at the scope's flush level writes what is held first.
   */
  admit(level: number): boolean;
  /** Keeps one output, to be handed to `logger.msg(value, method)` or discarded when the scope ends. */
  hold(logger: WrappedLogger, value: unknown, method: string): undefined;
  /** Keeps an event dict that captureLogs would have captured: `capture.msg(eventDict)` if it is written. */
  holdEvent(capture: WrappedLogger, eventDict: EventDict, method: string, bytes: number): void;
}

/**
 * `active` counts the control scopes open anywhere in the process: while it
 * is 0 a filtered call pays one comparison and nothing else. `opened` is
 * called as each control scope opens: the bound loggers' filtered methods,
 * true no-ops until the first one, start checking then. `holding` is
 * the control of the call whose chain is running, when that call is held
 * (captureLogs reads it, so a held line is captured only if it is written).
 */
export const scopeHook: { active: number; holding: ScopeControl | undefined; opened: () => void } = {
  active: 0,
  holding: undefined,
  opened: () => {},
};

export { currentControl };
