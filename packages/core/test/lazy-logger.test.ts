import { afterEach, describe, expect, it } from "vitest";
import { configure, getLogger, makeFilteringBoundLogger, processors, resetDefaults } from "../src/index.js";
import { capturingLoggerFactory } from "../src/testing.js";

afterEach(() => resetDefaults());

function setup() {
  const factory = capturingLoggerFactory();
  configure({ processors: [processors.addLogLevel, processors.jsonRenderer()], loggerFactory: factory });
  return { factory, events: () => factory.calls.map((c) => JSON.parse(c.rendered as string).event) };
}

describe("a lazy logger's level", () => {
  it("keeps a level that was set on it", () => {
    setup();
    const log = getLogger("x");
    log.level = "error";
    expect(log.level).toBe("error");
  });

  it("filters by a level that was set on it", () => {
    const { events } = setup();
    const log = getLogger("x");
    log.level = "error";
    log.info("hidden");
    log.error("shown");
    expect(events()).toEqual(["shown"]);
  });

  it("keeps a level set on it across a later configure()", () => {
    const { factory } = setup();
    const log = getLogger("x");
    log.level = "error";
    configure({ loggerFactory: factory });
    log.info("hidden");
    expect(factory.calls).toEqual([]);
  });

  it("rejects an unknown level, naming the valid ones", () => {
    setup();
    expect(() => {
      getLogger("x").level = "verbose";
    }).toThrow(/Unknown log level "verbose": use one of/);
  });
});

describe("a lazy logger's cache", () => {
  it("asks the logger factory once per configuration", () => {
    let made = 0;
    const factory = capturingLoggerFactory();
    configure({
      processors: [processors.jsonRenderer()],
      loggerFactory: (name) => {
        made++;
        return factory(name);
      },
    });
    const log = getLogger("x");
    log.info("a");
    log.info("b");
    expect(made).toBe(1);
  });

  it("resolves again after configure()", () => {
    const { events } = setup();
    const log = getLogger("x");
    log.info("before");
    configure({ wrapperClass: makeFilteringBoundLogger("error") });
    log.info("filtered");
    expect(events()).toEqual(["before"]);
  });

  it("resolves again after resetDefaults()", () => {
    const first = setup();
    const log = getLogger("x");
    log.info("first");
    resetDefaults();
    const second = setup();
    log.info("second");
    expect([first.events(), second.events()]).toEqual([["first"], ["second"]]);
  });
});
