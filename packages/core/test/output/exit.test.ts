/**
 * No line is lost at exit, stdout to a pipe: every way a process ends, lines
 * logged in the app's own late exit handler, and a worker thread's lines.
 * (reliability/exit-loss.test.ts runs 100,000 lines to files.)
 */
import { describe, expect, it } from "vitest";
import { runApp } from "./run-app.js";

const LINES = 20_000;

describe("no line is lost at exit (stdout to a pipe)", () => {
  it.each([
    ["a natural exit", "natural", 0],
    ["process.exit(0)", "exit0", 0],
    ["process.exit(1)", "exit1", 1],
  ] as const)("%s", async (_name, mode, code) => {
    const run = await runApp({ mode, lines: LINES, output: "pipe" });
    expect(run.code).toBe(code);
    expect(run).toMatchObject({ numbered: { line: LINES }, events: [], torn: 0 });
  });

  it.each([
    ["an uncaught exception", "uncaught"],
    ["an unhandled rejection", "rejection"],
  ])("%s, with the fatal error's own line", async (_name, mode) => {
    const run = await runApp({ mode, lines: LINES, output: "pipe" });
    expect(run).toMatchObject({ code: 1, numbered: { line: LINES }, events: ["fatal_error"], torn: 0 });
  });

  it.each([
    ["SIGTERM", "sigterm_received", 0],
    ["SIGINT", "sigint_received", 130],
  ] as const)("%s handled by the app", async (signal, event, code) => {
    const run = await runApp({ mode: "signal", lines: LINES, output: "pipe", signal });
    expect(run).toMatchObject({ code, numbered: { line: LINES }, events: [event], torn: 0 });
  });
});

describe("lines logged in an exit handler the app registered after its first line", () => {
  it.each(["natural", "exit0"])("all arrive, after every earlier line (%s)", async (mode) => {
    const run = await runApp({ mode, lines: 1000, output: "pipe", lateExitLines: 3 });
    expect(run).toMatchObject({ code: 0, numbered: { line: 1000, late_exit: 3 }, torn: 0 });
  });
});

describe('no line is lost at exit (stdout to Node\'s socket pair, stdio: "pipe")', () => {
  it.each(["exit0", "uncaught"])("%s", async (mode) => {
    const run = await runApp({ mode, lines: LINES, output: "socket", lateExitLines: 3, workerLines: 1000 });
    expect(run).toMatchObject({ numbered: { line: LINES, late_exit: 3, worker_line: 1000 }, torn: 0 });
  });
});

describe("a worker thread's lines", () => {
  it.each(["exit0", "natural", "uncaught"])("all arrive when the main thread ends while the worker is alive (%s)", async (mode) => {
    const run = await runApp({ mode, lines: 100, output: "pipe", workerLines: 5000 });
    expect(run).toMatchObject({ numbered: { line: 100, worker_line: 5000 }, torn: 0 });
  });
});
