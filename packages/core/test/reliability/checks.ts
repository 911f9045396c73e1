/**
 * What every rendered line must satisfy, whatever it was given: the checks
 * shared by the hostile-value and injection tests.
 */
import { expect } from "vitest";
import { BLUE, BRIGHT, CYAN, DIM, GREEN, MAGENTA, RED, RED_BACK, RESET_ALL, YELLOW } from "../../src/renderers/console.js";

/** C0 and C1 controls, DEL and the Unicode line separators. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
export const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

// The console renderer's own styles (and the combinations it writes), longest first.
const STYLES = [RESET_ALL, BRIGHT, DIM, RED, GREEN, YELLOW, BLUE, MAGENTA, CYAN, RED_BACK].sort((a, b) => b.length - a.length);

/** The line without the console renderer's own colour sequences. */
export function withoutStyles(line: string): string {
  let out = line;
  for (const style of STYLES) out = out.replaceAll(style, "");
  return out;
}

/** A JSON line: one physical line, parses, no raw control character at all. */
export function expectJsonLine(rendered: unknown): Record<string, unknown> {
  expect(typeof rendered).toBe("string");
  const line = rendered as string;
  expect(line).not.toMatch(RAW_CONTROL);
  const parsed = JSON.parse(line) as unknown;
  expect(typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)).toBe(true);
  return parsed as Record<string, unknown>;
}

/**
 * A text line: the first physical line is the log line and has no raw control
 * character (colour sequences of the renderer aside). What follows is the
 * console renderer's exception/stack block: every block line is indented (or
 * empty) and has no raw control character, so no block line can pass for a
 * log line.
 */
export function expectTextLine(rendered: unknown, colors = false): string {
  expect(typeof rendered).toBe("string");
  const [line = "", ...block] = (rendered as string).split("\n");
  expect(colors ? withoutStyles(line) : line).not.toMatch(RAW_CONTROL);
  for (const blockLine of block) {
    expect(blockLine).not.toMatch(RAW_CONTROL);
    if (blockLine !== "") expect(blockLine).toMatch(/^\s/);
  }
  return line;
}

/** Object.prototype and Array.prototype, as they are now. */
export function prototypeSnapshot(): Map<string | symbol, unknown> {
  const snapshot = new Map<string | symbol, unknown>();
  for (const [name, proto] of [
    ["Object", Object.prototype],
    ["Array", Array.prototype],
  ] as const) {
    for (const key of Reflect.ownKeys(proto)) {
      const d = Object.getOwnPropertyDescriptor(proto, key);
      snapshot.set(`${name}.${String(key)}`, d?.value ?? d?.get);
    }
    snapshot.set(`${name}.[[Prototype]]`, Object.getPrototypeOf(proto));
  }
  return snapshot;
}

/** Fails when Object.prototype or Array.prototype differ from `before`. */
export function expectPrototypesUnchanged(before: Map<string | symbol, unknown>): void {
  const after = prototypeSnapshot();
  expect([...after.keys()]).toEqual([...before.keys()]);
  for (const [key, value] of before) expect(after.get(key), String(key)).toBe(value);
}
