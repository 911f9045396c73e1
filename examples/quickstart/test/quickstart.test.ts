import { describe, expect, it } from "vitest";
import { jsonLines, runNode } from "../../_support/run-node.js";

const script = new URL("../index.js", import.meta.url).pathname;

describe("the quick example", () => {
  it("prints one JSON object per line in production", async () => {
    const lines = jsonLines((await runNode(script, { ENV: "production" })).stdout);
    expect(lines[0]).toEqual({
      version: "1.2.3",
      event: "app_started",
      level: "info",
      logger: "myapp",
      timestamp: expect.stringMatching(/Z$/),
    });
    expect(lines[3]).toMatchObject({
      order_id: "ORD-101",
      user_id: 42,
      item_count: 3,
      error: "Invalid payment method",
      retry: false,
      event: "payment_failed",
      level: "error",
    });
    expect(lines[4]).toMatchObject({ event: "order_import_failed", exception: expect.stringMatching(/^SyntaxError: /) });
  });

  it("prints structlog's coloured console layout in development", async () => {
    const { stdout } = await runNode(script);
    const first = stdout.split("\n")[0] ?? "";
    expect(first).toContain("\u001b[");
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping ANSI colours.
    const plain = first.replace(/\u001b\[[0-9;]*m/g, "");
    expect(plain).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z \[info {5}\] app_started {20}\[myapp\] version=1\.2\.3$/);
  });
});
