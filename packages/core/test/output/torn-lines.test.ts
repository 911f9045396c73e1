/**
 * No torn line, whatever writes to the output: the main thread and worker
 * threads, or two loggers with descriptors of their own for one pipe, into
 * a pipe whose reader starts late and reads slowly (real child processes,
 * real pipes), and into a terminal. scripts/torn-lines.js runs the same
 * fixture at the scale of the issue, against pino.
 */
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { fifo } from "./pipes.js";

const fixture = new URL("../fixtures/tear-app.mjs", import.meta.url).pathname;

interface TearRun {
  readonly lines: number;
  readonly torn: number;
  readonly perWriter: Readonly<Record<string, number>>;
}

function count(text: string, separator: string | RegExp): TearRun {
  const perWriter: Record<string, number> = {};
  let lines = 0;
  let torn = 0;
  for (const line of text.split(separator)) {
    if (line === "") continue;
    try {
      const record = JSON.parse(line) as { writer: string };
      perWriter[record.writer] = (perWriter[record.writer] ?? 0) + 1;
      lines++;
    } catch {
      torn++;
    }
  }
  return { lines, torn, perWriter };
}

/** Runs the fixture into a real pipe that nobody reads for `delayMs`, then read in small slow steps. */
function runIntoSlowPipe(args: string[], delayMs: number): Promise<TearRun> {
  const pipe = fifo();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fixture, ...args], { stdio: ["ignore", pipe.writeFd, "inherit"] });
    pipe.parentDone();
    const chunks: Buffer[] = [];
    setTimeout(() => {
      pipe.reader.on("data", (d: Buffer) => {
        chunks.push(d);
        pipe.reader.pause();
        setTimeout(() => pipe.reader.resume(), 1);
      });
      pipe.reader.resume();
    }, delayMs);
    child.on("error", reject);
    pipe.reader.on("end", () => resolve(count(Buffer.concat(chunks).toString("utf8"), "\n")));
  });
}

describe("the main thread and worker threads writing one pipe", () => {
  it("tear no line, and every line arrives", async () => {
    const run = await runIntoSlowPipe(["--workers", "2", "--lines", "6000", "--bytes", "330"], 500);
    expect(run.torn).toBe(0);
    expect(run.perWriter).toEqual({ main: 6000, worker0: 6000, worker1: 6000 });
  });

  it("tear no line of 100 KB either", async () => {
    const run = await runIntoSlowPipe(["--workers", "1", "--lines", "40", "--bytes", "100000"], 300);
    expect(run.torn).toBe(0);
    expect(run.perWriter).toEqual({ main: 40, worker0: 40 });
  });
});

describe("a reader that starts only as the app exits", () => {
  it("still gets every line of 30 KB: the exit flush waits for it", async () => {
    const run = await runIntoSlowPipe(["--workers", "0", "--lines", "60", "--bytes", "30000"], 1000);
    expect(run.torn).toBe(0);
    expect(run.perWriter).toEqual({ main: 60 });
  });
});

describe("two loggers writing one pipe through descriptors of their own (stdout and /dev/stdout)", () => {
  it("tear no line of 100 KB", async () => {
    const run = await runIntoSlowPipe(["--workers", "0", "--lines", "80", "--bytes", "100000", "--dev-stdout"], 300);
    expect(run.torn).toBe(0);
    expect(run.perWriter).toEqual({ "main-0": 40, "main-1": 40 });
  });
});

describe("the main thread and a worker thread writing a terminal", () => {
  it("tear no line", async () => {
    // util-linux `script` gives the app a pseudo-terminal and copies what it shows to our pipe.
    const command = [process.execPath, fixture, "--workers", "1", "--lines", "3000", "--bytes", "330"].map((a) => `'${a}'`).join(" ");
    const text = await new Promise<string>((resolve, reject) => {
      const child = spawn("script", ["-qec", command, "/dev/null"], { stdio: ["ignore", "pipe", "inherit"] });
      const chunks: Buffer[] = [];
      child.stdout.on("data", (d: Buffer) => chunks.push(d));
      child.on("error", reject);
      child.on("close", () => resolve(Buffer.concat(chunks).toString("utf8")));
    });
    // The terminal writes a line's end as CR LF.
    const run = count(text, /\r?\n/);
    expect(run.torn).toBe(0);
    expect(run.perWriter).toEqual({ main: 3000, worker0: 3000 });
  });
});
