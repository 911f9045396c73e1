// Lines lost at exit, @structlog/core against pino, in the same scenarios:
// a child process writes LINES lines and then ends naturally, by
// process.exit(0) / process.exit(1), an uncaught exception, an unhandled
// rejection, or SIGTERM / SIGINT handled by the app (which logs a line and
// exits); and two more: the app's own exit handler, registered after the
// first line, logs 10 lines; a worker thread logs 10,000 lines and the main
// thread calls process.exit(0) while the worker is alive. Output goes to a
// pipe, to a file as stdout, and through the file writer (pino:
// pino.destination(file), asynchronous). Counts the numbered lines that
// arrived and whether the last line (the fatal error's or the signal's)
// arrived.
//
// Run (after a build): flock /tmp/bench.lock node bench/exit-loss.js
// Options: LINES=100000 ROUNDS=1 LOGGERS=structlog,pino
import { spawn } from "node:child_process";
import { mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const fixture = fileURLToPath(new URL("../packages/core/test/fixtures/exit-app.mjs", import.meta.url));
const LINES = Number(process.env.LINES ?? 100_000);
const ROUNDS = Number(process.env.ROUNDS ?? 1);
const LOGGERS = (process.env.LOGGERS ?? "structlog,pino").split(",");

// [name, mode, signal, last event, extra fixture arguments, the numbered event counted and how many]
const ENDINGS = [
  ["natural exit", "natural", undefined, undefined],
  ["process.exit(0)", "exit0", undefined, undefined],
  ["process.exit(1)", "exit1", undefined, undefined],
  ["uncaught exception", "uncaught", undefined, "fatal_error"],
  ["unhandled rejection", "rejection", undefined, "fatal_error"],
  ["SIGTERM (handled)", "signal", "SIGTERM", "sigterm_received"],
  ["SIGINT (handled)", "signal", "SIGINT", "sigint_received"],
  ["app's exit handler, registered late: its 10 lines", "exit0", undefined, undefined, ["--late-exit-lines", "10"], ["late_exit", 10]],
  ["worker thread's 10,000 lines, process.exit(0)", "exit0", undefined, undefined, ["--worker-lines", "10000"], ["worker_line", 10_000]],
];
const TARGETS = ["pipe", "stdout to a file", "file writer"];

/** Runs one scenario; resolves to { lost, torn, lastLine }. */
export function runScenario(which, mode, target, signal, lastEvent, extra = [], counted = ["line", LINES], lines = LINES) {
  const dir = mkdtempSync(join(tmpdir(), "exit-loss-"));
  const file = join(dir, "out.log");
  let stdout = "ignore";
  let arg = "stdout";
  if (target === "pipe") stdout = "pipe";
  else if (target === "stdout to a file") stdout = openSync(file, "w");
  else arg = `file:${file}`;
  return new Promise((resolve, reject) => {
    const args = [fixture, "--logger", which, "--mode", mode, "--lines", String(lines), "--target", arg, ...extra];
    const child = spawn(process.execPath, args, { stdio: ["ignore", stdout, "pipe"] });
    const chunks = [];
    child.stdout?.on("data", (d) => chunks.push(d));
    child.stderr.setEncoding("utf8").on("data", (d) => {
      if (signal !== undefined && d.includes("ready")) child.kill(signal);
    });
    child.on("error", reject);
    child.on("close", () => {
      const text = target === "pipe" ? Buffer.concat(chunks).toString("utf8") : readFileSync(file, "utf8");
      rmSync(dir, { recursive: true, force: true });
      resolve(count(text, lastEvent, counted));
    });
  });
}

function count(text, lastEvent, [countedEvent, expected]) {
  const seen = new Set();
  let torn = 0;
  let last = false;
  for (const line of text.split("\n")) {
    if (line === "") continue;
    let record;
    try {
      record = JSON.parse(line);
    } catch {
      torn++;
      continue;
    }
    const event = record.event ?? record.msg;
    if (event === countedEvent) seen.add(record.i);
    else if (event === lastEvent) last = true;
  }
  return { lost: expected - seen.size, torn, lastLine: lastEvent === undefined ? null : last };
}

const cell = (r) =>
  `${r.lost.toLocaleString("en-US")}${r.torn > 0 ? ` (+${r.torn} torn)` : ""}${r.lastLine === false ? ", last line lost" : ""}`;

async function main() {
  const header = ["| ending | output |", ...LOGGERS.map((l) => ` ${l} lost |`)].join("");
  const rows = [header, `|---|---|${LOGGERS.map(() => "---:|").join("")}`];
  for (const [name, mode, signal, lastEvent, extra, counted] of ENDINGS) {
    for (const target of TARGETS) {
      const cells = [];
      for (const which of LOGGERS) {
        let worst;
        for (let round = 0; round < ROUNDS; round++) {
          const r = await runScenario(which, mode, target, signal, lastEvent, extra, counted);
          if (worst === undefined || r.lost + r.torn > worst.lost + worst.torn || r.lastLine === false) worst = r;
        }
        cells.push(cell(worst));
      }
      rows.push(`| ${name} | ${target} | ${cells.join(" | ")} |`);
    }
  }
  process.stdout.write(
    `Node ${process.version}, ${LINES.toLocaleString("en-US")} lines per run, worst of ${ROUNDS} round(s); lines lost of ${LINES.toLocaleString("en-US")}.\n\n${rows.join("\n")}\n`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
