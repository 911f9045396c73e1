import { describe, expect, it } from "vitest";
import { jsonLines, runNode } from "../../_support/run-node.js";

describe("console capture", () => {
  it("routes a library's console calls through the processors, marking only those", async () => {
    const lines = jsonLines((await runNode(new URL("../index.js", import.meta.url).pathname)).stdout);
    expect(lines).toEqual([
      { event: "starting", level: "info", logger: "app" },
      { foreign: true, event: "connecting to db.internal:5432", level: "info", logger: "console" },
      { foreign: true, event: "pool size 2 is below the recommended 10", level: "warning", logger: "console" },
      { event: "console_restored", level: "info", logger: "app" },
    ]);
  });
});
