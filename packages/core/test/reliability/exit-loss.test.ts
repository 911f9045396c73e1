/**
 * No line lost at exit, 100,000 lines, in every way a process ends, with
 * stdout redirected to a file and with the file writer. (Stdout to a pipe is
 * covered by test/output/exit.test.ts; bench/exit-loss.js runs the whole
 * table, pipe included, against pino.) The fixture is the one the benchmark
 * runs for both loggers, so the app's handlers are the same.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const fixture = new URL("../fixtures/reliability-exit.mjs", import.meta.url).pathname;
const LINES = 100_000;

interface Outcome {
  readonly numbered: number;
  readonly torn: number;
  readonly events: readonly unknown[];
  readonly code: number | null;
}

function run(mode: string, target: "stdout to a file" | "file writer", signal?: NodeJS.Signals): Promise<Outcome> {
  const dir = mkdtempSync(join(tmpdir(), "structlog-exit-"));
  const file = join(dir, "out.log");
  const toFile = target === "stdout to a file";
  const args = [fixture, "structlog", mode, String(LINES), toFile ? "stdout" : `file:${file}`];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", toFile ? openSync(file, "w") : "ignore", "pipe"] });
    child.stderr?.setEncoding("utf8").on("data", (d: string) => {
      if (signal !== undefined && d.includes("ready")) child.kill(signal);
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const seen = new Set<unknown>();
      const events: unknown[] = [];
      let torn = 0;
      for (const line of readFileSync(file, "utf8").split("\n")) {
        if (line === "") continue;
        try {
          const record = JSON.parse(line) as { event?: unknown; i?: unknown };
          if (record.event === "line") seen.add(record.i);
          else events.push(record.event);
        } catch {
          torn++;
        }
      }
      rmSync(dir, { recursive: true, force: true });
      resolve({ numbered: seen.size, torn, events, code });
    });
  });
}

const ENDINGS: ReadonlyArray<readonly [string, string, NodeJS.Signals | undefined, number, string | undefined]> = [
  ["a natural exit", "natural", undefined, 0, undefined],
  ["process.exit(0)", "exit0", undefined, 0, undefined],
  ["process.exit(1)", "exit1", undefined, 1, undefined],
  ["an uncaught exception", "uncaught", undefined, 1, "fatal_error"],
  ["an unhandled rejection", "rejection", undefined, 1, "fatal_error"],
  ["SIGTERM handled by the app", "signal", "SIGTERM", 0, "sigterm_received"],
  ["SIGINT handled by the app", "signal", "SIGINT", 130, "sigint_received"],
];

for (const target of ["stdout to a file", "file writer"] as const) {
  describe(`no line is lost at exit (${target}, ${LINES.toLocaleString("en-US")} lines)`, () => {
    it.each(ENDINGS)("%s", async (_name, mode, signal, code, lastEvent) => {
      const outcome = await run(mode, target, signal);
      expect(outcome.code).toBe(code);
      expect(outcome.torn).toBe(0);
      expect(outcome.numbered).toBe(LINES);
      expect(outcome.events).toEqual(lastEvent === undefined ? [] : [lastEvent]);
    });
  });
}
