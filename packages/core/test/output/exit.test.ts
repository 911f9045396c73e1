import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const app = new URL("../fixtures/exit-app.mjs", import.meta.url).pathname;
const LINES = 20_000;

interface Run {
  stdout: string;
  code: number | null;
}

function run(mode: string, target = "stdout", signal?: NodeJS.Signals): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [app, mode, String(LINES), target], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      if (signal !== undefined && d.includes("ready")) child.kill(signal);
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ stdout, code }));
  });
}

function lines(text: string): Array<Record<string, unknown>> {
  return text
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l));
}

function expectAllLines(records: Array<Record<string, unknown>>): void {
  const numbered = records.filter((r) => r.event === "line").map((r) => r.i);
  expect(numbered).toHaveLength(LINES);
  expect(numbered[LINES - 1]).toBe(LINES - 1);
}

describe("no line is lost at exit (stdout to a pipe)", () => {
  it.each([
    ["natural", 0],
    ["exit0", 0],
    ["exit1", 1],
  ] as const)("%s", async (mode, code) => {
    const result = await run(mode);
    expect(result.code).toBe(code);
    expectAllLines(lines(result.stdout));
  });

  it("an uncaught exception, with the fatal error's own line", async () => {
    const result = await run("uncaught");
    const records = lines(result.stdout);
    expectAllLines(records);
    expect(records.at(-1)).toMatchObject({ event: "fatal_error", level: "critical", exception: expect.stringContaining("Error: crash") });
  });

  it("an unhandled rejection, with the fatal error's own line", async () => {
    const records = lines((await run("rejection")).stdout);
    expectAllLines(records);
    expect(records.at(-1)).toMatchObject({ event: "fatal_error", exception: expect.stringContaining("Error: rejected") });
  });

  it.each(["SIGTERM", "SIGINT"] as const)("%s handled by the app", async (signal) => {
    const records = lines((await run("signal", "stdout", signal)).stdout);
    expectAllLines(records);
    expect(records.at(-1)?.event).toBe(signal === "SIGTERM" ? "sigterm_received" : "sigint_received");
  });
});

describe("no line is lost at exit (file writer)", () => {
  it.each(["natural", "exit1", "uncaught"])("%s", async (mode) => {
    const file = join(mkdtempSync(join(tmpdir(), "structlog-")), "out.log");
    await run(mode, file);
    expectAllLines(lines(readFileSync(file, "utf8")));
  });
});
