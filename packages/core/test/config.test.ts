import { afterEach, describe, expect, it } from "vitest";
import {
  configure,
  configureOnce,
  contextvars,
  getConfig,
  getLogger,
  isConfigured,
  makeFilteringBoundLogger,
  processors,
  resetDefaults,
  wrapLogger,
} from "../src/index.js";
import { CapturingLogger, captureReports, capturingLoggerFactory } from "../src/testing.js";
import type { ProcessorChain } from "../src/types.js";

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
