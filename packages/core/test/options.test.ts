import { describe, expect, it } from "vitest";
import { captureConsole, configure, dev, processors, resetDefaults, wrapLogger } from "../src/index.js";
import { checkOptions, suggestOption } from "../src/options.js";
import { CapturingLogger, captureLogs } from "../src/testing.js";

describe("suggestOption()", () => {
  it.each([
    ["sort_keys", "sortKeys"],
    ["SORTKEYS", "sortKeys"],
    ["colours", "colors"],
    ["pad_event", "padEvent"],
    ["sortKey", "sortKeys"],
  ])("takes %s for %s", (key, expected) => {
    expect(suggestOption(key, ["sortKeys", "colors", "padEvent", "keyOrder"])).toBe(expected);
  });

  it("suggests nothing for a name far from every option", () => {
    expect(suggestOption("columns", ["sortKeys", "colors"])).toBeUndefined();
  });
});

describe("checkOptions()", () => {
  const spec = { sortKeys: "boolean", keyOrder: "array" } as const;

  it("accepts known options of the right kind, and undefined values", () => {
    expect(() => checkOptions("f()", { sortKeys: true, keyOrder: undefined }, spec)).not.toThrow();
  });

  it("rejects an options value that is not an object", () => {
    expect(() => checkOptions("f()", "fast", spec)).toThrow("f() takes an options object, not a string.");
  });

  it("rejects a value of the wrong kind, naming the kind wanted", () => {
    expect(() => checkOptions("f()", { keyOrder: "event" }, spec)).toThrow("f(): option keyOrder must be an array, not a string.");
  });

  it("rejects an unknown option, listing the options", () => {
    expect(() => checkOptions("f()", { columns: [] }, spec)).toThrow('f(): unknown option "columns"; the options are sortKeys, keyOrder.');
  });

  it("explains an unknown option that has a note", () => {
    expect(() => checkOptions("f()", { columns: [] }, spec, { columns: "not supported" })).toThrow(
      'f(): unknown option "columns" (not supported); the options are sortKeys, keyOrder.',
    );
  });
});

describe("a structlog configuration ported literally", () => {
  it.each<[string, () => unknown, string]>([
    [
      "jsonRenderer",
      () => processors.jsonRenderer({ sort_keys: true } as never),
      'jsonRenderer(): unknown option "sort_keys" (did you mean sortKeys?)',
    ],
    [
      "consoleRenderer",
      () => dev.consoleRenderer({ colours: false } as never),
      'consoleRenderer(): unknown option "colours" (did you mean colors?)',
    ],
    [
      "consoleRenderer",
      () => dev.consoleRenderer({ pad_event: 20 } as never),
      'consoleRenderer(): unknown option "pad_event" (did you mean padEvent?)',
    ],
    [
      "keyValueRenderer",
      () => processors.keyValueRenderer({ key_order: ["event"] } as never),
      '(): unknown option "key_order" (did you mean keyOrder?)',
    ],
    [
      "logfmtRenderer",
      () => processors.logfmtRenderer({ bool_as_flag: false } as never),
      '(): unknown option "bool_as_flag" (did you mean boolAsFlag?)',
    ],
    ["timeStamper", () => processors.timeStamper({ format: "iso" } as never), 'timeStamper(): unknown option "format" (did you mean fmt?)'],
    [
      "callsiteParameterAdder",
      () => processors.callsiteParameterAdder({ additional_ignores: [] } as never),
      "(did you mean additionalIgnores?)",
    ],
    ["stackInfoRenderer", () => processors.stackInfoRenderer({ additional_ignores: [] } as never), "(did you mean additionalIgnores?)"],
    ["captureConsole", () => captureConsole({ foreign_pre_chain: [] } as never), "(did you mean foreignPreChain?)"],
    ["configure", () => configure({ cache_logger_on_first_use: true } as never), "(did you mean cacheLoggerOnFirstUse?)"],
    ["wrapLogger", () => wrapLogger(new CapturingLogger(), { wrapper_class: undefined } as never), "(did you mean wrapperClass?)"],
    ["captureLogs", () => captureLogs(() => undefined, { processor: [] } as never), "(did you mean processors?)"],
  ])("is rejected by %s, naming the camelCase option", (_name, make, message) => {
    try {
      expect(make).toThrow(message);
    } finally {
      resetDefaults();
    }
  });

  it("is told when an option has no equivalent", () => {
    expect(() => configure({ context_class: Map } as never)).toThrow(/"context_class" \(contexts are always plain objects/);
  });
});

describe("factory options of the wrong kind", () => {
  it.each<[string, () => unknown, string]>([
    [
      "jsonRenderer",
      () => processors.jsonRenderer({ sortKeys: "yes" } as never),
      "jsonRenderer(): option sortKeys must be a boolean, not a string.",
    ],
    [
      "consoleRenderer",
      () => dev.consoleRenderer({ padEventTo: "30" } as never),
      "consoleRenderer(): option padEventTo must be a non-negative integer, not a string.",
    ],
    ["timeStamper", () => processors.timeStamper({ utc: 1 } as never), "timeStamper(): option utc must be a boolean, not a number."],
    [
      "logfmtRenderer",
      () => processors.logfmtRenderer({ keyOrder: "event" } as never),
      "logfmtRenderer(): option keyOrder must be an array of strings, not a string.",
    ],
  ])("are rejected by %s", (_name, make, message) => {
    expect(make).toThrow(message);
  });
});

describe("factory options out of range", () => {
  it.each<[string, () => unknown, string]>([
    [
      "timeStamper key",
      () => processors.timeStamper({ key: "" }),
      "timeStamper(): option key must be a non-empty string, not an empty string.",
    ],
    [
      "consoleRenderer padEventTo",
      () => dev.consoleRenderer({ padEventTo: -1 }),
      "consoleRenderer(): option padEventTo must be a non-negative integer, not -1.",
    ],
    [
      "consoleRenderer eventKey",
      () => dev.consoleRenderer({ eventKey: "" }),
      "consoleRenderer(): option eventKey must be a non-empty string, not an empty string.",
    ],
    [
      "keyValueRenderer keyOrder",
      () => processors.keyValueRenderer({ keyOrder: [1] as never }),
      "keyValueRenderer(): option keyOrder must be an array of strings, not an array holding a non-string.",
    ],
  ])("are rejected for %s", (_name, make, message) => {
    expect(make).toThrow(message);
  });
});

describe("redact", () => {
  it("is caught when placed in a chain without being called", () => {
    expect(() => configure({ processors: [processors.redact as never, processors.jsonRenderer()] })).toThrow(/redact\(\{ paths/);
  });
});
