/**
 * Runs test/fixtures/exit-app.mjs in a child process with real stdio (a
 * pipe, Node's socket pair, stdout redirected to a file, or the file
 * writer) and reads what arrived: the numbered lines per event, the other
 * events in order, and the lines that do not parse.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fifo } from "./pipes.js";

const fixture = new URL("../fixtures/exit-app.mjs", import.meta.url).pathname;

/** "pipe": a real pipe (FIFO); "socket": Node's `stdio: "pipe"`, a Unix socket pair. */
export type Output = "pipe" | "socket" | "stdout to a file" | "file writer";

export interface AppOptions {
  readonly mode: string;
  readonly lines: number;
  readonly output: Output;
  /** Sent once the app says it is ready (mode "signal"). */
  readonly signal?: NodeJS.Signals;
  readonly lateExitLines?: number;
  readonly workerLines?: number;
}

export interface AppRun {
  readonly code: number | null;
  /** For each numbered event (line, late_exit, worker_line): how many distinct numbers arrived. */
  readonly numbered: Readonly<Record<string, number>>;
  /** The other events, in order. */
  readonly events: readonly unknown[];
  readonly torn: number;
}

export function runApp(options: AppOptions): Promise<AppRun> {
  const dir = mkdtempSync(join(tmpdir(), "structlog-exit-"));
  const file = join(dir, "out.log");
  const args = [fixture, "--mode", options.mode, "--lines", String(options.lines)];
  args.push("--target", options.output === "file writer" ? `file:${file}` : "stdout");
  if (options.lateExitLines !== undefined) args.push("--late-exit-lines", String(options.lateExitLines));
  if (options.workerLines !== undefined) args.push("--worker-lines", String(options.workerLines));
  const pipe = options.output === "pipe" ? fifo() : undefined;
  const stdout =
    pipe?.writeFd ?? (options.output === "socket" ? "pipe" : options.output === "stdout to a file" ? openSync(file, "w") : "ignore");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", stdout, "pipe"] });
    pipe?.parentDone();
    const chunks: Buffer[] = [];
    const reader = pipe?.reader ?? child.stdout;
    reader?.on("data", (d: Buffer) => chunks.push(d));
    reader?.resume();
    const readerDone = new Promise((r) => (reader === null || reader === undefined ? r(undefined) : reader.on("end", r).on("close", r)));
    child.stderr?.setEncoding("utf8").on("data", (d: string) => {
      if (options.signal !== undefined && d.includes("ready")) child.kill(options.signal);
    });
    child.on("error", reject);
    child.on("close", async (code) => {
      await readerDone;
      const text = reader !== null && reader !== undefined ? Buffer.concat(chunks).toString("utf8") : readFileSync(file, "utf8");
      rmSync(dir, { recursive: true, force: true });
      resolve({ code, ...count(text) });
    });
  });
}

function count(text: string): Omit<AppRun, "code"> {
  const seen: Record<string, Set<unknown>> = {};
  const events: unknown[] = [];
  let torn = 0;
  for (const line of text.split("\n")) {
    if (line === "") continue;
    let record: { event?: unknown; i?: unknown };
    try {
      record = JSON.parse(line);
    } catch {
      torn++;
      continue;
    }
    if (typeof record.event === "string" && typeof record.i === "number") {
      seen[record.event] ??= new Set();
      seen[record.event]?.add(record.i);
    } else events.push(record.event);
  }
  return { numbered: Object.fromEntries(Object.entries(seen).map(([event, set]) => [event, set.size])), events, torn };
}
