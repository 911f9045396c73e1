import type { IncomingMessage } from "node:http";
import type { Logger } from "@structlog/core";
import Fastify, { type FastifyBaseLogger, type FastifyReply, type FastifyRequest } from "fastify";
import { describe, expectTypeOf, it } from "vitest";
import {
  asFastifyLogger,
  type FastifyLogger,
  type RequestLogger,
  type StructlogFastifyOptions,
  StructlogLogController,
  structlogPlugin,
  withStructlog,
} from "../src/index.js";

describe("request.logger", () => {
  it("is typed as the request's structlog logger, with bind() and the rest", () => {
    const app = Fastify();
    app.get<{ Params: { id: string } }>("/orders/:id", async (request) => {
      expectTypeOf(request.logger).toEqualTypeOf<RequestLogger>();
      const log = request.logger.bind({ order_id: request.params.id });
      expectTypeOf(log).toEqualTypeOf<FastifyLogger>();
      log.info("order_loaded", { items: 3 });
      log.unbind("order_id").warning("no_order");
      expectTypeOf(request.logger.isEnabledFor("debug")).toEqualTypeOf<boolean>();
      expectTypeOf(request.logger).toMatchTypeOf<Logger>();
      return { ok: true };
    });
  });

  it("cannot be reassigned", () => {
    const request = {} as FastifyRequest;
    // @ts-expect-error request.logger is read-only
    request.logger = asFastifyLogger();
  });

  it("is needed for structlog calls: request.log keeps Fastify's pino-shaped type", () => {
    const request = {} as FastifyRequest;
    expectTypeOf(request.log).toEqualTypeOf<FastifyBaseLogger>();
    // @ts-expect-error Fastify's logger type has no bind()
    request.log.bind({ a: 1 });
    request.log.info({ order_id: 1 }, "pino shape");
    request.logger.info({ order_id: 1 }, "pino shape works on the structlog logger too");
  });
});

describe("structlogPlugin options", () => {
  it("type the callbacks with Fastify's request and reply", () => {
    const app = Fastify();
    app.register(structlogPlugin, {
      getUserId: (request) => {
        expectTypeOf(request).toEqualTypeOf<FastifyRequest>();
        return request.headers["x-user"];
      },
      customFields: (request, reply) => {
        expectTypeOf(reply).toEqualTypeOf<FastifyReply>();
        return { tenant: request.hostname, status: reply.statusCode };
      },
      skip: (request) => request.url === "/health",
      ignorePaths: ["/health"],
      redactHeaders: ["authorization", "x-api-key"],
      responseIdHeader: false,
    });
  });

  it('take generateRequestId as a function of the raw request, or "fastify"', () => {
    expectTypeOf<StructlogFastifyOptions["generateRequestId"]>().toEqualTypeOf<
      ((req: IncomingMessage) => string) | "fastify" | undefined
    >();
    const app = Fastify();
    app.register(structlogPlugin, { generateRequestId: "fastify" });
    app.register(structlogPlugin, { generateRequestId: (req) => `${req.method}-${Date.now()}` });
    // @ts-expect-error only "fastify" or a function
    app.register(structlogPlugin, { generateRequestId: "uuid" });
  });

  it("reject unknown options and wrong types", () => {
    const app = Fastify();
    // @ts-expect-error misspelt option
    app.register(structlogPlugin, { requestIDHeader: "x-request-id" });
    // @ts-expect-error a header name, not a number
    app.register(structlogPlugin, { requestIdHeader: 42 });
  });
});

describe("asFastifyLogger()", () => {
  it("is a Fastify logger", () => {
    expectTypeOf(asFastifyLogger()).toMatchTypeOf<FastifyBaseLogger>();
    expectTypeOf(asFastifyLogger().child({ reqId: "1" }, { level: "warn" })).toEqualTypeOf<FastifyLogger>();
  });

  it("types request.log and app.log as structlog loggers when given as loggerInstance", () => {
    const app = Fastify({ loggerInstance: asFastifyLogger() });
    expectTypeOf(app.log).toEqualTypeOf<FastifyLogger>();
    app.log.bind({ service: "api" }).info("started", { port: 3000 });
    app.get("/", async (request) => {
      expectTypeOf(request.log).toEqualTypeOf<FastifyLogger>();
      request.log.bind({ a: 1 }).info("typed", { b: 2 });
      return "ok";
    });
  });
});

describe("withStructlog()", () => {
  it("types app.log and request.log as structlog loggers, through Fastify's Logger type parameter", () => {
    const app = Fastify(withStructlog());
    expectTypeOf(app.log).toEqualTypeOf<FastifyLogger>();
    app.get<{ Params: { id: string } }>("/orders/:id", async (request, reply) => {
      expectTypeOf(request.log).toEqualTypeOf<FastifyLogger>();
      expectTypeOf(reply.log).toEqualTypeOf<FastifyBaseLogger>(); // Fastify types reply.log without the parameter
      request.log.info("order_loaded", { order_id: request.params.id });
      request.log.bind({ order_id: request.params.id }).warning("slow", { ms: 120 });
      request.log.info({ items: 3 }, "pino shape too");
      request.logger.info("still_there");
      return { ok: true };
    });
  });

  it("passes the app's own options through, with their types", () => {
    const options = withStructlog({ trustProxy: true, bodyLimit: 1024, genReqId: () => "id" });
    expectTypeOf(options.trustProxy).toEqualTypeOf<true>();
    expectTypeOf(options.loggerInstance).toEqualTypeOf<FastifyLogger>();
    expectTypeOf(options.logController).toEqualTypeOf<StructlogLogController>();
    const app = Fastify(options);
    expectTypeOf(app.log).toEqualTypeOf<FastifyLogger>();
  });

  it("types the app's own callbacks from Fastify's options, and keeps the server kind", () => {
    withStructlog({
      genReqId: (req) => {
        expectTypeOf(req.headers).toMatchTypeOf<Record<string, unknown>>();
        return "id";
      },
    });
    const h2 = Fastify(withStructlog({ http2: true }));
    expectTypeOf(h2.log).toEqualTypeOf<FastifyLogger>();
  });

  it("refuses the logging options it sets itself", () => {
    // @ts-expect-error withStructlog() sets Fastify's logger
    withStructlog({ logger: true });
    // @ts-expect-error withStructlog() sets the logger instance
    withStructlog({ loggerInstance: asFastifyLogger() });
    // @ts-expect-error the plugin's ignorePaths/skip do this
    withStructlog({ disableRequestLogging: true });
  });

  it("takes the structlog logger and level as settings", () => {
    withStructlog({}, { level: "warn", redactHeaders: ["x-token"], logController: new StructlogLogController() });
    // @ts-expect-error a misspelt setting
    withStructlog({}, { levle: "warn" });
  });
});
