import * as structlog from "@structlog/core";
import { CapturingLogger, captureReports } from "@structlog/core/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { requestIdOf, type StructlogMiddlewareOptions, structlogMiddleware } from "../src/index.js";
import { captureLines, EXPRESS_MAJORS, type Line, listen, type Running, requestLine, send, UUID, waitFor } from "./helpers.js";

describe.each(EXPRESS_MAJORS)("structlogMiddleware() on %s", (_major, express) => {
  let lines: () => Line[];
  let running: Running | undefined;

  beforeEach(() => {
    lines = captureLines().lines;
  });
  afterEach(async () => {
    await running?.close();
    running = undefined;
    structlog.resetDefaults();
  });

  async function serve(options: StructlogMiddlewareOptions | undefined, setup: (app: ReturnType<typeof express>) => void) {
    const app = express();
    app.use(structlogMiddleware(options));
    setup(app);
    running = await listen(app);
    return running.port;
  }

  describe("request id", () => {
    it("uses a safe incoming x-request-id and echoes it", async () => {
      const port = await serve({}, (app) => app.get("/", (_req, res) => res.send("ok")));
      const reply = await send(port, "/", { headers: { "x-request-id": "abc-123" } });
      expect(reply.headers["x-request-id"]).toBe("abc-123");
      expect((await requestLine(lines, "abc-123")).request_id).toBe("abc-123");
    });

    it("generates a UUID when the request has none, and echoes it", async () => {
      const port = await serve({}, (app) => app.get("/", (_req, res) => res.send("ok")));
      const reply = await send(port, "/");
      const id = String(reply.headers["x-request-id"]);
      expect(id).toMatch(UUID);
      await requestLine(lines, id);
    });

    it("generates an id when trustRequestId is false", async () => {
      const port = await serve({ trustRequestId: false }, (app) => app.get("/", (_req, res) => res.send("ok")));
      const reply = await send(port, "/", { headers: { "x-request-id": "from-client" } });
      expect(reply.headers["x-request-id"]).toMatch(UUID);
    });

    it("reads and echoes the configured headers", async () => {
      const options = { requestIdHeader: "X-Correlation-Id", responseIdHeader: "x-trace" };
      const port = await serve(options, (app) => app.get("/", (_req, res) => res.send("ok")));
      const reply = await send(port, "/", { headers: { "x-correlation-id": "corr-1" } });
      expect(reply.headers["x-trace"]).toBe("corr-1");
      expect(reply.headers["x-request-id"]).toBeUndefined();
    });

    it("echoes nothing when responseIdHeader is false", async () => {
      const port = await serve({ responseIdHeader: false }, (app) => app.get("/", (_req, res) => res.send("ok")));
      const reply = await send(port, "/", { headers: { "x-request-id": "abc" } });
      expect(reply.headers["x-request-id"]).toBeUndefined();
    });

    it("uses generateRequestId when no id is accepted", async () => {
      let n = 0;
      const port = await serve({ generateRequestId: () => `gen-${++n}` }, (app) => app.get("/", (_req, res) => res.send("ok")));
      const reply = await send(port, "/");
      expect(reply.headers["x-request-id"]).toBe("gen-1");
    });

    it("falls back to a UUID when generateRequestId throws or returns an unsafe id", async () => {
      let calls = 0;
      const generateRequestId = () => {
        calls++;
        if (calls === 1) throw new Error("no ids today");
        return 'bad"id\n';
      };
      const port = await serve({ generateRequestId }, (app) => app.get("/", (_req, res) => res.send("ok")));
      const reports = await captureReports(async () => {
        expect((await send(port, "/")).headers["x-request-id"]).toMatch(UUID);
        expect((await send(port, "/")).headers["x-request-id"]).toMatch(UUID);
      });
      expect(reports).toEqual([expect.stringMatching(/^structlog: structlogMiddleware\(\) generateRequestId failed: Error: no ids today/)]);
    });

    it("binds the id under requestIdKey", async () => {
      const port = await serve({ requestIdKey: "trace_id" }, (app) =>
        app.get("/", (_req, res) => {
          structlog.getLogger().info("handled");
          res.send("ok");
        }),
      );
      await send(port, "/", { headers: { "x-request-id": "t-1" } });
      const line = await waitFor(() => lines().find((l) => l.event === "request_completed"), "the request line");
      expect(line.trace_id).toBe("t-1");
      expect(lines().find((l) => l.event === "handled")?.trace_id).toBe("t-1");
    });

    it("is what requestIdOf(req) returns", async () => {
      let seen: string | undefined;
      const port = await serve({}, (app) =>
        app.get("/", (req, res) => {
          seen = requestIdOf(req);
          res.send("ok");
        }),
      );
      await send(port, "/", { headers: { "x-request-id": "rid-9" } });
      expect(seen).toBe("rid-9");
    });
  });

  describe("req.log", () => {
    it("is bound with the request id and carries user_id bound later in the request", async () => {
      const port = await serve({}, (app) => {
        app.use((_req, _res, next) => {
          structlog.contextvars.bindContextVars({ user_id: "u-7" });
          next();
        });
        app.get("/", (req, res) => {
          req.log.info("order_loaded", { order_id: 42 });
          expect(req.log.bindings()).toEqual({ request_id: "r-1" });
          res.send("ok");
        });
      });
      await send(port, "/", { headers: { "x-request-id": "r-1" } });
      await requestLine(lines, "r-1");
      expect(lines().find((l) => l.event === "order_loaded")).toMatchObject({
        request_id: "r-1",
        user_id: "u-7",
        order_id: 42,
        level: "info",
      });
    });

    it("logs through the logger option", async () => {
      const out = new CapturingLogger();
      const logger = structlog.wrapLogger(out, {
        processors: [structlog.contextvars.mergeContextVars, structlog.processors.jsonRenderer()],
      });
      const port = await serve({ logger }, (app) =>
        app.get("/", (req, res) => {
          req.log.info("via_option");
          res.send("ok");
        }),
      );
      await send(port, "/", { headers: { "x-request-id": "opt-1" } });
      await waitFor(() => (out.calls.length === 2 ? true : undefined), "two lines on the option's logger");
      expect(out.calls.map((c) => JSON.parse(c.rendered as string).event)).toEqual(["via_option", "request_completed"]);
      expect(lines()).toEqual([]);
    });

    it("is named by loggerName", async () => {
      const port = await serve({ loggerName: "web" }, (app) => app.get("/", (_req, res) => res.send("ok")));
      await send(port, "/", { headers: { "x-request-id": "n-1" } });
      expect((await requestLine(lines, "n-1")).logger).toBe("web");
    });
  });

  describe("the request line", () => {
    it("has method, path without query, route, status, duration, size, address, ids", async () => {
      const port = await serve({}, (app) => {
        const router = express.Router();
        router.get("/orders/:id", (_req, res) => res.json({ id: 1 }));
        app.use("/api", router);
      });
      const reply = await send(port, "/api/orders/7?expand=items", { headers: { "x-request-id": "line-1" } });
      const line = await requestLine(lines, "line-1");
      expect(line).toMatchObject({
        event: "request_completed",
        level: "info",
        logger: "http",
        method: "GET",
        path: "/api/orders/7",
        route: "/api/orders/:id",
        status_code: 200,
        response_size: Buffer.byteLength(reply.body),
        remote_address: "127.0.0.1",
        request_id: "line-1",
      });
      expect(typeof line.duration_ms).toBe("number");
      expect(line.duration_ms as number).toBeGreaterThanOrEqual(0);
      expect(line).not.toHaveProperty("aborted");
    });

    it("is written exactly once per request", async () => {
      const port = await serve({}, (app) => app.get("/", (_req, res) => res.send("ok")));
      const agent = new (await import("node:http")).Agent({ keepAlive: true, maxSockets: 1 });
      for (const id of ["once-1", "once-2", "once-3"]) await send(port, "/", { headers: { "x-request-id": id }, agent });
      await requestLine(lines, "once-3");
      // The keep-alive socket closing must not write a second line for the last request.
      agent.destroy();
      await running?.close();
      running = undefined;
      const ids = lines()
        .filter((l) => l.event === "request_completed")
        .map((l) => l.request_id);
      expect(ids).toEqual(["once-1", "once-2", "once-3"]);
    });

    it("is written once even when close is emitted again", async () => {
      let response: import("node:http").ServerResponse | undefined;
      const port = await serve({}, (app) =>
        app.get("/", (_req, res) => {
          response = res;
          res.send("ok");
        }),
      );
      await send(port, "/", { headers: { "x-request-id": "l-1" } });
      await requestLine(lines, "l-1");
      response?.emit("close");
      expect(lines().filter((l) => l.event === "request_completed")).toHaveLength(1);
    });

    it("waits for close, with no finish listener of its own", async () => {
      let finishListeners: string[] = [];
      const port = await serve({}, (app) =>
        app.get("/", (_req, res) => {
          finishListeners = res.listeners("finish").map((f) => f.name);
          res.send("ok");
        }),
      );
      await send(port, "/", { headers: { "x-request-id": "l-2" } });
      await requestLine(lines, "l-2");
      expect(finishListeners).not.toContain("onResponseClose");
    });

    it("carries the request id once, where the request logger binds it", async () => {
      const captured = captureLines();
      const port = await serve({}, (app) => app.get("/", (_req, res) => res.send("ok")));
      await send(port, "/", { headers: { "x-request-id": "once-id" } });
      await requestLine(captured.lines, "once-id");
      const raw = captured.raw().find((l) => l.includes("request_completed")) as string;
      expect(raw.match(/"request_id"/g)).toHaveLength(1);
      expect(raw.startsWith('{"request_id":"once-id",')).toBe(true);
    });

    it("carries the scope's value of a variable the logger option binds to another value", async () => {
      const port = await serve({ logger: structlog.getLogger("http").bind({ user_id: "u-stale" }), getUserId: () => "u-1" }, (app) =>
        app.get("/", (_req, res) => res.send("ok")),
      );
      await send(port, "/", { headers: { "x-request-id": "dep-1" } });
      expect(await requestLine(lines, "dep-1")).toMatchObject({ user_id: "u-1" });
    });

    it("is a warning for 4xx and an error for 5xx", async () => {
      const port = await serve({}, (app) => app.get("/fail", (_req, res) => res.status(503).send("down")));
      await send(port, "/missing", { headers: { "x-request-id": "l-404" } });
      await send(port, "/fail", { headers: { "x-request-id": "l-503" } });
      expect(await requestLine(lines, "l-404")).toMatchObject({ level: "warning", status_code: 404 });
      expect(await requestLine(lines, "l-503")).toMatchObject({ level: "error", status_code: 503 });
    });

    it("has no route when none matched", async () => {
      const port = await serve({}, () => {});
      await send(port, "/nothing/here", { headers: { "x-request-id": "nr-1" } });
      expect(await requestLine(lines, "nr-1")).not.toHaveProperty("route");
    });

    it("keeps the mount path of a route whose router passed an error on", async () => {
      const port = await serve({}, (app) => {
        const router = express.Router();
        router.get("/items/:id", (_req, _res, next) => next(new Error("nope")));
        app.use("/v1", router);
        app.use((_err: unknown, _req: unknown, res: import("express").Response, _next: unknown) => {
          res.status(500).send("failed");
        });
      });
      await send(port, "/v1/items/3", { headers: { "x-request-id": "rt-1" } });
      expect((await requestLine(lines, "rt-1")).route).toBe("/v1/items/:id");
    });

    it("counts a HEAD response as zero body bytes", async () => {
      const port = await serve({}, (app) => app.get("/", (_req, res) => res.send("a body")));
      const reply = await send(port, "/", { method: "HEAD", headers: { "x-request-id": "h-1" } });
      expect(reply.headers["content-length"]).toBe("6");
      expect(await requestLine(lines, "h-1")).toMatchObject({ method: "HEAD", response_size: 0 });
    });

    it("has user_id from getUserId, read when the request ends", async () => {
      const port = await serve({ getUserId: (req) => (req as unknown as { user?: { id: string } }).user?.id }, (app) => {
        app.use((req, _res, next) => {
          (req as unknown as { user: { id: string } }).user = { id: String(req.headers["x-user"]) };
          next();
        });
        app.get("/", (_req, res) => res.send("ok"));
      });
      await send(port, "/", { headers: { "x-request-id": "gu-1", "x-user": "alice" } });
      expect((await requestLine(lines, "gu-1")).user_id).toBe("alice");
    });

    it("is still written when getUserId throws", async () => {
      const getUserId = () => {
        throw new Error("auth service down");
      };
      const port = await serve({ getUserId }, (app) => app.get("/", (_req, res) => res.send("ok")));
      const reports = await captureReports(async () => {
        await send(port, "/", { headers: { "x-request-id": "gt-1" } });
        expect(await requestLine(lines, "gt-1")).not.toHaveProperty("user_id");
      });
      expect(reports).toEqual([expect.stringMatching(/getUserId failed: Error: auth service down/)]);
    });

    it("has the fields of customFields, and is still written when it throws", async () => {
      let calls = 0;
      const customFields = (req: import("express").Request) => {
        if (++calls === 2) throw new Error("bad hook");
        return { tenant: req.headers["x-tenant"] };
      };
      const port = await serve({ customFields }, (app) => app.get("/", (_req, res) => res.send("ok")));
      await send(port, "/", { headers: { "x-request-id": "cf-1", "x-tenant": "acme" } });
      expect((await requestLine(lines, "cf-1")).tenant).toBe("acme");
      const reports = await captureReports(async () => {
        await send(port, "/", { headers: { "x-request-id": "cf-2" } });
        await requestLine(lines, "cf-2");
      });
      expect(reports).toEqual([expect.stringMatching(/customFields failed: Error: bad hook/)]);
    });

    it("has the serialized request and response, credentials redacted, with logHeaders", async () => {
      const port = await serve({ logHeaders: true }, (app) =>
        app.get("/", (_req, res) => {
          res.setHeader("set-cookie", "session=secret");
          res.send("ok");
        }),
      );
      await send(port, "/", {
        headers: { "x-request-id": "lh-1", authorization: "Bearer secret", cookie: "a=secret", accept: "text/plain" },
      });
      const line = await requestLine(lines, "lh-1");
      expect(line.req).toMatchObject({
        method: "GET",
        url: "/",
        headers: { authorization: "[Redacted]", cookie: "[Redacted]", accept: "text/plain" },
      });
      expect(line.res).toMatchObject({ statusCode: 200, headers: { "set-cookie": "[Redacted]" } });
      expect(JSON.stringify(line)).not.toContain("secret");
    });

    it("redacts the configured headers with the configured censor", async () => {
      const port = await serve({ logHeaders: true, redactHeaders: ["x-internal"], censor: "***" }, (app) =>
        app.get("/", (_req, res) => res.send("ok")),
      );
      await send(port, "/", { headers: { "x-request-id": "rd-1", "x-internal": "hidden", authorization: "Bearer visible" } });
      const req = (await requestLine(lines, "rd-1")).req as { headers: Record<string, string> };
      expect(req.headers["x-internal"]).toBe("***");
      expect(req.headers.authorization).toBe("Bearer visible");
    });

    it("leaves out the address when logRemoteAddress is false", async () => {
      const port = await serve({ logRemoteAddress: false }, (app) => app.get("/", (_req, res) => res.send("ok")));
      await send(port, "/", { headers: { "x-request-id": "ra-1" } });
      expect(await requestLine(lines, "ra-1")).not.toHaveProperty("remote_address");
    });

    it("uses completedEvent as its event", async () => {
      const port = await serve({ completedEvent: "http_request" }, (app) => app.get("/", (_req, res) => res.send("ok")));
      await send(port, "/", { headers: { "x-request-id": "ce-1" } });
      await waitFor(() => lines().find((l) => l.event === "http_request" && l.request_id === "ce-1"), "the renamed line");
    });
  });

  describe("skipping", () => {
    it("writes no request line for ignorePaths, but keeps the context", async () => {
      const port = await serve({ ignorePaths: ["/health"] }, (app) => {
        app.get("/health", (_req, res) => {
          structlog.getLogger().info("health_checked");
          res.send("ok");
        });
        app.get("/", (_req, res) => res.send("ok"));
      });
      await send(port, "/health?probe=1", { headers: { "x-request-id": "ip-1" } });
      await send(port, "/", { headers: { "x-request-id": "ip-2" } });
      await requestLine(lines, "ip-2");
      expect(lines().find((l) => l.event === "health_checked")?.request_id).toBe("ip-1");
      expect(lines().some((l) => l.event === "request_completed" && l.request_id === "ip-1")).toBe(false);
    });

    it("writes no request line when skip returns true", async () => {
      const port = await serve({ skip: (req) => req.headers["x-probe"] === "1" }, (app) => app.get("/", (_req, res) => res.send("ok")));
      await send(port, "/", { headers: { "x-request-id": "sk-1", "x-probe": "1" } });
      await send(port, "/", { headers: { "x-request-id": "sk-2" } });
      await requestLine(lines, "sk-2");
      expect(lines().some((l) => l.request_id === "sk-1")).toBe(false);
    });
  });

  it("writes a start line with logRequestStarted", async () => {
    const port = await serve({ logRequestStarted: true, startedEvent: "request_received" }, (app) =>
      app.get("/a", (_req, res) => res.send("ok")),
    );
    await send(port, "/a?q=1", { headers: { "x-request-id": "st-1" } });
    await requestLine(lines, "st-1");
    expect(lines()[0]).toMatchObject({ event: "request_received", request_id: "st-1", method: "GET", path: "/a", level: "info" });
  });

  it("writes one line when mounted twice (app and sub-app)", async () => {
    const port = await serve({}, (app) => {
      const sub = express();
      sub.use(structlogMiddleware());
      sub.get("/x", (_req, res) => res.send("ok"));
      app.use("/sub", sub);
    });
    await send(port, "/sub/x", { headers: { "x-request-id": "tw-1" } });
    await requestLine(lines, "tw-1");
    await send(port, "/sub/x", { headers: { "x-request-id": "tw-2" } });
    await requestLine(lines, "tw-2");
    expect(lines().filter((l) => l.request_id === "tw-1")).toHaveLength(1);
  });
});

describe("structlogMiddleware() options", () => {
  it("never changes the caller's options object", () => {
    const options = Object.freeze({
      requestIdHeader: "X-Request-Id",
      ignorePaths: Object.freeze(["/health"]),
      redactHeaders: Object.freeze(["authorization"]),
      logHeaders: true,
    });
    const before = JSON.stringify(options);
    expect(() => structlogMiddleware(options)).not.toThrow();
    expect(JSON.stringify(options)).toBe(before);
  });

  it("rejects a misspelt option and names the right one", () => {
    expect(() => structlogMiddleware({ requestIDHeader: "x" } as StructlogMiddlewareOptions)).toThrow(/did you mean "requestIdHeader"/);
  });

  it("rejects an unknown option and lists the options", () => {
    expect(() => structlogMiddleware({ colour: "red" } as StructlogMiddlewareOptions)).toThrow(/unknown option "colour"; the options are/);
  });

  it("rejects a header name that is not one", () => {
    expect(() => structlogMiddleware({ requestIdHeader: "x request id" })).toThrow(/requestIdHeader must be a header name/);
  });

  it("rejects options that are not an object", () => {
    expect(() => structlogMiddleware("x-request-id" as unknown as StructlogMiddlewareOptions)).toThrow(/options must be an object/);
  });

  it("returns Express middleware (three parameters)", () => {
    expect(structlogMiddleware()).toHaveLength(3);
  });
});
