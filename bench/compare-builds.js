// Two builds of @structlog/core in one process, interleaved: the same chains
// through each, to tell what a change costs on a machine too noisy for two
// separate runs of bench/core.js to agree. Prints, per chain, each build's
// median lines/s and the median (and range) of the per-round ratio B/A.
//
//   node --expose-gc bench/compare-builds.js <dist A> <dist B>
//
// e.g. A = main's build, B = this worktree's:
//   git worktree add /tmp/structlog-main main
//   (cd /tmp/structlog-main && npx -y pnpm@10 install --frozen-lockfile && npx -y pnpm@10 --filter @structlog/core build)
//   flock /tmp/bench.lock node --expose-gc bench/compare-builds.js /tmp/structlog-main/packages/core/dist packages/core/dist
//
// Chains: the production JSON chain of bench/production-config.js on every
// shape of bench/shapes.js (SHAPES=base,error for some), and bench/redact.js's
// redact() event and paths; all to /dev/null. Options: ROUNDS=15 LINES=200000
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { PATHS, fields as redactFields } from "./redact-event.js";
import { SHAPES } from "./shapes.js";

const [distA, distB] = process.argv.slice(2);
if (distA === undefined || distB === undefined) throw new Error("usage: node --expose-gc bench/compare-builds.js <dist A> <dist B>");
const ROUNDS = Number(process.env.ROUNDS ?? 15);
const LINES = Number(process.env.LINES ?? 200_000);
/** SHAPES=base,error: only these shapes of bench/shapes.js (default: all). */
const WANTED = process.env.SHAPES?.split(",");
const gc = globalThis.gc ?? (() => {});

async function load(dist) {
  const s = await import(pathToFileURL(resolve(dist, "index.js")).href);
  const p = s.processors;
  const json = s.wrapLogger(s.writeLoggerFactory("/dev/null")("bench"), {
    processors: [s.contextvars.mergeContextVars, p.addLogLevel, p.timeStamper({ fmt: "iso" }), p.formatExcInfo, p.jsonRenderer()],
    wrapperClass: s.makeFilteringBoundLogger("info"),
    cacheLoggerOnFirstUse: true,
  });
  const shapes = {};
  for (const [name, shape] of Object.entries(SHAPES)) {
    if (WANTED !== undefined && !WANTED.includes(name)) continue;
    const log = shape.setup(json, (l, f) => l.bind(f));
    shapes[`production chain, ${shape.title}`] = (n) => {
      for (let i = 0; i < n; i++) shape.structlog(log, i);
      s.flushAll();
      return n;
    };
  }
  const redacting = s.wrapLogger(s.writeLoggerFactory("/dev/null")("bench"), {
    processors: [p.addLogLevel, p.timeStamper({ fmt: "iso" }), p.redact({ paths: PATHS }), p.jsonRenderer()],
  });
  return {
    // Each returns how many lines it logged (the redacting chain is slower: half as many).
    ...shapes,
    "redact() chain": (n) => {
      const m = Math.ceil(n / 2);
      for (let i = 0; i < m; i++) redacting.info("order_placed", redactFields(i));
      s.flushAll();
      return m;
    },
  };
}

const builds = { A: await load(distA), B: await load(distB) };
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const lines = [
  `Node ${process.version}; A = ${distA}, B = ${distB}; ${ROUNDS} interleaved rounds of ${LINES.toLocaleString("en-US")} lines.`,
  "",
];
lines.push("| chain | A lines/s | B lines/s | B/A median (range) |", "|---|---:|---:|---:|");
for (const chain of Object.keys(builds.A)) {
  const rates = { A: [], B: [] };
  for (const k of ["A", "B"]) builds[k][chain](20_000); // warm-up
  for (let round = 0; round < ROUNDS; round++) {
    for (const k of round % 2 === 0 ? ["A", "B"] : ["B", "A"]) {
      gc();
      const start = process.hrtime.bigint();
      const logged = builds[k][chain](LINES);
      rates[k].push(logged / (Number(process.hrtime.bigint() - start) / 1e9));
    }
  }
  const ratios = rates.B.map((b, i) => b / rates.A[i]).sort((a, b) => a - b);
  const n = (x) => Math.round(x).toLocaleString("en-US");
  lines.push(
    `| ${chain} | ${n(median(rates.A))} | ${n(median(rates.B))} | ${median(ratios).toFixed(3)} (${ratios[0].toFixed(2)}–${ratios.at(-1).toFixed(2)}) |`,
  );
}
process.stdout.write(`${lines.join("\n")}\n`);
