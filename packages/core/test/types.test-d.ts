import { describe, expectTypeOf, it } from "vitest";
import type { EventDict, Logger, LoggerFactory, Processor, ProcessorChain, Renderer, WrappedLogger } from "../src/index.js";
import * as structlog from "../src/index.js";

describe("processor chains", () => {
  it("accept processors followed by a renderer", () => {
    structlog.configure({
      processors: [structlog.contextvars.mergeContextVars, structlog.processors.addLogLevel, structlog.processors.jsonRenderer()],
    });
  });

  it("reject a chain that does not end in a renderer", () => {
    const { addLogLevel, timeStamper } = structlog.processors;
    // @ts-expect-error the last step must render
    const chain: ProcessorChain = [addLogLevel, timeStamper()];
    void chain;
  });

  it("reject a renderer in the middle", () => {
    const { addLogLevel, jsonRenderer } = structlog.processors;
    // @ts-expect-error a renderer returns a string, not an event dict
    const chain: ProcessorChain = [jsonRenderer(), addLogLevel, jsonRenderer()];
    void chain;
  });

  it("accept a conditional renderer", () => {
    const production = Math.random() > 2;
    structlog.configure({
      processors: [
        structlog.processors.addLogLevel,
        production ? structlog.processors.jsonRenderer() : structlog.dev.consoleRenderer({ colors: true }),
      ],
    });
  });

  it("accept a shared list spread before the renderer", () => {
    const shared: Processor[] = [structlog.processors.addLogLevel];
    structlog.configure({ processors: [...shared, structlog.processors.logfmtRenderer()] });
  });
});

describe("a chain whose renderer returns a record", () => {
  interface LogRecord {
    readonly severity: string;
    readonly body: unknown;
  }
  const toRecord: Renderer<LogRecord> = (_l, method, ed) => ({ severity: method, body: ed.event });
  const records: LogRecord[] = [];
  const recordSink: WrappedLogger<LogRecord> = {
    msg(record) {
      expectTypeOf(record).toEqualTypeOf<LogRecord>();
      records.push(record);
    },
  };

  it("is a ProcessorChain of that record type", () => {
    const chain: ProcessorChain<LogRecord> = [structlog.processors.addLogLevel, toRecord];
    expectTypeOf(chain).toExtend<readonly [...Processor[], Renderer<LogRecord>]>();
  });

  it("is not a chain of strings", () => {
    // @ts-expect-error the default ProcessorChain ends in a renderer that makes a string
    const chain: ProcessorChain = [structlog.processors.addLogLevel, toRecord];
    void chain;
  });

  it("is accepted by wrapLogger() with a logger that takes the record", () => {
    structlog.wrapLogger(recordSink, { processors: [structlog.processors.addLogLevel, toRecord] });
  });

  it("is rejected by wrapLogger() with a logger that takes only strings", () => {
    const lines: WrappedLogger<string> = { msg: (line) => line.length };
    // @ts-expect-error the renderer makes a LogRecord, the logger takes a string
    structlog.wrapLogger(lines, { processors: [toRecord] });
  });

  it("is accepted by configure() with a loggerFactory whose loggers take the record", () => {
    const factory: LoggerFactory<LogRecord> = () => recordSink;
    structlog.configure({ processors: [structlog.processors.addLogLevel, toRecord], loggerFactory: factory });
  });

  it("is rejected by configure() without a loggerFactory, since the default output writes text", () => {
    // @ts-expect-error a record chain needs a loggerFactory that takes records
    structlog.configure({ processors: [structlog.processors.addLogLevel, toRecord] });
  });

  it("is rejected by configure() with a loggerFactory that takes strings", () => {
    const text: LoggerFactory<string> = () => ({ msg: (line: string) => line.length });
    // @ts-expect-error the factory's loggers take strings
    structlog.configure({ processors: [toRecord], loggerFactory: text });
  });
});

describe("custom processors", () => {
  it("are plain typed functions", () => {
    const addHost: Processor = (_logger, _method, eventDict) => {
      expectTypeOf(eventDict).toEqualTypeOf<EventDict>();
      eventDict.host = "h";
      return eventDict;
    };
    const drop: Processor = () => structlog.DropEvent;
    const render: Renderer = (_l, _m, ed) => String(ed.event);
    structlog.configure({ processors: [addHost, drop, render] });
  });
});

describe("loggers", () => {
  it("bind() returns a logger", () => {
    expectTypeOf(structlog.getLogger("x").bind({ a: 1 })).toEqualTypeOf<Logger>();
  });

  it("log methods take the structlog and pino shapes", () => {
    const log = structlog.getLogger();
    log.info("event", { a: 1 });
    log.info({ a: 1 }, "message");
    log.error(new Error("e"));
    log.info("value %d", 3);
    // @ts-expect-error an event is required before fields
    log.info(undefined, { a: 1 }, 3);
  });

  it("level is a string", () => {
    expectTypeOf(structlog.getLogger().level).toEqualTypeOf<string>();
  });
});
