import { describe, expect, it } from "vitest";
import { jsonLines, runNode } from "../../_support/run-node.js";

describe("the order-processing flow", () => {
  it("carries bound context to every later line and drops it with new()", async () => {
    const lines = jsonLines((await runNode(new URL("../index.js", import.meta.url).pathname)).stdout);
    expect(lines.slice(0, 4)).toEqual([
      { order_id: "ORD-101", customer_id: 7, items: 2, event: "order_received", level: "info" },
      { order_id: "ORD-101", customer_id: 7, total: 50, event: "order_priced", level: "info" },
      { order_id: "ORD-101", customer_id: 7, event: "order_shipped", level: "info" },
      { batch: "nightly", done: "ORD-101", event: "batch_progress", level: "info" },
    ]);
    expect(lines.find((l) => l.event === "manual_review_required")).toEqual({
      order_id: "ORD-102",
      customer_id: 9,
      total: 125,
      threshold: 100,
      event: "manual_review_required",
      level: "warning",
    });
  });
});
