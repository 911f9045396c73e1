/**
 * Stalled, slow and broken readers, with real child processes and real
 * pipes: the app never waits for the reader (it finishes its work while
 * nobody reads), memory stays under the bound, every line is delivered or
 * counted, the count stands in a line of its own where the lines are
 * missing, the exit flush waits a bounded time, and a reader that goes
 * away costs the app nothing more. scripts/stalled-reader.js runs the long
 * cases against pino.
 */
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { fifo } from "../output/pipes.js";

const flood = new URL("../fixtures/flood-app.mjs", import.meta.url).pathname;

/** Prints a figure for docs/reliability.md with RELIABILITY_FIGURES=1; a green run stays quiet. */
function figure(text: string): void {
  if (process.env.RELIABILITY_FIGURES !== undefined) console.log(text);
}

interface AppReport {
  readonly done: true;
  readonly lines: number;
  readonly dropped: number;
  readonly maxRssMiB: number;
  readonly peakBuffersMiB: number;
}

interface Delivered {
  readonly numbered: number[];
  readonly counts: Array<{ readonly after: number; readonly dropped: number }>;
  readonly torn: number;
}

function parse(text: string): Delivered {
  const numbered: number[] = [];
  const counts: Array<{ after: number; dropped: number }> = [];
  let torn = 0;
  for (const line of text.split("\n")) {
    if (line === "") continue;
    try {
      const record = JSON.parse(line) as { event: string; i?: number; dropped?: number };
      if (record.event === "flood") numbered.push(record.i as number);
      else if (record.event === "structlog_lines_dropped") counts.push({ after: numbered.at(-1) ?? -1, dropped: record.dropped as number });
    } catch {
      torn++;
    }
  }
  return { numbered, counts, torn };
}

/**
 * Runs the flood app into a real pipe, read "after done": once the app has
 * said it is done (so an app that waited for its reader would never
 * finish), "after exit": once it has exited, or from the start "slowly"
 * (5 ms after each chunk) or at a "trickle" (50 ms after each chunk).
 */
function runFlood(
  args: string[],
  reading: "after done" | "after exit" | "slowly" | "trickle",
): Promise<{ report: AppReport; delivered: Delivered; stderr: string; code: number | null }> {
  const pipe = fifo();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [flood, ...args], { stdio: ["ignore", pipe.writeFd, "pipe"] });
    pipe.parentDone();
    const chunks: Buffer[] = [];
    const read = () => {
      pipe.reader.on("data", (d: Buffer) => {
        chunks.push(d);
        if (reading === "slowly" || reading === "trickle") {
          pipe.reader.pause();
          setTimeout(() => pipe.reader.resume(), reading === "slowly" ? 5 : 50);
        }
      });
      pipe.reader.resume();
    };
    if (reading === "slowly" || reading === "trickle") read();
    let stderr = "";
    child.stderr?.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
      if (reading === "after done" && stderr.includes('"done":true') && chunks.length === 0) read();
    });
    child.on("error", reject);
    const exited = new Promise<number | null>((r) =>
      child.on("exit", (code) => {
        if (reading === "after exit") read();
        r(code);
      }),
    );
    const ended = new Promise((r) => pipe.reader.on("end", r));
    const closed = new Promise((r) => child.on("close", r));
    Promise.all([exited, ended, closed]).then(([code]) => {
      const reportLine = stderr.split("\n").find((l) => l.includes('"done":true')) ?? "{}";
      resolve({ report: JSON.parse(reportLine) as AppReport, delivered: parse(Buffer.concat(chunks).toString("utf8")), stderr, code });
    });
  });
}

/** Every gap in the numbered lines is exactly the count written where it is. */
function expectGapsCounted(delivered: Delivered): void {
  const countedAfter = new Map<number, number>();
  for (const c of delivered.counts) countedAfter.set(c.after, (countedAfter.get(c.after) ?? 0) + c.dropped);
  let previous = -1;
  for (const n of delivered.numbered) {
    if (n !== previous + 1)
      expect({ after: previous, missing: n - previous - 1 }).toEqual({ after: previous, missing: countedAfter.get(previous) });
    previous = n;
  }
}

describe("a reader that stops while the app logs 40 MB (default policy, maxBuffered 4 MiB)", () => {
  it("does not hold the app up: it finishes before anything is read, within the memory bound, and every line is delivered or counted where it is missing", async () => {
    const run = await runFlood(["--megabytes", "40", "--max-buffered-mib", "4"], "after done");
    figure(`stopped reader: ${JSON.stringify(run.report)}, ${run.delivered.counts.length} count lines`);
    expect(run.code).toBe(0);
    expect(run.delivered.torn).toBe(0);
    expect(run.report.dropped).toBeGreaterThan(0);
    const counted = run.delivered.counts.reduce((sum, c) => sum + c.dropped, 0);
    expect(counted).toBe(run.report.dropped);
    expect(run.delivered.numbered.length + counted).toBe(run.report.lines);
    expectGapsCounted(run.delivered);
    // What is pending plus the spare chunks kept for reuse, never much more than the bound.
    expect(run.report.peakBuffersMiB).toBeLessThanOrEqual(4 + 1);
  });
});

describe("a reader that never reads again", () => {
  it("does not keep the app from exiting: the exit flush gives up at its bound and says how many lines it dropped", async () => {
    const run = await runFlood(["--megabytes", "8"], "after exit");
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(
      /structlog: writing to fd 1 failed: Error: the reader took too long at exit \(exitTimeoutMs\); \d+ lines dropped \(reported once\)/,
    );
    expect(run.delivered.torn).toBe(0);
  });
});

describe("a reader slower than the logging, still behind at exit", () => {
  it("gets every line or its count: in count lines, or on stderr for what the exit flush could not write", async () => {
    const run = await runFlood(["--megabytes", "20", "--max-buffered-mib", "2", "--exit-timeout-ms", "200"], "trickle");
    expect(run.code).toBe(0);
    const atExit = /; (\d+) lines dropped(?:, and (\d+) dropped earlier, whose count could not be written)? \(reported once\)/.exec(
      run.stderr,
    );
    expect(atExit).not.toBeNull();
    const counted = run.delivered.counts.reduce((sum, c) => sum + c.dropped, 0);
    const droppedAtExit = Number(atExit?.[1]) + Number(atExit?.[2] ?? 0);
    expect(run.delivered.numbered.length + counted + droppedAtExit).toBe(run.report.lines);
  });
});

describe('a slow reader with overflow "block"', () => {
  it("gets every line, in order, while the app holds at most maxBuffered", async () => {
    const run = await runFlood(["--megabytes", "20", "--overflow", "block", "--max-buffered-mib", "4"], "slowly");
    figure(`slow reader, block: ${JSON.stringify(run.report)}`);
    expect(run.code).toBe(0);
    expect(run.delivered.torn).toBe(0);
    expect(run.report.dropped).toBe(0);
    expect(run.delivered.numbered).toHaveLength(run.report.lines);
    expect(run.delivered.numbered.every((n, i) => n === i)).toBe(true);
    expect(run.report.peakBuffersMiB).toBeLessThanOrEqual(4 + 1);
  });
});

describe("a stderr that nobody reads", () => {
  it("does not hold the app up when structlog reports a failure there", async () => {
    // The app fills its stderr pipe (through a non-blocking descriptor of its
    // own), then makes a processor throw, which is reported on stderr. The
    // pipe's reader (sleep) never reads: a report waiting for it would keep
    // the app from saying "survived" until sleep ends.
    const dist = new URL("../../dist/index.js", import.meta.url).href;
    const script = `
      import * as s from ${JSON.stringify(dist)};
      import { openSync, writeSync, constants } from "node:fs";
      const fd = openSync("/proc/self/fd/2", constants.O_WRONLY | constants.O_NONBLOCK);
      try { for (;;) writeSync(fd, Buffer.alloc(4096, 101)); } catch {}
      const boom = () => { throw new Error("boom"); };
      const log = s.wrapLogger({ msg: (line) => process.stdout.write(line + "\\n") }, { processors: [boom, s.processors.jsonRenderer()] });
      log.info("after_the_report");
      process.stdout.write("survived\\n");
    `;
    const app = `${JSON.stringify(process.execPath)} --input-type=module -e '${script.replace(/'/g, "'\\''")}'`;
    const reader = "(sleep 10; echo reader_gone >&3)";
    const child = spawn("sh", ["-c", `exec 3>&1; ${app} 2>&1 1>&3 | ${reader}`], { stdio: ["ignore", "pipe", "ignore"], detached: true });
    const stdout = await new Promise<string>((resolve) => {
      let text = "";
      child.stdout.setEncoding("utf8").on("data", (d: string) => {
        text += d;
        if (text.includes("survived") || text.includes("reader_gone")) resolve(text);
      });
    });
    process.kill(-(child.pid as number), "SIGKILL");
    expect(stdout).toContain('"event":"after_the_report"');
    expect(stdout).toContain("survived");
    expect(stdout).not.toContain("reader_gone");
  });
});

describe("a reader that goes away (node app.js | head -1)", () => {
  it("costs the app no CPU once it has noticed: it neither crashes nor spins", async () => {
    // The app floods a pipe that head closes, then idles for a second and
    // says how much CPU that second took; a writer retrying the dead pipe
    // would spend it spinning.
    const dist = new URL("../../dist/index.js", import.meta.url).href;
    const script = `
      import * as s from ${JSON.stringify(dist)};
      const factory = s.printLoggerFactory();
      s.configure({ processors: [s.processors.jsonRenderer()], loggerFactory: factory });
      const log = s.getLogger();
      for (let i = 0; i < 200000; i++) log.info("line", { i });
      setTimeout(() => {
        const before = process.cpuUsage();
        setTimeout(() => {
          const idle = process.cpuUsage(before);
          for (let i = 0; i < 100000; i++) log.info("after", { i });
          process.stderr.write(JSON.stringify({ idleCpuMs: (idle.user + idle.system) / 1000, dropped: factory().writer.dropped }) + "\\n");
        }, 1000);
      }, 300);
    `;
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(
        "sh",
        ["-c", `${JSON.stringify(process.execPath)} --input-type=module -e '${script.replace(/'/g, "'\\''")}' | head -1`],
        {
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => {
        stdout += d;
      });
      child.stderr.on("data", (d: Buffer) => {
        stderr += d;
      });
      child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split("\n")).toHaveLength(1);
    const report = JSON.parse(result.stderr.split("\n").find((l) => l.startsWith("{")) ?? "{}") as { idleCpuMs: number; dropped: number };
    figure(`after head -1: ${JSON.stringify(report)}`);
    // An idle second costs a few milliseconds; a spinning writer would take most of it.
    expect(report.idleCpuMs).toBeLessThan(250);
    // Every line after the pipe broke is counted as dropped, the 100,000 "after" lines included.
    expect(report.dropped).toBeGreaterThanOrEqual(100_000);
    expect(result.stderr).toMatch(/structlog: writing to fd 1 failed: .*EPIPE.*\(reported once\)/);
  });
});
