import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

type Line = Record<string, unknown>;

const script = new URL("../server.js", import.meta.url).pathname;

let server: ChildProcess;
const lines: Line[] = [];
let base = "";
let exited: Promise<number | null>;

/** Waits (bounded) until a line matching `predicate` was printed. */
async function lineWhere(predicate: (line: Line) => boolean): Promise<Line> {
  for (let i = 0; i < 500; i++) {
    const found = lines.find(predicate);
    if (found !== undefined) return found;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error("the server did not print the expected line");
}

function get(path: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}${path}`, { headers });
}

beforeAll(async () => {
  server = spawn(process.execPath, [script], { env: { ...process.env, PORT: "0" }, stdio: ["ignore", "pipe", "inherit"] });
  exited = new Promise((resolve) => server.once("exit", resolve));
  createInterface({ input: server.stdout as NodeJS.ReadableStream }).on("line", (text) => lines.push(JSON.parse(text)));
  const listening = await lineWhere((l) => l.event === "server_listening");
  base = String(listening.address);

  expect((await get("/orders/7", { authorization: "Bearer token-alice", "x-request-id": "ex-1" })).status).toBe(200);
  expect((await get("/orders/8?amount=5000", { authorization: "Bearer token-bob", "x-request-id": "ex-2" })).status).toBe(402);
  expect((await get("/orders/9", { "x-request-id": "ex-3" })).status).toBe(401);
  expect((await get("/health", { "x-request-id": "ex-4" })).status).toBe(200);
  const hostile = await get("/orders/10", { authorization: "Bearer token-alice", "x-request-id": '","user_id":"admin' });
  expect(hostile.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);

  server.kill("SIGTERM");
  expect(await exited).toBe(0);
});

afterAll(() => {
  if (server.exitCode === null) server.kill("SIGKILL");
});

const ofRequest = (id: string) => lines.filter((l) => l.request_id === id);

describe("the Fastify example app", () => {
  it("puts request_id and user_id on every line of a request: request.log, a module-level logger, the request line", () => {
    expect(ofRequest("ex-1").map((l) => [l.event, l.logger, l.user_id, l.level])).toEqual([
      ["order_loaded", "http", "u-alice", "info"],
      ["card_charged", "payments", "u-alice", "info"],
      ["order_paid", "http", "u-alice", "info"],
      ["request_completed", "http", "u-alice", "info"],
    ]);
    expect(ofRequest("ex-1").at(-1)).toMatchObject({ method: "GET", path: "/orders/7", route: "/orders/:id", status_code: 200 });
  });

  it("logs a failed payment with the user, and the request line carries the error", () => {
    const [declined, completed] = ofRequest("ex-2").slice(-2);
    expect(declined).toMatchObject({ event: "card_declined", logger: "payments", user_id: "u-bob", level: "warning" });
    expect(completed).toMatchObject({
      event: "request_completed",
      status_code: 402,
      level: "warning",
      user_id: "u-bob",
      err: { type: "Error", message: "card declined" },
    });
  });

  it("has no user_id before authentication succeeds", () => {
    expect(ofRequest("ex-3").map((l) => [l.event, l.user_id, l.status_code])).toEqual([
      ["authentication_failed", undefined, undefined],
      ["request_completed", undefined, 401],
    ]);
  });

  it("writes no line for health checks", () => {
    expect(ofRequest("ex-4")).toEqual([]);
    expect(lines.filter((l) => l.path === "/health")).toEqual([]);
  });

  it("never logs a hostile request id", () => {
    expect(lines.some((l) => JSON.stringify(l).includes("admin"))).toBe(false);
    expect(lines.filter((l) => l.path === "/orders/10")).toEqual([expect.objectContaining({ user_id: "u-alice", status_code: 200 })]);
  });

  it("writes JSON lines with timestamps, and stops cleanly", () => {
    expect(lines.every((l) => typeof l.timestamp === "string" && typeof l.level === "string")).toBe(true);
    expect(lines.at(-1)).toMatchObject({ event: "server_stopped", signal: "SIGTERM" });
  });
});
