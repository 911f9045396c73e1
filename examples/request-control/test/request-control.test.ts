import { describe, expect, it } from "vitest";
import { jsonLines, runNode } from "../../_support/run-node.js";

const script = new URL("../index.js", import.meta.url).pathname;

describe("the request-control example", async () => {
  const lines = jsonLines((await runNode(script)).stdout);
  const ofRequest = (id: string) => lines.filter((l) => l.request_id === id).map((l) => [l.event, l.level]);

  it("writes no debug line of a successful ordinary request", () => {
    const ok = lines.filter((l) => String(l.request_id).startsWith("ok-"));
    expect(ok.filter((l) => l.level === "debug")).toEqual([]);
    expect(ok.filter((l) => l.event === "reserved")).toHaveLength(12);
  });

  it("keeps some of the ordinary requests' lines, each standing for 4 requests", () => {
    const kept = lines.filter((l) => String(l.request_id).startsWith("ok-") && l.event === "request_completed");
    expect(kept.length).toBeLessThan(12);
    expect(kept.every((l) => l.sample_rate === 4)).toBe(true);
  });

  it("writes every line of the request the developer asked to see, its request line unsampled", () => {
    expect(ofRequest("debug-1")).toEqual([
      ["stock_checked", "debug"],
      ["reservation_attempted", "debug"],
      ["reserved", "info"],
      ["request_completed", "info"],
    ]);
    expect(lines.find((l) => l.request_id === "debug-1" && l.event === "request_completed")).not.toHaveProperty("sample_rate");
  });

  it("writes a failed request's held debug lines before its request line, with their own timestamps", () => {
    expect(ofRequest("failed-1")).toEqual([
      ["stock_checked", "debug"],
      ["reservation_attempted", "debug"],
      ["request_completed", "error"],
    ]);
    const [checked, attempted, completed] = lines.filter((l) => l.request_id === "failed-1").map((l) => String(l.timestamp));
    expect(checked <= (attempted as string) && (attempted as string) <= (completed as string)).toBe(true);
  });

  it("writes a failed job's debug lines, and not a successful job's", () => {
    const ofJob = (id: string) => lines.filter((l) => l.job_id === id).map((l) => l.event);
    expect(ofJob("job-ok")).toEqual(["job_started", "reserved"]);
    expect(ofJob("job-failed")).toEqual(["job_started", "stock_checked", "reservation_attempted", "job_failed"]);
  });
});
