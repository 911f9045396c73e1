import * as structlog from "@structlog/core";
import { captureReports } from "@structlog/core/testing";
import type { FastifyInstance } from "fastify";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { appWith, captureOutput, eventually, listen, rawRequest, requestLines } from "./helpers.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let out: ReturnType<typeof captureOutput>;
let app: FastifyInstance | undefined;
beforeEach(() => {
  out = captureOutput();
});
afterEach(async () => {
  await app?.close();
  app = undefined;
  structlog.resetDefaults();
});

/** An app whose handler logs and answers with request.id. */
async function echoApp(options: Parameters<typeof appWith>[0] = {}, fastifyOptions: Parameters<typeof appWith>[1] = {}) {
  const built = await appWith(options, fastifyOptions);
  built.get("/", async (request) => {
    request.log.info("handler");
    return { id: request.id };
  });
  return built;
}

describe("request id intake", () => {
  it("takes a safe x-request-id, echoes it, and makes it request.id", async () => {
    app = await echoApp();
    const response = await app.inject({ url: "/", headers: { "x-request-id": "abc-123_x.y:z" } });
    expect(response.headers["x-request-id"]).toBe("abc-123_x.y:z");
    expect(response.json()).toEqual({ id: "abc-123_x.y:z" });
    expect(out.lines().map((l) => l.request_id)).toEqual(["abc-123_x.y:z", "abc-123_x.y:z"]);
  });

  it("generates a UUID when the request has no id", async () => {
    app = await echoApp();
    const response = await app.inject({ url: "/" });
    const id = response.headers["x-request-id"];
    expect(id).toMatch(UUID);
    expect(out.lines().map((l) => l.request_id)).toEqual([id, id]);
  });

  it("reads and echoes the header named by requestIdHeader and responseIdHeader", async () => {
    app = await echoApp({ requestIdHeader: "X-Correlation-Id", responseIdHeader: "x-trace" });
    const response = await app.inject({ url: "/", headers: { "x-correlation-id": "corr-1" } });
    expect(response.headers["x-trace"]).toBe("corr-1");
    expect(response.headers).not.toHaveProperty("x-correlation-id");
  });

  it("echoes nothing with responseIdHeader: false", async () => {
    app = await echoApp({ responseIdHeader: false });
    const response = await app.inject({ url: "/", headers: { "x-request-id": "r-1" } });
    expect(response.headers).not.toHaveProperty("x-request-id");
    expect(requestLines(out.lines())[0]).toMatchObject({ request_id: "r-1" });
  });

  it("ignores incoming ids with trustRequestId: false", async () => {
    app = await echoApp({ trustRequestId: false });
    const response = await app.inject({ url: "/", headers: { "x-request-id": "client-chosen" } });
    expect(response.headers["x-request-id"]).toMatch(UUID);
  });

  it("binds the id under requestIdKey", async () => {
    app = await echoApp({ requestIdKey: "trace_id" });
    await app.inject({ url: "/", headers: { "x-request-id": "t-1" } });
    expect(out.lines().every((l) => l.trace_id === "t-1" && !("request_id" in l))).toBe(true);
  });

  it("refuses ids longer than requestIdMaxLength", async () => {
    app = await echoApp({ requestIdMaxLength: 8 });
    const short = await app.inject({ url: "/", headers: { "x-request-id": "12345678" } });
    const long = await app.inject({ url: "/", headers: { "x-request-id": "123456789" } });
    expect(short.headers["x-request-id"]).toBe("12345678");
    expect(long.headers["x-request-id"]).toMatch(UUID);
  });
});

describe("request id generation", () => {
  it('uses Fastify\'s own genReqId with generateRequestId: "fastify"', async () => {
    app = await echoApp({ generateRequestId: "fastify" });
    const first = await app.inject({ url: "/" });
    const second = await app.inject({ url: "/" });
    expect([first.headers["x-request-id"], second.headers["x-request-id"]]).toEqual(["req-1", "req-2"]);
  });

  it('uses the app\'s genReqId option with generateRequestId: "fastify"', async () => {
    app = await echoApp({ generateRequestId: "fastify" }, { genReqId: () => "from-app" });
    expect((await app.inject({ url: "/" })).headers["x-request-id"]).toBe("from-app");
  });

  it("uses the app's own genReqId by default", async () => {
    app = await echoApp({}, { genReqId: () => "from-app" });
    expect((await app.inject({ url: "/" })).headers["x-request-id"]).toBe("from-app");
  });

  it("prefers a generateRequestId function to the app's genReqId", async () => {
    app = await echoApp({ generateRequestId: () => "from-plugin" }, { genReqId: () => "from-app" });
    expect((await app.inject({ url: "/" })).headers["x-request-id"]).toBe("from-plugin");
  });

  it("uses a generateRequestId function, given the raw request", async () => {
    app = await echoApp({ generateRequestId: (req) => `gen-${req.method}` });
    expect((await app.inject({ url: "/" })).headers["x-request-id"]).toBe("gen-GET");
  });

  it("falls back to a UUID when generateRequestId throws or returns an unsafe id", async () => {
    let calls = 0;
    app = await echoApp({
      generateRequestId: () => {
        if (++calls === 1) throw new Error("no ids today");
        return "bad\nid";
      },
    });
    const reports = await captureReports(async () => {
      for (let i = 0; i < 2; i++) {
        const response = await app?.inject({ url: "/" });
        expect(response?.statusCode).toBe(200);
        expect(response?.headers["x-request-id"]).toMatch(UUID);
      }
    });
    expect(reports).toEqual([expect.stringMatching(/generateRequestId failed: Error: no ids today/)]);
  });
});

// Values a client can put in the header. None may reach a log line or the response.
const HOSTILE: Array<[string, string]> = [
  ["very long", "a".repeat(10_000)],
  ["a newline with a forged line", 'x\n{"level":"critical","event":"forged"}'],
  ["a carriage return", "x\ry"],
  ["an escape sequence", "\u001b[31mred\u001b[0m"],
  ["a NUL byte", "x\u0000y"],
  ["a JSON fragment", '","user_id":"admin'],
  ["spaces and quotes", "a b 'c' \"d\""],
  ["non-ASCII", "ïd-ünïcode"],
  ["a header-splitting attempt", "x\r\nset-cookie: pwned=1"],
];

describe("hostile request ids", () => {
  it.each(HOSTILE)("are neither logged nor echoed: %s", async (_name, value) => {
    app = await echoApp({ logHeaders: true });
    const response = await app.inject({ url: "/", headers: { "x-request-id": value } });
    expect(response.statusCode).toBe(200);
    expect(response.headers["x-request-id"]).toMatch(UUID);
    expect(response.headers).not.toHaveProperty("set-cookie");
    const id = response.headers["x-request-id"];
    const lines = out.lines();
    expect(lines.map((l) => l.request_id)).toEqual([id, id]);
    expect(requestLines(lines)[0]?.req).toMatchObject({ headers: { "x-request-id": "[Rejected]" } });
    for (const raw of out.raw()) {
      expect(raw).not.toContain(JSON.stringify(value).slice(1, -1));
      expect(raw.split("\n")).toHaveLength(1);
    }
  });

  it("are neither logged nor echoed over a real socket", async () => {
    app = await echoApp({ logHeaders: true });
    const url = await listen(app);
    const hostile = `${"{".repeat(300)}"forged":true${"}".repeat(300)}`;
    const response = await rawRequest(url, `GET / HTTP/1.1\r\nhost: x\r\nconnection: close\r\nx-request-id: ${hostile}\r\n\r\n`);
    expect(response).toMatch(/^HTTP\/1\.1 200/);
    const echoed = /\r\nx-request-id: ([^\r]*)\r\n/.exec(response)?.[1];
    expect(echoed).toMatch(UUID);
    await eventually(() => requestLines(out.lines()).length === 1, "the request line");
    expect(out.raw().join("\n")).not.toContain("forged");
  });

  it("a header sent twice is not taken", async () => {
    app = await echoApp();
    const url = await listen(app);
    const response = await rawRequest(
      url,
      "GET / HTTP/1.1\r\nhost: x\r\nconnection: close\r\nx-request-id: a-1\r\nx-request-id: b-2\r\n\r\n",
    );
    const echoed = /\r\nx-request-id: ([^\r]*)\r\n/.exec(response)?.[1];
    expect(echoed).toMatch(UUID);
  });
});
