/**
 * No line lost at exit, 100,000 lines, in every way a process ends, with
 * stdout redirected to a file and with the file writer. (Stdout to a pipe is
 * covered by test/output/exit.test.ts; bench/exit-loss.js runs the whole
 * table, pipe included, against pino.) The fixture is the one the benchmark
 * runs for both loggers, so the app's handlers are the same.
 */
import { describe, expect, it } from "vitest";
import { runApp } from "../output/run-app.js";

const LINES = 100_000;

const ENDINGS: ReadonlyArray<readonly [string, string, NodeJS.Signals | undefined, number, string | undefined]> = [
  ["a natural exit", "natural", undefined, 0, undefined],
  ["process.exit(0)", "exit0", undefined, 0, undefined],
  ["process.exit(1)", "exit1", undefined, 1, undefined],
  ["an uncaught exception", "uncaught", undefined, 1, "fatal_error"],
  ["an unhandled rejection", "rejection", undefined, 1, "fatal_error"],
  ["SIGTERM handled by the app", "signal", "SIGTERM", 0, "sigterm_received"],
  ["SIGINT handled by the app", "signal", "SIGINT", 130, "sigint_received"],
];

for (const output of ["stdout to a file", "file writer"] as const) {
  describe(`no line is lost at exit (${output}, ${LINES.toLocaleString("en-US")} lines)`, () => {
    it.each(ENDINGS)("%s", async (_name, mode, signal, code, lastEvent) => {
      const run = await runApp({ mode, lines: LINES, output, ...(signal === undefined ? {} : { signal }) });
      expect(run.code).toBe(code);
      expect(run.torn).toBe(0);
      expect(run.numbered.line).toBe(LINES);
      expect(run.events).toEqual(lastEvent === undefined ? [] : [lastEvent]);
    });

    it("keeps the lines of an exit handler registered after the first line, and a worker's lines", async () => {
      const run = await runApp({ mode: "exit0", lines: LINES, output, lateExitLines: 10, workerLines: 10_000 });
      expect(run).toMatchObject({ code: 0, numbered: { line: LINES, late_exit: 10, worker_line: 10_000 }, torn: 0 });
    });
  });
}
