import { afterEach, describe, expect, it } from "vitest";
import {
  configure,
  configureOnce,
  contextvars,
  dev,
  getConfig,
  getLogger,
  isConfigured,
  type LineWriter,
  makeFilteringBoundLogger,
  processors,
  resetDefaults,
  WriteLogger,
  wrapLogger,
} from "../src/index.js";
import { CapturingLogger, captureReports, capturingLoggerFactory } from "../src/testing.js";
import type { EventDict, ProcessorChain } from "../src/types.js";

afterEach(() => resetDefaults());

function jsonChain(): ProcessorChain {
  return [contextvars.mergeContextVars, processors.addLogLevel, processors.addLoggerName, processors.jsonRenderer()];
}

describe("configure()", () => {
  it("applies to loggers created before it was called", () => {
    const early = getLogger("early");
    const factory = capturingLoggerFactory();
    configure({ processors: jsonChain(), loggerFactory: factory });
    early.info("x");
    expect(JSON.parse(factory.calls[0]?.rendered as string)).toEqual({ event: "x", level: "info", logger: "early" });
  });

  it("takes effect on cached loggers when called again", () => {
    const factory = capturingLoggerFactory();
    configure({ processors: jsonChain(), loggerFactory: factory, cacheLoggerOnFirstUse: true });
    const log = getLogger("app");
    log.info("first");
    configure({ wrapperClass: makeFilteringBoundLogger("error") });
    log.info("filtered");
    expect(factory.calls).toHaveLength(1);
  });

  it("keeps options it was not given", () => {
    const factory = capturingLoggerFactory();
    configure({ loggerFactory: factory });
    configure({ processors: jsonChain() });
    expect(getConfig().loggerFactory).toBe(factory);
  });

  it("called with no options, as structlog's configure(), changes nothing and marks structlog configured", () => {
    const before = getConfig();
    configure();
    expect(isConfigured()).toBe(true);
    expect(getConfig().processors).toEqual(before.processors);
  });

  it.each([
    ["timeStamper", () => processors.timeStamper, 'timeStamper({ fmt: "iso" })'],
    ["jsonRenderer", () => processors.jsonRenderer, "jsonRenderer()"],
    ["consoleRenderer", () => dev.consoleRenderer, "dev.consoleRenderer()"],
    ["callsiteParameterAdder", () => processors.callsiteParameterAdder, "callsiteParameterAdder()"],
  ])("rejects the factory %s passed without calling it, showing the call", (_name, factory, call) => {
    const chain = [processors.addLogLevel, factory(), processors.jsonRenderer()];
    expect(() => configure({ processors: chain as never })).toThrow(`item 1 is a factory, not a processor: call it, e.g. ${call}.`);
  });

  it("rejects a factory passed uncalled as the renderer, too", () => {
    expect(() => configure({ processors: [processors.addLogLevel, processors.logfmtRenderer] as never })).toThrow(
      "item 1 is a factory, not a processor: call it, e.g. logfmtRenderer().",
    );
  });

  it("rejects a non-function processor, saying which item", () => {
    expect(() => configure({ processors: [processors.addLogLevel, "json" as never, processors.jsonRenderer()] as never })).toThrow(
      /item 1 is string, not a function/,
    );
  });

  it("hints at calling a factory when an object is passed as a processor", () => {
    expect(() => configure({ processors: [{ fmt: "iso" } as never, processors.jsonRenderer()] as never })).toThrow(
      /timeStamper\(\{ fmt: "iso" \}\)/,
    );
  });

  it("rejects a chain that ends with a built-in processor that does not render", () => {
    expect(() => configure({ processors: [processors.addLogLevel] as never })).toThrow(/does not render; add a renderer last/);
  });

  it("rejects a chain that ends with mergeContextVars, which does not render", () => {
    expect(() => configure({ processors: [processors.addLogLevel, contextvars.mergeContextVars] as never })).toThrow(
      "configure({ processors }): the chain ends with mergeContextVars, which does not render",
    );
  });

  it("rejects mergeContextVars placed after the renderer, naming both", () => {
    expect(() =>
      configure({
        processors: [processors.addLogLevel, processors.jsonRenderer(), contextvars.mergeContextVars, processors.jsonRenderer()] as never,
      }),
    ).toThrow(
      "configure({ processors }): item 1 (jsonRenderer) renders, but is not last: mergeContextVars, jsonRenderer after it would get its output instead of the event dict. Put the renderer last.",
    );
  });

  it("names a built-in processor that ends the chain", () => {
    expect(() => configure({ processors: [processors.timeStamper({ fmt: "iso" })] as never })).toThrow(/the chain ends with timeStamper,/);
  });

  it("takes a custom function last as a renderer", () => {
    expect(() => configure({ processors: [processors.addLogLevel, (_l, _m, ed) => String(ed.event)] })).not.toThrow();
  });

  it("applies the same rules to wrapLogger()", () => {
    expect(() => wrapLogger(new CapturingLogger(), { processors: [processors.addLogLevel] as never })).toThrow(
      "wrapLogger({ processors }): the chain ends with addLogLevel, which does not render",
    );
  });

  it("rejects an empty chain", () => {
    expect(() => configure({ processors: [] as never })).toThrow(/non-empty array/);
  });

  it("rejects an unknown option, listing the valid ones", () => {
    expect(() => configure({ processor: [] } as never)).toThrow(
      /unknown option "processor" \(did you mean processors\?\); the options are processors, wrapperClass/,
    );
  });

  it("rejects a wrapperClass that is not a bound logger class", () => {
    expect(() => configure({ wrapperClass: class {} as never })).toThrow(/makeFilteringBoundLogger/);
  });
});

describe("a custom last step that does not render", () => {
  it("is written as JSON by a text output, not as [object Object], and said once on stderr", () => {
    const lines: string[] = [];
    const writer: LineWriter = { write: (line) => void lines.push(line), flush: () => {}, dropped: 0 };
    const notRendering = (_l: unknown, _m: string, ed: EventDict) => ed as unknown as string;
    configure({ processors: [notRendering], loggerFactory: () => new WriteLogger(writer) });
    const reports = captureReports(() => {
      getLogger().info("first", { a: 1 });
      getLogger().info("second");
    });
    expect([lines, reports]).toEqual([
      ['{"a":1,"event":"first"}', '{"event":"second"}'],
      [
        "structlog: the processor chain failed: TypeError: its last step returned an object, not a string; end the chain with a renderer, e.g. jsonRenderer() (reported once)",
      ],
    ]);
  });
});

describe("configureOnce()", () => {
  it("configures when nothing is configured yet", () => {
    configureOnce({ processors: jsonChain() });
    expect(isConfigured()).toBe(true);
  });

  it("leaves an existing configuration alone", () => {
    const factory = capturingLoggerFactory();
    configure({ loggerFactory: factory });
    captureReports(() => configureOnce({ loggerFactory: capturingLoggerFactory() }));
    expect(getConfig().loggerFactory).toBe(factory);
  });

  it("notes once on stderr that it changed nothing", () => {
    configure({ processors: jsonChain() });
    const reports = captureReports(() => {
      configureOnce({ processors: jsonChain() });
      configureOnce({ processors: jsonChain() });
    });
    expect(reports).toEqual([
      "structlog: note: configureOnce() found structlog already configured and left the configuration unchanged (shown once)",
    ]);
  });
});

describe("resetDefaults()", () => {
  it("forgets the configuration", () => {
    configure({ processors: jsonChain() });
    resetDefaults();
    expect(isConfigured()).toBe(false);
  });
});

describe("defaults", () => {
  it("log JSON with level, logger and an ISO timestamp when stdout is not a TTY", () => {
    const factory = capturingLoggerFactory();
    configure({ loggerFactory: factory });
    getLogger("svc").info("hello", { a: 1 });
    const line = JSON.parse(factory.calls[0]?.rendered as string);
    expect(line).toMatchObject({ a: 1, event: "hello", level: "info", logger: "svc" });
    expect(line.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });
});

describe("getLogger()", () => {
  it("binds its initial values", () => {
    const factory = capturingLoggerFactory();
    configure({ processors: jsonChain(), loggerFactory: factory });
    getLogger("svc", { version: "1.2.3" }).info("x");
    expect(JSON.parse(factory.calls[0]?.rendered as string)).toMatchObject({ version: "1.2.3" });
  });

  it("names the logger for addLoggerName even when the factory's loggers have no name", () => {
    const rendered: unknown[] = [];
    configure({ processors: jsonChain(), loggerFactory: () => ({ msg: (r: unknown) => void rendered.push(r) }) });
    getLogger("myapp").info("x");
    expect(JSON.parse(rendered[0] as string).logger).toBe("myapp");
  });
});

describe("wrapLogger()", () => {
  it("wraps any object with msg()", () => {
    const out = new CapturingLogger("custom");
    wrapLogger(out, { processors: jsonChain() }).info("x");
    expect(JSON.parse(out.calls[0]?.rendered as string)).toEqual({ event: "x", level: "info", logger: "custom" });
  });

  it("rejects something without msg()", () => {
    expect(() => wrapLogger({} as never)).toThrow(/needs an object with a msg\(rendered, methodName\) method/);
  });
});
