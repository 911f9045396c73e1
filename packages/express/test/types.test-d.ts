import type { Logger } from "@structlog/core";
import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Response } from "express";
import { describe, expectTypeOf, it } from "vitest";
import { requestIdOf, type StructlogMiddlewareOptions, structlogErrorHandler, structlogMiddleware } from "../src/index.js";

describe("req.log", () => {
  it("is a structlog Logger on every Express request", () => {
    expectTypeOf<Request["log"]>().toEqualTypeOf<Logger>();
  });

  it("is typed inside route handlers without a cast", () => {
    const app = express();
    app.get("/orders/:id", (req, res) => {
      expectTypeOf(req.log).toEqualTypeOf<Logger>();
      req.log.info("order_loaded", { order_id: req.params.id });
      req.log.info({ order_id: req.params.id }, "order loaded");
      req.log.bind({ step: "charge" }).warning("retrying");
      res.json({});
    });
  });

  it("keeps Express's own request members", () => {
    expectTypeOf<Request["params"]>().not.toBeAny();
    expectTypeOf<Request["baseUrl"]>().toEqualTypeOf<string>();
  });

  it("does not accept a value that is not a logger", () => {
    const req = {} as Request;
    // @ts-expect-error req.log is a Logger
    req.log = console;
  });
});

describe("structlogMiddleware()", () => {
  it("is request-handling middleware that app.use() takes", () => {
    expectTypeOf(structlogMiddleware()).toEqualTypeOf<RequestHandler>();
    express().use(structlogMiddleware({ requestIdHeader: "x-correlation-id" }));
  });

  it("hands Express's request and response types to the callbacks", () => {
    structlogMiddleware({
      getUserId: (req) => {
        expectTypeOf(req).toEqualTypeOf<Request>();
        return req.get("x-user");
      },
      customFields: (req, res) => {
        expectTypeOf(res).toEqualTypeOf<Response>();
        return { tenant: req.hostname, status: res.statusCode };
      },
      skip: (req) => req.path === "/health",
      generateRequestId: (req) => `${req.method}-${Date.now()}`,
    });
  });

  it("rejects options of the wrong type", () => {
    // @ts-expect-error requestIdHeader is a header name
    structlogMiddleware({ requestIdHeader: 1 });
    // @ts-expect-error responseIdHeader is a name or false
    structlogMiddleware({ responseIdHeader: true });
    // @ts-expect-error ignorePaths is a list of paths
    structlogMiddleware({ ignorePaths: "/health" });
  });

  it("rejects misspelt options", () => {
    // @ts-expect-error not an option
    structlogMiddleware({ requestIDHeader: "x-request-id" });
  });

  it("takes a readonly (frozen) options object", () => {
    const options: StructlogMiddlewareOptions = Object.freeze({ ignorePaths: Object.freeze(["/health"]) });
    structlogMiddleware(options);
  });
});

describe("structlogErrorHandler()", () => {
  it("is error-handling middleware", () => {
    expectTypeOf(structlogErrorHandler()).toEqualTypeOf<ErrorRequestHandler>();
    express().use(structlogErrorHandler({ respond: true, event: "request_failed" }));
  });

  it("rejects unknown options", () => {
    // @ts-expect-error not an option
    structlogErrorHandler({ exposeStack: true });
  });
});

describe("requestIdOf()", () => {
  it("returns the id, or undefined when the middleware did not run", () => {
    expectTypeOf(requestIdOf({} as Request)).toEqualTypeOf<string | undefined>();
  });
});
