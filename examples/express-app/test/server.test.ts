import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

type Line = Record<string, unknown>;

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
let child: ChildProcess;
let port = 0;
const lines: Line[] = [];
const stderr: string[] = [];

/** Polls (bounded) the server's stdout for a line. */
async function lineWhere(match: (l: Line) => boolean, what: string): Promise<Line> {
  for (let i = 0; i < 500; i++) {
    const found = lines.find(match);
    if (found !== undefined) return found;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no ${what} in the server's output:\n${lines.map((l) => JSON.stringify(l)).join("\n")}\n${stderr.join("")}`);
}

const requestLine = (id: string) => lineWhere((l) => l.event === "request_completed" && l.request_id === id, `request line for ${id}`);

async function get(path: string, id: string, token?: string, init: RequestInit = {}) {
  const headers: Record<string, string> = { "x-request-id": id, ...(token ? { authorization: `Bearer ${token}` } : {}) };
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    ...init,
    headers: { ...headers, ...(init.headers as Record<string, string>) },
  });
  return { status: res.status, body: await res.text(), id: res.headers.get("x-request-id") };
}

beforeAll(async () => {
  child = spawn(process.execPath, ["server.js"], { cwd: root, env: { ...process.env, PORT: "0", LOG_LEVEL: "debug" }, stdio: "pipe" });
  child.stderr?.on("data", (d) => stderr.push(String(d)));
  createInterface({ input: child.stdout! }).on("line", (text) => lines.push(JSON.parse(text) as Line));
  port = Number((await lineWhere((l) => l.event === "server_listening", "server_listening line")).port);
});

afterAll(async () => {
  if (child.exitCode === null) {
    child.kill("SIGKILL");
    await once(child, "exit");
  }
});

describe("examples/express-app", () => {
  it("puts request_id and user_id on the handler's, the deep module's and the request's lines", async () => {
    const reply = await get("/orders/42", "ex-1", "token-alice");
    expect(reply.status).toBe(200);
    expect(reply.id).toBe("ex-1");
    await requestLine("ex-1");
    const mine = lines.filter((l) => l.request_id === "ex-1");
    expect(mine.map((l) => l.event)).toEqual(["order_requested", "order_query", "order_loaded", "request_completed"]);
    for (const line of mine) expect(line.user_id).toBe("alice");
    expect(mine.find((l) => l.event === "order_loaded")).toMatchObject({ logger: "orders", order_id: "42" });
    expect(await requestLine("ex-1")).toMatchObject({
      route: "/orders/:id",
      status_code: 200,
      method: "GET",
      level: "info",
      logger: "http",
    });
  });

  it("keeps the context through the JSON body parser and a timer after the response", async () => {
    const reply = await get("/orders", "ex-2", "token-bob", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ item: "cup", total: 4 }),
    });
    expect(reply.status).toBe(201);
    const sent = await lineWhere((l) => l.event === "confirmation_sent", "confirmation_sent line");
    expect(sent).toMatchObject({ request_id: "ex-2", user_id: "bob" });
    expect(await requestLine("ex-2")).toMatchObject({ status_code: 201, user_id: "bob" });
  });

  it("logs a failure with the request's ids and answers without a stack trace", async () => {
    const reply = await get("/orders/boom", "ex-3", "token-alice");
    expect(reply.status).toBe(500);
    expect(JSON.parse(reply.body)).toEqual({ error: "Internal Server Error", request_id: "ex-3" });
    // One line for the failed request: the request line carries the error.
    const failed = await requestLine("ex-3");
    expect(failed).toMatchObject({ request_id: "ex-3", user_id: "alice", level: "error", status_code: 500 });
    expect(failed.err).toMatchObject({ type: "Error", message: "orders database unavailable", code: "ECONNRESET" });
  });

  it("writes a warning without user_id for an unauthenticated request", async () => {
    expect((await get("/orders/42", "ex-4")).status).toBe(401);
    const line = await requestLine("ex-4");
    expect(line).toMatchObject({ status_code: 401, level: "warning" });
    expect(line).not.toHaveProperty("user_id");
  });

  it("writes no request line for /health", async () => {
    expect((await get("/health", "ex-5")).status).toBe(200);
    await get("/orders/43", "ex-6", "token-bob");
    await requestLine("ex-6");
    expect(lines.some((l) => l.request_id === "ex-5")).toBe(false);
  });

  it("stops on SIGTERM with every line valid JSON and nothing on stderr", async () => {
    child.kill("SIGTERM");
    const [code] = await once(child, "exit");
    expect(code).toBe(0);
    expect(lines.at(-1)).toMatchObject({ event: "server_stopping", signal: "SIGTERM" });
    expect(stderr.join("")).toBe("");
  });
});
