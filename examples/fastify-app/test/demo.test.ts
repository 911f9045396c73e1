import { beforeAll, describe, expect, it } from "vitest";
import { jsonLines, runNode } from "../../_support/run-node.js";

type Line = Record<string, unknown>;

const script = new URL("../demo.js", import.meta.url).pathname;

let lines: Line[] = [];
beforeAll(async () => {
  // runNode rejects unless the demo exits 0.
  lines = jsonLines((await runNode(script, { ENV: "production" })).stdout);
});

const requestLine = (path: string) => lines.find((l) => l.event === "request_completed" && l.path === path) as Line;
const linesOf = (path: string) => lines.filter((l) => l.request_id === requestLine(path).request_id);

describe("the demo (ENV=production)", () => {
  it("starts the app on an ephemeral 127.0.0.1 port, through Fastify's own listening line", () => {
    expect(lines[0]).toMatchObject({
      event: "server_listening",
      logger: "fastify",
      address: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
    });
  });

  it("writes exactly one request line for each of its five requests", () => {
    const completed = lines.filter((l) => l.event === "request_completed");
    expect(completed.map((l) => `${l.path} ${l.status_code}`).sort()).toEqual([
      "/nope 404",
      "/orders/7 200",
      "/orders/8 402",
      "/orders/9 401",
      "/reports/daily 500",
    ]);
  });

  it("puts alice's request_id and user_id on every line of her order, the payments module's included", () => {
    expect(linesOf("/orders/7").map((l) => [l.event, l.logger, l.user_id])).toEqual([
      ["order_loaded", "http", "u-alice"],
      ["card_charged", "payments", "u-alice"],
      ["order_paid", "http", "u-alice"],
      ["request_completed", "http", "u-alice"],
    ]);
  });

  it("keeps bob's lines to bob's requests while they run at the same time as alice's", () => {
    const bobs = new Set([requestLine("/orders/8").request_id, requestLine("/reports/daily").request_id]);
    for (const line of lines.filter((l) => l.user_id === "u-bob")) expect(bobs.has(line.request_id)).toBe(true);
    expect(linesOf("/orders/8").map((l) => l.event)).toEqual(["order_loaded", "card_declined", "request_completed"]);
  });

  it("has no user_id on the anonymous request", () => {
    expect(linesOf("/orders/9").map((l) => [l.event, l.user_id])).toEqual([
      ["authentication_failed", undefined],
      ["request_completed", undefined],
    ]);
  });

  it("puts the failing route's error, with its stack, on its request line", () => {
    expect(requestLine("/reports/daily")).toMatchObject({
      level: "error",
      err: { type: "SyntaxError", stack: expect.stringContaining("dailyReport") },
    });
  });

  it("writes events, never Fastify's sentences", () => {
    for (const line of lines) expect(line.event).toMatch(/^[a-z][a-z_]*$/);
  });
});

describe("the demo (development)", () => {
  it("prints console lines with the request ids, without colour when stdout is not a terminal", async () => {
    const { stdout } = await runNode(script);
    expect(stdout).toMatch(/request_completed .*request_id=[0-9a-f-]{36}/);
    expect(stdout).toContain("user_id=u-alice");
    expect(stdout).not.toContain("\u001b[");
  });
});
