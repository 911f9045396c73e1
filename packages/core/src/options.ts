/**
 * Checking the options object of `configure()` and of every factory, so a
 * misspelt or ported option is an error at configuration time rather than a
 * setting silently lost. A structlog configuration ported literally
 * (`sort_keys`, `pad_event`, `colours`) gets the camelCase name to use.
 */

/** What an option's value must be. */
export type OptionKind =
  | "boolean"
  | "number"
  | "non-negative integer"
  | "string"
  | "non-empty string"
  | "function"
  | "object"
  | "array"
  | "array of strings"
  | "checked by the caller";

/** The options a function takes, each with its kind. */
export type OptionSpec = Readonly<Record<string, OptionKind>>;

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  const t = typeof value;
  return t === "object" ? "an object" : `a ${t}`;
}

function matches(kind: OptionKind, value: unknown): boolean {
  if (kind === "checked by the caller") return true;
  if (kind === "array") return Array.isArray(value);
  if (kind === "array of strings") return Array.isArray(value) && value.every((item) => typeof item === "string");
  if (kind === "non-empty string") return typeof value === "string" && value !== "";
  if (kind === "non-negative integer") return Number.isSafeInteger(value) && (value as number) >= 0;
  if (kind === "object") return typeof value === "object" && value !== null && !Array.isArray(value);
  return typeof value === kind;
}

/** What is wrong with `value`, in the words of an error message. */
function describeMismatch(kind: OptionKind, value: unknown): string {
  if (kind === "array of strings" && Array.isArray(value)) return "an array holding a non-string";
  if (kind === "non-empty string" && value === "") return "an empty string";
  if (kind === "non-negative integer" && typeof value === "number") return String(value);
  return kindOf(value);
}

const ARTICLE: Readonly<Record<OptionKind, string>> = {
  boolean: "a boolean",
  number: "a number",
  "non-negative integer": "a non-negative integer",
  string: "a string",
  "non-empty string": "a non-empty string",
  function: "a function",
  object: "an object",
  array: "an array",
  "array of strings": "an array of strings",
  "checked by the caller": "",
};

function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(
        (previous[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = row;
  }
  return previous[b.length] as number;
}

/**
 * The known option meant by `key`: its camelCase spelling (`sort_keys` →
 * `sortKeys`), another case, or a near miss (`colours` → `colors`).
 */
export function suggestOption(key: string, known: readonly string[]): string | undefined {
  const camel = key.replace(/[_-]+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase()).toLowerCase();
  const lower = key.toLowerCase();
  const exact = known.find((k) => k.toLowerCase() === camel || k.toLowerCase() === lower);
  if (exact !== undefined) return exact;
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of known) {
    const d = distance(camel, k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * Throws a `TypeError` that says what to change when `options` is not an
 * object, has a key `spec` does not name, or has a value of the wrong kind.
 * `undefined` values are left to the defaults. `notes` explains options a
 * structlog port may bring that have no equivalent here.
 *
 * @example
 * checkOptions("jsonRenderer()", options, { serializer: "function", sortKeys: "boolean" });
 */
export function checkOptions(where: string, options: unknown, spec: OptionSpec, notes: Readonly<Record<string, string>> = {}): void {
  if (options === undefined) return;
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new TypeError(`${where} takes an options object, not ${kindOf(options)}.`);
  }
  const known = Object.keys(spec);
  for (const key of Object.keys(options)) {
    if (Object.hasOwn(spec, key)) {
      const value = (options as Record<string, unknown>)[key];
      const kind = spec[key] as OptionKind;
      if (value !== undefined && !matches(kind, value)) {
        const got = describeMismatch(kind, value);
        throw new TypeError(`${where}: option ${key} must be ${ARTICLE[kind]}, not ${got}.`);
      }
      continue;
    }
    const note = Object.hasOwn(notes, key) ? ` (${notes[key]})` : "";
    const suggestion = note === "" ? suggestOption(key, known) : undefined;
    const hint = suggestion === undefined ? note : ` (did you mean ${suggestion}?)`;
    throw new TypeError(`${where}: unknown option ${JSON.stringify(key)}${hint}; the options are ${known.join(", ")}.`);
  }
}
