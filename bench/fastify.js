// Fastify benchmark: the same app, three setups, each server in its own
// process (no shared heap), loaded in turn by autocannon from this process,
// over 127.0.0.1 only:
//   bare       Fastify without logging;
//   pino       Fastify's built-in pino logger, /dev/null, one request line + one handler line;
//   structlog  Fastify(withStructlog()) with @structlog/fastify, JSON to /dev/null, the same two lines;
//   plugin-only  @structlog/fastify on Fastify() without withStructlog(), the same two lines.
// Rounds are interleaved (the order rotates every round); medians are reported with their
// ranges, and the structlog/pino ratio is taken within each round (both loaded minutes apart at most).
//
// Run after a build, alone on the machine:
//   flock /tmp/bench.lock node bench/fastify.js
// Options (environment): ROUNDS=5 DURATION=5 (seconds per measurement)
// CONNECTIONS=50 WARMUP=3 (seconds per server, before the first round);
// SERVER_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" is passed to the servers.
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const DURATION = Number(process.env.DURATION ?? 5);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 50);
const WARMUP = Number(process.env.WARMUP ?? 3);
const SERVER_ARGS = (process.env.SERVER_ARGS ?? "").split(" ").filter(Boolean);
const SETUPS = ["bare", "pino", "structlog", "plugin-only"];
const serverScript = fileURLToPath(new URL("./fastify-server.js", import.meta.url));

function startServer(setup) {
  return new Promise((resolve, reject) => {
    const child = fork(serverScript, [setup], { execArgv: SERVER_ARGS, stdio: ["ignore", "inherit", "inherit", "ipc"] });
    child.once("message", (message) => resolve({ child, url: `http://127.0.0.1:${message.port}` }));
    child.once("exit", (code) => reject(new Error(`${setup} server exited with code ${code}`)));
  });
}

function cpuOf({ child }) {
  return new Promise((resolve) => {
    const onMessage = (message) => {
      if (typeof message?.cpu !== "number") return;
      child.off("message", onMessage);
      resolve(message.cpu);
    };
    child.on("message", onMessage);
    child.send("cpu");
  });
}

function stopServer({ child }) {
  return new Promise((resolve) => {
    child.removeAllListeners("exit");
    child.once("exit", resolve);
    child.disconnect();
  });
}

let requestNumber = 0;
async function load(server, seconds) {
  const cpuBefore = await cpuOf(server);
  const result = await autocannon({
    url: `${server.url}/orders/42`,
    connections: CONNECTIONS,
    duration: seconds,
    // Each request carries its own id and user, as real traffic would.
    requests: [
      {
        setupRequest(request) {
          requestNumber++;
          request.headers = { ...request.headers, "x-request-id": `bench-${requestNumber}`, "x-user": String(requestNumber % 1000) };
          return request;
        },
      },
    ],
  });
  const cpu = (await cpuOf(server)) - cpuBefore;
  if (result.errors > 0 || result.non2xx > 0) throw new Error(`${server.url}: ${result.errors} errors, ${result.non2xx} non-2xx responses`);
  return { rps: result.requests.average, p99: result.latency.p99, cpuPerRequest: cpu / result.requests.total };
}

const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

const servers = {};
for (const setup of SETUPS) servers[setup] = await startServer(setup);
try {
  for (const setup of SETUPS) await load(servers[setup], WARMUP);
  const results = Object.fromEntries(SETUPS.map((s) => [s, { rps: [], p99: [], cpu: [] }]));
  for (let round = 0; round < ROUNDS; round++) {
    const order = SETUPS.map((_, i) => SETUPS[(i + round) % SETUPS.length]);
    for (const setup of order) {
      const { rps, p99, cpuPerRequest } = await load(servers[setup], DURATION);
      results[setup].rps.push(rps);
      results[setup].p99.push(p99);
      results[setup].cpu.push(cpuPerRequest);
      process.stderr.write(`round ${round + 1}/${ROUNDS} ${setup}: ${Math.round(rps)} req/s, ${cpuPerRequest.toFixed(1)} µs CPU/request\n`);
    }
  }
  const rps = Object.fromEntries(SETUPS.map((s) => [s, median(results[s].rps)]));
  const cpu = Object.fromEntries(SETUPS.map((s) => [s, median(results[s].cpu)]));
  const fmt = (n) => Math.round(n).toLocaleString("en-US");
  const range = (xs, f) => `${f(Math.min(...xs))}–${f(Math.max(...xs))}`;
  const rows = SETUPS.map(
    (s) =>
      `| ${s} | ${fmt(rps[s])} | ${range(results[s].rps, fmt)} | ${(rps[s] / rps.bare).toFixed(2)}x | ${(rps[s] / rps.pino).toFixed(2)}x | ` +
      `${cpu[s].toFixed(1)} | ${range(results[s].cpu, (n) => n.toFixed(1))} | ${(cpu[s] - cpu.bare).toFixed(1)} | ${median(results[s].p99)} |`,
  );
  // Per-round ratios: both setups of a ratio ran in the same round, so slow phases of the machine cancel out.
  const perRound = (a, b) => results[a].rps.map((x, i) => x / results[b].rps[i]);
  const ratio = (xs) => `${median(xs).toFixed(2)}x (rounds ${range(xs, (n) => n.toFixed(2))})`;
  const overBare = results.structlog.cpu.map((x, i) => x - results.bare.cpu[i]);
  const pinoOverBare = results.pino.cpu.map((x, i) => x - results.bare.cpu[i]);
  const overhead = ((1 - rps.structlog / rps.bare) * 100).toFixed(1);
  process.stdout.write(
    [
      `Node ${process.version}, ${ROUNDS} interleaved rounds of ${DURATION} s, ${CONNECTIONS} connections, GET /orders/42 with its own x-request-id.`,
      "",
      "| setup | req/s (median) | req/s range | vs bare | vs pino | server CPU µs/request | CPU range | over bare | p99 ms |",
      "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
      ...rows,
      "",
      `structlog / pino, per round: ${ratio(perRound("structlog", "pino"))} req/s; structlog / bare: ${ratio(perRound("structlog", "bare"))}; ` +
        `structlog / plugin-only: ${ratio(perRound("structlog", "plugin-only"))}.`,
      `Overhead of @structlog/fastify against bare Fastify: ${overhead}% req/s (medians); server CPU over bare per round: ` +
        `${median(overBare).toFixed(1)} µs (rounds ${range(overBare, (n) => n.toFixed(1))}); pino: ${median(pinoOverBare).toFixed(1)} µs ` +
        `(rounds ${range(pinoOverBare, (n) => n.toFixed(1))}).`,
      "",
    ].join("\n"),
  );
} finally {
  for (const setup of SETUPS) await stopServer(servers[setup]);
}
