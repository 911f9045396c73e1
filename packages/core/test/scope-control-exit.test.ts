import { execFile } from "node:child_process";
import { describe, expect, it } from "vitest";

const fixture = new URL("./fixtures/held-exit-app.mjs", import.meta.url).pathname;

/** Runs the fixture in a real child process; resolves with its stdout lines, parsed, and its exit code. */
function run(mode: string): Promise<{ lines: Record<string, unknown>[]; code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [fixture, mode], { timeout: 20_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : null;
      const lines = stdout
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      resolve({ lines, code, stderr });
    });
  });
}

describe("withLogControl() at exit", () => {
  it.each(["uncaught", "rejection", "exit1"])("writes an unfinished scope's held lines, marked, on %s", async (mode) => {
    const { lines, code } = await run(mode);
    expect(code).toBe(1);
    expect(lines).toEqual([
      { event: "before", level: "info" },
      { job_id: "j1", event: "written", level: "info" },
      { job_id: "j1", event: "held_1", level: "debug", held: "unfinished" },
      { job_id: "j1", event: "held_2", level: "debug", held: "unfinished" },
    ]);
  });

  it("writes nothing held by a scope that ended well", async () => {
    const { lines, code } = await run("natural-ended");
    expect(code).toBe(0);
    expect(lines.map((l) => l.event)).toEqual(["before", "written"]);
  });
});

describe("the first control scope of a process", () => {
  it("lowers the level of loggers made and called below their level before it opened", async () => {
    const fixture = new URL("./fixtures/first-control-app.mjs", import.meta.url).pathname;
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, [fixture], { timeout: 20_000 }, (error, out) => (error === null ? resolve(out) : reject(error)));
    });
    expect(
      stdout
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => JSON.parse(l)),
    ).toEqual([
      { service: "a", event: "outside", level: "info" },
      { service: "a", event: "inside_debug", level: "debug" },
    ]);
  });
});
