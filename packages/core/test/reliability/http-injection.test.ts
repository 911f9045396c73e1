/**
 * Injection and spoofing through HTTP, with real Fastify and Express servers
 * on 127.0.0.1 and raw bytes on the socket: a hostile request id, path,
 * query string, header values and fields the app logs from them cannot forge
 * a line, inject a terminal escape or leak a credential, in any renderer; an
 * oversized body field is cut by the documented rule.
 *
 * The integrations are loaded from their builds (as an application loads
 * them), with the core build they import, so the configuration is shared.
 */
import { createRequire } from "node:module";
import { connect } from "node:net";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SAFE_REQUEST_ID } from "../../src/http/request-id.js";
import type * as Core from "../../src/index.js";
import type { CapturedCall } from "../../src/testing.js";
import type { ProcessorChain } from "../../src/types.js";
import { expectJsonLine, expectTextLine } from "./checks.js";

const root = new URL("../../../", import.meta.url);
const structlog = (await import(new URL("core/dist/index.js", root).href)) as typeof Core;
const { capturingLoggerFactory } = (await import(new URL("core/dist/testing.js", root).href)) as typeof import("../../src/testing.js");
const importFrom = async (pkg: string, name: string) =>
  import(pathToFileURL(createRequire(new URL(`${pkg}/package.json`, root)).resolve(name)).href);

interface Server {
  readonly port: number;
  close(): Promise<void>;
}

type Handler = (ctx: {
  log: Core.Logger;
  params: Record<string, string>;
  query: Record<string, unknown>;
  headers: Record<string, unknown>;
  body: unknown;
}) => void;

/** The app, the same for both frameworks: it logs what the client sent, as apps do. */
const orderHandler: Handler = ({ log, params, query, headers }) => {
  log.bind({ order_id: params.id }).info("order_loaded", { q: query.q, user_agent: headers["user-agent"] });
  structlog.getLogger("search").info(String(query.q ?? "no query"));
};
const failHandler: Handler = ({ query }) => {
  throw new Error(`lookup failed for ${String(query.msg)}`);
};
const noteHandler: Handler = ({ log, body }) => {
  log.info("note_received", { note: (body as { note?: unknown }).note });
};

/** What a handler reads from a Fastify request or an Express req (getters on their prototypes). */
function context(req: Record<string, unknown>): Parameters<Handler>[0] {
  return {
    log: req.log as Core.Logger,
    params: req.params as Record<string, string>,
    query: req.query as Record<string, unknown>,
    headers: req.headers as Record<string, unknown>,
    body: req.body ?? {},
  };
}

async function startFastify(): Promise<Server> {
  const Fastify = (await importFrom("fastify", "fastify")).default;
  const { structlogPlugin } = await import(new URL("fastify/dist/index.js", root).href);
  const app = Fastify();
  await app.register(structlogPlugin, { logHeaders: true });
  const adapt = (h: Handler) => async (request: Record<string, unknown>) => {
    h(context(request));
    return { ok: true };
  };
  app.get("/orders/:id", adapt(orderHandler));
  app.get("/fail", adapt(failHandler));
  app.post("/notes", adapt(noteHandler));
  await app.listen({ port: 0, host: "127.0.0.1" });
  return { port: app.server.address().port, close: () => app.close() };
}

async function startExpress(): Promise<Server> {
  const express = (await importFrom("express", "express")).default;
  const { structlogMiddleware, structlogErrorHandler } = await import(new URL("express/dist/index.js", root).href);
  const app = express();
  app.use(structlogMiddleware({ logHeaders: true }));
  app.use(express.json({ limit: "1mb" }));
  const adapt = (h: Handler) => (req: Record<string, unknown>, res: { json(v: unknown): void }) => {
    h(context(req));
    res.json({ ok: true });
  };
  app.get("/orders/:id", adapt(orderHandler));
  app.get("/fail", adapt(failHandler));
  app.post("/notes", adapt(noteHandler));
  app.use(structlogErrorHandler({ respond: true }));
  const server = await new Promise<{ address(): { port: number }; close(cb: () => void): void }>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  return { port: server.address().port, close: () => new Promise((r) => server.close(() => r())) };
}

/** Sends raw bytes (latin1: one byte per character) and resolves with the response head's headers. */
function rawRequest(port: number, text: string): Promise<{ status: number; headers: Record<string, string> }> {
  return new Promise((resolve, reject) => {
    let received = "";
    const socket = connect(port, "127.0.0.1", () => socket.write(Buffer.from(text, "latin1")));
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => {
      received += chunk;
    });
    socket.on("error", reject);
    socket.on("close", () => {
      const [head = ""] = received.split("\r\n\r\n");
      const [statusLine = "", ...headerLines] = head.split("\r\n");
      const headers = Object.fromEntries(
        headerLines.map((l) => [l.slice(0, l.indexOf(":")).toLowerCase(), l.slice(l.indexOf(":") + 1).trim()]),
      );
      resolve({ status: Number(statusLine.split(" ")[1]), headers });
    });
  });
}

// Bytes as an attacker sends them. Header values may hold obs-text (0x80-0xFF),
// which Node reads as latin1: \xC2\x9B arrives as "Â" and U+009B, a C1 CSI.
const FORGED_JSON = '{"event":"forged","level":"critical"}';
const HOSTILE_ID = `abc"\t${FORGED_JSON}\x9b2J`;
const HOSTILE_UA = "curl \xc2\x9b31m\t\xe2\x80\xa8\x85 end";
const pathPart = encodeURIComponent(`\n${FORGED_JSON}\u001b[31m\u009b2J`);
const queryPart = encodeURIComponent("\r\n2026-05-02T10:00:00.000Z [critical ] forged \u001b]0;pwned\u0007");
const SECRETS = ["Bearer s3cret-token", "sid=s3cret-cookie"];

const get = (target: string, extra = "") =>
  `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nx-request-id: ${HOSTILE_ID}\r\nuser-agent: ${HOSTILE_UA}\r\nauthorization: ${SECRETS[0]}\r\ncookie: ${SECRETS[1]}\r\n${extra}Connection: close\r\n\r\n`;

function renderer(kind: string) {
  const { processors: p, dev } = structlog;
  switch (kind) {
    case "json":
      return [p.formatExcInfo, p.jsonRenderer()];
    case "console, colours off":
      return [dev.consoleRenderer({ colors: false })];
    case "console, colours on":
      return [dev.consoleRenderer({ colors: true })];
    case "logfmt":
      return [p.formatExcInfo, p.logfmtRenderer()];
    default:
      return [p.formatExcInfo, p.keyValueRenderer()];
  }
}

const RENDERERS = ["json", "console, colours off", "console, colours on", "logfmt", "key-value"];

for (const [framework, start] of [
  ["Fastify", startFastify],
  ["Express", startExpress],
] as const) {
  describe(`hostile requests to a ${framework} app`, () => {
    let server: Server;
    beforeAll(async () => {
      server = await start();
    });
    afterAll(async () => {
      await server.close();
      structlog.resetDefaults();
    });

    async function send(kind: string, request: string, expectedLines: number): Promise<{ calls: CapturedCall[]; requestId: string }> {
      const factory = capturingLoggerFactory();
      const saved = { FORCE_COLOR: process.env.FORCE_COLOR, NO_COLOR: process.env.NO_COLOR };
      delete process.env.FORCE_COLOR;
      delete process.env.NO_COLOR;
      structlog.configure({
        processors: [
          structlog.contextvars.mergeContextVars,
          structlog.processors.addLogLevel,
          structlog.processors.addLoggerName,
          structlog.processors.timeStamper({ fmt: "iso" }),
          ...renderer(kind),
        ] as unknown as ProcessorChain,
        loggerFactory: factory,
        wrapperClass: structlog.BoundLogger,
      });
      Object.assign(process.env, Object.fromEntries(Object.entries(saved).filter(([, v]) => v !== undefined)));
      const response = await rawRequest(server.port, request);
      // The request line is written when the response has finished; wait for it (bounded).
      const done = () => factory.calls.some((c) => String(c.rendered).includes("request_completed"));
      for (let i = 0; i < 300 && (factory.calls.length < expectedLines || !done()); i++) await new Promise((r) => setTimeout(r, 10));
      const requestId = response.headers["x-request-id"] ?? "";
      return { calls: factory.calls, requestId };
    }

    /** Every call is one well-formed line, with the request's own (safe) id, no escape and no secret. */
    function expectSafe(kind: string, calls: CapturedCall[], requestId: string): void {
      // The hostile id was rejected: a fresh UUID took its place.
      expect(requestId).toMatch(SAFE_REQUEST_ID);
      expect(requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      for (const { rendered } of calls) {
        const text = rendered as string;
        for (const secret of SECRETS) expect(text).not.toContain(secret);
        if (kind === "json") {
          const line = expectJsonLine(text);
          expect(line.event).not.toBe("forged");
          expect(line.request_id).toBe(requestId);
        } else {
          const line = expectTextLine(text, kind === "console, colours on");
          expect(line).toContain(requestId);
          expect(text.split("\n").filter((l) => l.startsWith("2026-05-02T10:00:00.000Z"))).toEqual([]);
        }
      }
    }

    it.each(RENDERERS)("cannot forge a line or inject an escape through the id, path, query and headers (%s)", async (kind) => {
      const { calls, requestId } = await send(kind, get(`/orders/${pathPart}?q=${queryPart}`), 3);
      expect(calls.length).toBe(3); // order_loaded, the query as an event, request_completed
      expectSafe(kind, calls, requestId);
    });

    it.each(RENDERERS)("cannot forge a line through an error message built from the query (%s)", async (kind) => {
      const { calls, requestId } = await send(kind, get(`/fail?msg=${queryPart}`), 1);
      expect(calls.length).toBeGreaterThanOrEqual(1);
      expectSafe(kind, calls, requestId);
    });

    it("cuts an oversized field from the body by the documented rule", async () => {
      const body = JSON.stringify({ note: "n".repeat(200_000) });
      const request = `POST /notes HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nConnection: close\r\n\r\n${body}`;
      const { calls } = await send("json", request, 2);
      const note = calls.map((c) => JSON.parse(c.rendered as string)).find((l) => l.event === "note_received")?.note as string;
      expect(note).toBe(`${"n".repeat(32_768)}...[${200_000 - 32_768} more characters]`);
    });
  });
}
