// Express benchmark: bare Express, Express + pino-http, Express +
// @structlog/express, each server in its own child process on 127.0.0.1,
// loaded by autocannon from this process in interleaved rounds (the order
// rotates every round). Reports the median requests/s and server CPU time
// per request of the rounds, and the median of each round's ratios (a ratio
// within one round compares runs a few seconds apart, so it is steadier than
// a ratio of medians when other work on the machine comes and goes).
// Run after a build, one benchmark at a time:
//   flock /tmp/bench.lock node bench/express.js
// Options: ROUNDS=11 DURATION=3 (s) WARMUP=3 (s) CONNECTIONS=32 EXPRESS=5 (or 4).
import { fork } from "node:child_process";
import { once } from "node:events";
import autocannon from "autocannon";

const ROUNDS = Number(process.env.ROUNDS ?? 11);
const DURATION = Number(process.env.DURATION ?? 3);
const WARMUP = Number(process.env.WARMUP ?? 3);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 32);
const EXPRESS = process.env.EXPRESS ?? "5";
const SETUPS = ["bare", "pino-http", "structlog"];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

async function start(setup) {
  const child = fork(new URL("./express-server.js", import.meta.url), [setup, EXPRESS], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const [message] = await once(child, "message");
  return { setup, child, url: `http://127.0.0.1:${message.port}/orders/42` };
}

async function cpuOf(child) {
  child.send("cpu");
  const [message] = await once(child, "message");
  return message.cpu.user + message.cpu.system;
}

/** Loads one server for `duration` seconds: requests/s, latency, and the server's CPU time per request. */
async function load({ url, child }, duration) {
  const cpuBefore = await cpuOf(child);
  const result = await autocannon({ url, connections: CONNECTIONS, duration, pipelining: 1 });
  const cpu = (await cpuOf(child)) - cpuBefore;
  if (result.errors > 0 || result.non2xx > 0) throw new Error(`${url}: ${result.errors} errors, ${result.non2xx} non-2xx responses`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, cpuUs: cpu / result.requests.total };
}

const servers = [];
for (const setup of SETUPS) servers.push(await start(setup));
try {
  for (const s of servers) await load(s, WARMUP);
  const results = Object.fromEntries(SETUPS.map((s) => [s, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const order = servers.map((_, i) => servers[(i + round) % servers.length]);
    for (const s of order) {
      const r = await load(s, DURATION);
      results[s.setup].push(r);
      console.error(`round ${round + 1}/${ROUNDS} ${s.setup}: ${Math.round(r.rps)} req/s, ${r.cpuUs.toFixed(1)} µs CPU/req`);
    }
  }
  const ratio = (s, base, key) => median(results[s].map((r, i) => r[key] / results[base][i][key]));
  const med = Object.fromEntries(
    SETUPS.map((s) => [
      s,
      {
        rps: median(results[s].map((r) => r.rps)),
        p50: median(results[s].map((r) => r.p50)),
        p99: median(results[s].map((r) => r.p99)),
        cpuUs: median(results[s].map((r) => r.cpuUs)),
        vsBare: ratio(s, "bare", "rps"),
        vsPino: ratio(s, "pino-http", "rps"),
        cpuVsPino: ratio(s, "pino-http", "cpuUs"),
      },
    ]),
  );
  const fmt = (n) => Math.round(n).toLocaleString("en-US");
  console.log(
    [
      `Express ${EXPRESS}, Node ${process.version}, ${CONNECTIONS} connections, ${ROUNDS} rounds of ${DURATION} s (medians; ratios are medians of per-round ratios)`,
      "",
      "| setup | req/s | req/s vs bare | req/s vs pino-http | server CPU µs/req | CPU vs pino-http | p50 ms | p99 ms |",
      "|---|---:|---:|---:|---:|---:|---:|---:|",
      ...SETUPS.map(
        (s) =>
          `| ${s} | ${fmt(med[s].rps)} | ${med[s].vsBare.toFixed(2)}x | ${med[s].vsPino.toFixed(2)}x | ${med[s].cpuUs.toFixed(1)} | ${med[s].cpuVsPino.toFixed(2)}x | ${med[s].p50} | ${med[s].p99} |`,
      ),
    ].join("\n"),
  );
} finally {
  for (const s of servers) s.child.disconnect();
}
