import { describe, expect, it } from "vitest";
import { jsonLines, runNode } from "../../_support/run-node.js";

const script = new URL("../index.js", import.meta.url).pathname;

describe("configuration chosen by ENV", () => {
  it("writes filtered JSON with structured exceptions in production", async () => {
    const lines = jsonLines((await runNode(script, { ENV: "production" })).stdout);
    expect(lines.map((l) => l.event)).toEqual(["invoice_sent", "charge_failed"]);
    expect(lines[1]?.exception).toMatchObject([
      { exc_type: "Error", exc_value: "card declined", is_cause: false },
      { exc_type: "Error", exc_value: "insufficient funds", is_cause: true },
    ]);
  });

  it("writes the plain console layout with debug lines in development", async () => {
    const { stdout } = await runNode(script, { ENV: "development" });
    expect(stdout).toMatch(/\[debug {4}\] config_loaded {18}\[billing\] env=development/);
    expect(stdout).toMatch(/charge_failed.*\n {2}Error: card declined\n/);
  });
});
