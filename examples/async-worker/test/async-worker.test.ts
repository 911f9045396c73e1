import { describe, expect, it } from "vitest";
import { jsonLines, runNode } from "../../_support/run-node.js";

describe("the async worker", () => {
  it("gives every line of a job that job's id, across concurrent workers", async () => {
    const lines = jsonLines((await runNode(new URL("../index.js", import.meta.url).pathname, { JOBS: "30", WORKERS: "5" })).stdout);
    const jobLines = lines.filter((l) => l.event !== "queue_drained");
    expect(jobLines).toHaveLength(90);
    const byJob = new Map<unknown, string[]>();
    for (const line of jobLines) byJob.set(line.job_id, [...(byJob.get(line.job_id) ?? []), line.event as string]);
    expect(byJob.size).toBe(30);
    for (const events of byJob.values()) expect(events).toEqual(["job_started", "card_charged", "job_finished"]);
    expect(jobLines.filter((l) => l.event === "card_charged").every((l) => l.amount === Number(String(l.job_id).slice(4)) * 10)).toBe(true);
  });

  it("writes the final line outside any job scope", async () => {
    const lines = jsonLines((await runNode(new URL("../index.js", import.meta.url).pathname)).stdout);
    expect(lines.at(-1)).toEqual({ event: "queue_drained", level: "info", logger: "worker" });
  });
});
