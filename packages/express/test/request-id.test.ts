import net from "node:net";
import * as structlog from "@structlog/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { structlogMiddleware } from "../src/index.js";
import { captureLines, EXPRESS_MAJORS, type Line, listen, type Running, UUID, waitFor } from "./helpers.js";

/** Raw header values, as bytes on the wire: a client library would refuse to send most of them. */
const HOSTILE: ReadonlyArray<readonly [string, string]> = [
  ["too long", "a".repeat(129)],
  ["very long", "b".repeat(8000)],
  ["a JSON fragment", 'x","user_id":"admin","level":"info'],
  ["a JSON object", '{"forged":true}'],
  ["spaces and quotes", "id with 'quotes' and spaces"],
  ["a terminal escape", "id\x1b[31mred"],
  ["a NUL byte", "id\x00nul"],
  ["a DEL byte", "id\x7fdel"],
  ["a C1 control (one-byte CSI)", "id\x9b31m"],
  ["a backslash escape", "id\\nforged"],
  ["an HTML tag", "<script>alert(1)</script>"],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a log4shell-style lookup is the hostile value.
  ["a log4shell-style lookup", "${jndi:ldap://x/a}"],
];

/** Sends raw bytes and returns the raw response (the socket is closed by the server). */
function rawRequest(port: number, head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    socket.on("data", (c) => chunks.push(c));
    socket.on("end", () => resolve(Buffer.concat(chunks).toString("latin1")));
    socket.on("error", reject);
    socket.end(Buffer.from(head, "latin1"));
  });
}

describe.each(EXPRESS_MAJORS)("hostile request ids on %s", (_major, express) => {
  let lines: () => Line[];
  let raw: () => string[];
  let running: Running | undefined;

  beforeEach(() => {
    ({ lines, raw } = captureLines());
  });
  afterEach(async () => {
    await running?.close();
    running = undefined;
    structlog.resetDefaults();
  });

  async function serve(logHeaders = false) {
    const app = express();
    app.use(structlogMiddleware({ logHeaders }));
    app.get("/", (req, res) => {
      req.log.info("handled");
      res.send("ok");
    });
    running = await listen(app);
    return running.port;
  }

  it.each(HOSTILE)("never logs or echoes %s", async (_what, value) => {
    const port = await serve();
    const reply = await rawRequest(port, `GET / HTTP/1.1\r\nHost: localhost\r\nX-Request-Id: ${value}\r\nConnection: close\r\n\r\n`);
    const status = Number(reply.split(" ")[1]);
    if (status === 400) {
      // Node's HTTP parser refused the header before Express saw the request.
      expect(raw()).toEqual([]);
    } else {
      expect(status).toBe(200);
      const echoed = /\r\nx-request-id: ([^\r]*)\r\n/i.exec(reply)?.[1];
      expect(echoed).toMatch(UUID);
      const line = await waitFor(() => lines().find((l) => l.event === "request_completed"), "the request line");
      expect(line.request_id).toBe(echoed);
      expect(lines().find((l) => l.event === "handled")?.request_id).toBe(echoed);
    }
    for (const text of raw()) expect(text).not.toContain(value);
    expect(reply).not.toContain(value);
  });

  it.each(HOSTILE)("never logs %s through the serialized headers (logHeaders)", async (_what, value) => {
    const port = await serve(true);
    const reply = await rawRequest(port, `GET / HTTP/1.1\r\nHost: localhost\r\nX-Request-Id: ${value}\r\nConnection: close\r\n\r\n`);
    if (reply.startsWith("HTTP/1.1 200")) {
      const line = await waitFor(() => lines().find((l) => l.event === "request_completed"), "the request line");
      expect((line.req as { headers: Record<string, unknown> }).headers["x-request-id"]).toBe("[Rejected]");
    }
    for (const text of raw()) expect(text).not.toContain(value);
  });

  it("does not accept a request id sent twice", async () => {
    const port = await serve();
    const reply = await rawRequest(
      port,
      "GET / HTTP/1.1\r\nHost: localhost\r\nX-Request-Id: one\r\nX-Request-Id: two\r\nConnection: close\r\n\r\n",
    );
    expect(/\r\nx-request-id: ([^\r]*)\r\n/i.exec(reply)?.[1]).toMatch(UUID);
  });

  it("accepts an id of exactly the longest allowed length", async () => {
    const port = await serve();
    const id = "c".repeat(128);
    const reply = await rawRequest(port, `GET / HTTP/1.1\r\nHost: localhost\r\nX-Request-Id: ${id}\r\nConnection: close\r\n\r\n`);
    expect(reply).toContain(`\r\nx-request-id: ${id}\r\n`);
  });
});
