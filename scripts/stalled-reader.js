// A stalled, slow or vanished reader, @structlog/core against pino 10, in
// the same app (packages/core/test/fixtures/flood-app.mjs: 5 MB/s of JSON
// lines of about 200 bytes for SECONDS, with an HTTP server) piped into
// scripts/slow-reader.mjs through a real pipe (`sh -c "app | reader"`):
//
//   stopped: the reader reads nothing for 8 s, then everything;
//   slow:    the reader takes 1 MB/s;
//   gone:    the reader exits after 1 s (EPIPE).
//
// Meanwhile this script probes the app's HTTP server every 20 ms and times
// each answer. It prints one table: probe latency p50/p99/max (and probes
// answered of sent), the app's peak RSS, the lines logged, delivered,
// dropped and counted (structlog's count: in count lines in the output, and
// on stderr for a reader that is gone or too slow at exit; pino counts
// nothing), lost without a count, and how the app ended, and how long after
// its last line (the exit flush: structlog waits up to exitTimeoutMs, 2 s;
// pino until its buffer is written). The figures go in docs/reliability.md.
//
// Run (after a build): flock /tmp/bench.lock node scripts/stalled-reader.js
// Options: SECONDS=10 ROUNDS=1 CASES=stopped,slow,gone LOGGERS=structlog,pino
import { spawn } from "node:child_process";
import { request } from "node:http";
import { fileURLToPath } from "node:url";

const root = new URL("..", import.meta.url);
const app = fileURLToPath(new URL("packages/core/test/fixtures/flood-app.mjs", root));
const reader = fileURLToPath(new URL("scripts/slow-reader.mjs", root));
const SECONDS = Number(process.env.SECONDS ?? 10);
const ROUNDS = Number(process.env.ROUNDS ?? 1);
const CASES = (process.env.CASES ?? "stopped,slow,gone").split(",");
const LOGGERS = (process.env.LOGGERS ?? "structlog,pino").split(",");
const RATE_MBPS = 5;

const READERS = {
  stopped: { args: ["--stop-ms", "8000"], title: "reader stopped for 8 s" },
  slow: { args: ["--rate-mbps", "1"], title: `reader at 1 MB/s, app writing ${RATE_MBPS} MB/s` },
  gone: { args: ["--gone-after-ms", "1000"], title: "reader gone after 1 s (EPIPE)" },
};

const quote = (s) => `'${s.replace(/'/g, "'\\''")}'`;

function probe(port) {
  return new Promise((resolve) => {
    const start = process.hrtime.bigint();
    const req = request({ host: "127.0.0.1", port, path: "/", agent: false, timeout: 30_000 }, (res) => {
      res.resume();
      res.on("end", () => resolve(Number(process.hrtime.bigint() - start) / 1e6));
    });
    req.on("error", () => resolve(undefined));
    req.on("timeout", () => req.destroy());
    req.end();
  });
}

function runCase(logger, name) {
  const command = [
    [process.execPath, app, "--logger", logger, "--rate-mbps", String(RATE_MBPS), "--seconds", String(SECONDS), "--http"]
      .map(quote)
      .join(" "),
    [process.execPath, reader, ...READERS[name].args].map(quote).join(" "),
  ].join(" | ");
  return new Promise((resolve) => {
    const child = spawn("sh", ["-c", command], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    const latencies = [];
    let sent = 0;
    let probing;
    let doneAt;
    const pending = [];
    child.stderr.setEncoding("utf8").on("data", (d) => {
      stderr += d;
      const port = /"port":(\d+)/.exec(stderr)?.[1];
      if (port !== undefined && probing === undefined) {
        probing = setInterval(() => {
          sent++;
          pending.push(probe(Number(port)).then((ms) => ms !== undefined && latencies.push(ms)));
        }, 20);
      }
      if (stderr.includes('"done":true') && probing !== undefined && probing !== null) {
        clearInterval(probing);
        probing = null;
        doneAt = Date.now();
      }
    });
    // Whatever happens, the run ends: a logger that never lets go is killed and says so.
    const limit = setTimeout(() => child.kill("SIGKILL"), (SECONDS + 90) * 1000);
    child.on("close", async (code, signal) => {
      clearTimeout(limit);
      if (probing) clearInterval(probing);
      await Promise.all(pending);
      const json = (pick) =>
        stderr
          .split("\n")
          .filter((l) => l.startsWith("{"))
          .map((l) => JSON.parse(l))
          .find(pick);
      const appReport = json((r) => r.done) ?? {};
      const readerReport = json((r) => r.reader) ?? {};
      const exit = json((r) => "exit" in r);
      const crash = /^(\w*Error)[^\n]*\n/m.exec(stderr.replace(/^structlog: .*$/gm, ""))?.[1];
      // Lines structlog could not write at exit (a reader that will not take them), reported on stderr.
      const exitReport = /took too long at exit[^;]*; (\d+) lines dropped(?:, and (\d+) dropped earlier)?/.exec(stderr);
      const atExit = Number(exitReport?.[1] ?? 0);
      const earlierAtExit = Number(exitReport?.[2] ?? 0);
      let ended = exit === undefined ? "no exit event" : `exit ${exit.exit}`;
      if (signal === "SIGKILL") ended = "killed: still running";
      else if (crash !== undefined) ended = `crashed (${crash})`;
      const exitMs = doneAt === undefined ? undefined : Date.now() - doneAt;
      resolve({ latencies, sent, appReport, readerReport, atExit, earlierAtExit, ended, code, exitMs });
    });
  });
}

const pct = (xs, p) => {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const n = (x) => (x === undefined || x === null ? "–" : Math.round(x).toLocaleString("en-US"));
const ms = (x) => (Number.isNaN(x) ? "–" : x < 10 ? x.toFixed(1) : Math.round(x).toLocaleString("en-US"));

const rows = [];
for (const name of CASES) {
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate who goes first, so neither always runs on a quieter machine.
    const order = round % 2 === 0 ? LOGGERS : [...LOGGERS].reverse();
    for (const logger of order) {
      const r = await runCase(logger, name);
      const { latencies: l, appReport: a, readerReport: rd } = r;
      // structlog's own count: what it dropped while running (overflow, EPIPE), and at exit.
      const counted = logger === "structlog" ? (a.dropped ?? 0) + r.atExit : 0;
      const where = logger === "structlog" ? ` (${n(rd.counted)} in count lines, ${n(r.atExit + r.earlierAtExit)} on stderr at exit)` : "";
      const uncounted = (a.lines ?? 0) - (rd.flood ?? 0) - counted;
      rows.push(
        `| ${READERS[name].title} | ${logger} | ${ms(pct(l, 50))} / ${ms(pct(l, 99))} / ${ms(Math.max(...l))} | ${n(l.length)} of ${n(r.sent)} | ${n(a.maxRssMiB)} | ${n(a.lines)} | ${n(rd.flood)} | ${n(counted)}${where} | ${n(uncounted)} | ${r.ended}, ${(r.exitMs / 1000).toFixed(1)} s after its last line |`,
      );
      process.stderr.write(`${rows.at(-1)}\n`);
    }
  }
}
process.stdout.write(
  [
    `Node ${process.version}; the app logs ${RATE_MBPS} MB/s for ${SECONDS} s; probes every 20 ms; ${ROUNDS} round(s), loggers alternating.`,
    "",
    "| case | logger | probe ms p50 / p99 / max | probes answered | peak RSS MiB | lines logged | delivered | dropped and counted | lost, not counted | app ended |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ...rows,
    "",
  ].join("\n"),
);
