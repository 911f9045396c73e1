// Soak test: drives the Fastify and Express example apps with concurrent
// load (autocannon, 127.0.0.1 only) for a set time, reading every line they
// write, and checks three things:
//   1. every line's request_id matches its request: request n is sent as
//      GET /orders/<n> with x-request-id soak-<n>, so a line with
//      order_id <n> or path /orders/<n> must carry request_id soak-<n>,
//      and every request has its request_completed line;
//   2. memory is flat: the server's RSS, sampled every second, does not
//      grow from the first third of the run to the last;
//   3. no line is torn: every line of stdout parses as JSON.
//
// Run (after a build, outside the test suite; it takes 2 × SOAK_SECONDS):
//   flock /tmp/bench.lock node scripts/soak.js
// Options: SOAK_SECONDS=60 CONNECTIONS=32 APPS=fastify-app,express-app
// Exits 1 when a check fails.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";

const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 32);
const APPS = (process.env.APPS ?? "fastify-app,express-app").split(",");
// Memory may grow this much from the first third to the last before it counts as not flat.
const RSS_GROWTH_LIMIT_MIB = Number(process.env.RSS_GROWTH_LIMIT_MIB ?? 16);

const mib = (bytes) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

function rssOf(pid) {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Starts an example app on a free port; resolves once it logs server_listening. */
function startApp(name) {
  const cwd = fileURLToPath(new URL(`../examples/${name}/`, import.meta.url));
  const child = spawn(process.execPath, ["server.js"], { cwd, env: { ...process.env, PORT: "0" }, stdio: ["ignore", "pipe", "inherit"] });
  const stats = { lines: 0, torn: 0, mismatched: [], completed: new Set(), duplicates: 0, events: new Map() };
  let rest = "";
  let onListening;
  const listening = new Promise((resolve) => {
    onListening = resolve;
  });
  child.stdout.setEncoding("utf8").on("data", (chunk) => {
    const lines = (rest + chunk).split("\n");
    rest = lines.pop() ?? "";
    for (const line of lines) check(line, stats, onListening);
  });
  const closed = new Promise((resolve) =>
    child.on("close", (code) => {
      if (rest !== "") stats.torn++; // a last line without its newline
      resolve(code);
    }),
  );
  return { child, stats, listening, closed };
}

function check(line, stats, onListening) {
  stats.lines++;
  let record;
  try {
    record = JSON.parse(line);
  } catch {
    stats.torn++;
    return;
  }
  if (record.event === "server_listening") {
    onListening(record.port ?? Number(new URL(record.address).port));
    return;
  }
  stats.events.set(record.event, (stats.events.get(record.event) ?? 0) + 1);
  const id = record.request_id;
  if (id === undefined) return;
  const n = /^soak-(\d+)$/.exec(id)?.[1];
  const expected = record.order_id !== undefined ? String(record.order_id) : /^\/orders\/(\d+)$/.exec(record.path ?? "")?.[1];
  if (n === undefined || (expected !== undefined && expected !== n))
    stats.mismatched.push({ request_id: id, order_id: record.order_id, path: record.path });
  if (record.event === "request_completed") {
    if (stats.completed.has(id)) stats.duplicates++;
    stats.completed.add(id);
  }
}

async function soak(name) {
  const app = startApp(name);
  const port = await app.listening;
  const samples = [];
  const sampler = setInterval(() => {
    const rss = rssOf(app.child.pid);
    if (rss !== undefined) samples.push(rss);
  }, 1000);
  let sent = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [
      {
        method: "GET",
        setupRequest: (request) => {
          const n = sent++;
          return {
            ...request,
            path: `/orders/${n}`,
            headers: { ...request.headers, "x-request-id": `soak-${n}`, authorization: "Bearer token-alice" },
          };
        },
      },
    ],
  });
  clearInterval(sampler);
  app.child.kill("SIGTERM");
  const code = await app.closed;
  const third = Math.max(1, Math.floor(samples.length / 3));
  const early = median(samples.slice(0, third));
  const late = median(samples.slice(-third));
  const { stats } = app;
  const answered = result.requests.total;
  // Requests autocannon set up but that never got an answer (cut at the end) have no line; every answered one must.
  const missing = Math.max(0, answered - stats.completed.size);
  return {
    name,
    code,
    requests: answered,
    rps: Math.round(result.requests.average),
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    lines: stats.lines,
    torn: stats.torn,
    mismatched: stats.mismatched.length,
    firstMismatch: stats.mismatched[0],
    missing,
    duplicates: stats.duplicates,
    rssEarlyMiB: mib(early),
    rssLateMiB: mib(late),
    rssMaxMiB: mib(Math.max(...samples)),
    flat: late - early <= RSS_GROWTH_LIMIT_MIB * 1024 * 1024,
    events: Object.fromEntries(stats.events),
  };
}

const rows = [];
let failed = false;
for (const name of APPS) {
  const r = await soak(name);
  const ok = r.torn === 0 && r.mismatched === 0 && r.missing === 0 && r.duplicates === 0 && r.flat && r.errors === 0;
  failed ||= !ok;
  rows.push(
    `| ${r.name} | ${r.requests.toLocaleString("en-US")} | ${r.rps.toLocaleString("en-US")} | ${r.lines.toLocaleString("en-US")} | ${r.torn} | ${r.mismatched} | ${r.missing} | ${r.rssEarlyMiB} → ${r.rssLateMiB} (max ${r.rssMaxMiB}) | ${ok ? "pass" : "FAIL"} |`,
  );
  if (!ok) console.error(JSON.stringify(r, null, 2));
}
process.stdout.write(
  [
    `Node ${process.version}, ${SECONDS} s per app, ${CONNECTIONS} connections, 127.0.0.1.`,
    "",
    "| app | requests | req/s | lines | torn | request_id mismatches | requests without their line | server RSS MiB, first third → last third | result |",
    "|---|---:|---:|---:|---:|---:|---:|---|---|",
    ...rows,
    "",
  ].join("\n"),
);
process.exitCode = failed ? 1 : 0;
