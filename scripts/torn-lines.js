// Torn lines at the scale of issue 9, @structlog/core against pino 10, with
// the same app (packages/core/test/fixtures/tear-app.mjs) into a slow pipe,
// `sh -c "app | (sleep 1.5; cat)"`:
//
//   threads: the main thread and a worker thread, 30,000 lines of 330 bytes each;
//   big lines: a logger on stdout and one on /dev/stdout, 80 lines of 100 KB;
//   both: two worker threads and the main thread, 2,000 lines of 20 KB each.
//
// Counts the lines that arrive whole, the torn ones (a line that does not
// parse), and those structlog dropped and counted (its bound is 16 MiB: the
// first case logs 20 MB while nobody reads for 1.5 s). test/output/torn-lines.test.ts runs smaller versions in the test
// command. The figures go in docs/reliability.md.
//
// Run (after a build): flock /tmp/bench.lock node scripts/torn-lines.js
// Options: ROUNDS=3 LOGGERS=structlog,pino
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const app = fileURLToPath(new URL("../packages/core/test/fixtures/tear-app.mjs", import.meta.url));
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const LOGGERS = (process.env.LOGGERS ?? "structlog,pino").split(",");

const CASES = [
  ["main thread + worker thread, 2 × 30,000 lines of 330 B", ["--workers", "1", "--lines", "30000", "--bytes", "330"], 60_000],
  ["stdout + /dev/stdout, 80 lines of 100 KB", ["--workers", "0", "--lines", "80", "--bytes", "100000", "--dev-stdout"], 80],
  ["main thread + 2 workers, 3 × 2,000 lines of 20 KB", ["--workers", "2", "--lines", "2000", "--bytes", "20000"], 6000],
];

const quote = (s) => `'${s.replace(/'/g, "'\\''")}'`;

function run(logger, args) {
  const command = `${[process.execPath, app, "--logger", logger, ...args].map(quote).join(" ")} | (sleep 1.5; cat)`;
  return new Promise((resolve) => {
    const child = spawn("sh", ["-c", command], { stdio: ["ignore", "pipe", "ignore"] });
    const chunks = [];
    child.stdout.on("data", (d) => chunks.push(d));
    child.on("close", () => {
      let whole = 0;
      let torn = 0;
      let counted = 0;
      for (const line of Buffer.concat(chunks).toString("utf8").split("\n")) {
        if (line === "") continue;
        try {
          const record = JSON.parse(line);
          if (record.event === "structlog_lines_dropped") counted += record.dropped;
          else whole++;
        } catch {
          torn++;
        }
      }
      resolve({ whole, torn, counted });
    });
  });
}

const rows = [];
for (const [name, args, expected] of CASES) {
  const cells = [];
  for (const logger of LOGGERS) {
    const results = [];
    for (let round = 0; round < ROUNDS; round++) results.push(await run(logger, args));
    const range = (key) => {
      const xs = results.map((r) => r[key]);
      const [lo, hi] = [Math.min(...xs), Math.max(...xs)].map((x) => x.toLocaleString("en-US"));
      return lo === hi ? lo : `${lo}–${hi}`;
    };
    const counted = logger === "structlog" ? `, ${range("counted")} dropped and counted` : "";
    cells.push(`${range("torn")} torn, ${range("whole")} whole${counted}`);
  }
  rows.push(`| ${name} (${expected.toLocaleString("en-US")} lines) | ${cells.join(" | ")} |`);
  process.stderr.write(`${rows.at(-1)}\n`);
}
process.stdout.write(
  [
    `Node ${process.version}; \`app | (sleep 1.5; cat)\`; range over ${ROUNDS} rounds.`,
    "",
    `| case | ${LOGGERS.join(" | ")} |`,
    `|---|${LOGGERS.map(() => "---").join("|")}|`,
    ...rows,
    "",
  ].join("\n"),
);
