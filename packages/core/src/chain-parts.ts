/**
 * Not a public module. What the compiled chain (compiled-chain.ts) needs to know of a
 * built-in step: the symbols a step carries to say what it adds. A module
 * without imports, so the processors can carry them without an import cycle.
 */

/** On a `timeStamper()` processor: `{ key, now }`, the key it sets and the value it would set now. */
export const TIME_STAMP: unique symbol = Symbol("structlog.timeStamper");
/** On a `jsonRenderer()` without `serializer` or `sortKeys`: `{ maxStringLength, maxLineBytes }`. */
export const PLAIN_JSON: unique symbol = Symbol("structlog.plainJson");

export interface TimeStampPart {
  readonly key: string;
  readonly now: () => string | number;
}

export interface PlainJsonPart {
  readonly maxStringLength: number;
  readonly maxLineBytes: number;
}
