// Core throughput benchmark: @structlog/core against pino, winston and bunyan
// in one process, interleaved, with the same fields (2 bound, 3 per call),
// writing to /dev/null. Run: `node --expose-gc bench/core.js` (after a build),
// or `npx -y pnpm@10 bench`. Options: ROUNDS=7 LINES=200000.
import { execFileSync } from "node:child_process";
import { createWriteStream } from "node:fs";
import { fileURLToPath } from "node:url";
import bunyan from "bunyan";
import pino from "pino";
import winston from "winston";
import * as structlog from "../packages/core/dist/index.js";
import { configureProduction } from "./production-config.js";

const ROUNDS = Number(process.env.ROUNDS ?? 7);
const LINES = Number(process.env.LINES ?? 200_000);
const gc = globalThis.gc ?? (() => {});

// --- the setups -----------------------------------------------------------

configureProduction();
const slRoot = structlog.getLogger("bench");
const sl = slRoot.bind({ service: "checkout", region: "eu-west-1" });

// pino's fastest /dev/null destination: asynchronous sonic-boom with a 4 KiB
// buffer. pino keeps its default epoch-ms time (cheaper than our ISO string).
const pinoDest = pino.destination({ dest: "/dev/null", sync: false, minLength: 4096 });
const pinoRoot = pino({ level: "info" }, pinoDest);
const pn = pinoRoot.child({ service: "checkout", region: "eu-west-1" });

const winstonStream = createWriteStream("/dev/null");
const wn = winston
  .createLogger({
    level: "info",
    format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
    transports: [new winston.transports.Stream({ stream: winstonStream })],
  })
  .child({ service: "checkout", region: "eu-west-1" });

const bunyanStream = createWriteStream("/dev/null");
const bn = bunyan
  .createLogger({ name: "bench", level: "info", streams: [{ stream: bunyanStream }] })
  .child({ service: "checkout", region: "eu-west-1" });

await new Promise((resolve) => pinoDest.once("ready", resolve));

const drainStream = (stream) => new Promise((resolve) => (stream.writableLength === 0 ? resolve() : stream.once("drain", resolve)));
const tick = () => new Promise((r) => setImmediate(r));

// Each case logs LINES lines and then waits until its output is written, so
// deferred writes count against the logger that defers them.
const throughput = {
  structlog: {
    run: (n) => {
      for (let i = 0; i < n; i++) sl.info("user_login", { user_id: i, path: "/login", ok: true });
    },
    drain: async () => structlog.flushAll(),
  },
  pino: {
    run: (n) => {
      for (let i = 0; i < n; i++) pn.info({ user_id: i, path: "/login", ok: true }, "user_login");
    },
    drain: async () => {
      pinoDest.flushSync();
    },
  },
  winston: {
    run: (n) => {
      for (let i = 0; i < n; i++) wn.info("user_login", { user_id: i, path: "/login", ok: true });
    },
    drain: async () => {
      await tick();
      await drainStream(winstonStream);
    },
  },
  bunyan: {
    run: (n) => {
      for (let i = 0; i < n; i++) bn.info({ user_id: i, path: "/login", ok: true }, "user_login");
    },
    drain: async () => drainStream(bunyanStream),
  },
};

const disabled = {
  structlog: {
    run: (n) => {
      for (let i = 0; i < n; i++) sl.debug("cache_miss", { key: i, size: 10, hit: false });
    },
    drain: async () => {},
  },
  pino: {
    run: (n) => {
      for (let i = 0; i < n; i++) pn.debug({ key: i, size: 10, hit: false }, "cache_miss");
    },
    drain: async () => {},
  },
};

let sink = 0;
const bindCases = {
  structlog: {
    run: (n) => {
      for (let i = 0; i < n; i++) sink += sl.bind({ order_id: i, user_id: 42 }) ? 1 : 0;
    },
    drain: async () => {},
  },
  pino: {
    run: (n) => {
      for (let i = 0; i < n; i++) sink += pn.child({ order_id: i, user_id: 42 }) ? 1 : 0;
    },
    drain: async () => {},
  },
};

// --- measurement ---------------------------------------------------------

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

async function measure(cases, lines) {
  const names = Object.keys(cases);
  const results = Object.fromEntries(names.map((n) => [n, []]));
  for (const name of names) {
    cases[name].run(Math.min(lines, 20_000)); // warm-up
    await cases[name].drain();
  }
  for (let round = 0; round < ROUNDS; round++) {
    // Rotate the order every round so no logger always runs first.
    const order = names.map((_, i) => names[(i + round) % names.length]);
    for (const name of order) {
      gc();
      const start = process.hrtime.bigint();
      cases[name].run(lines);
      await cases[name].drain();
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      results[name].push(lines / seconds);
    }
  }
  return Object.fromEntries(names.map((n) => [n, median(results[n])]));
}

function table(title, medians, base = "pino") {
  const rows = Object.entries(medians)
    .sort((a, b) => b[1] - a[1])
    .map(([name, ops]) => `| ${name} | ${Math.round(ops).toLocaleString("en-US")} | ${(ops / medians[base]).toFixed(2)}x |`);
  return [`### ${title}`, "", `| logger | ops/s (median of ${ROUNDS}) | vs ${base} |`, "|---|---:|---:|", ...rows, ""].join("\n");
}

async function heapAfterMillion() {
  const mb = (b) => (b / 1024 / 1024).toFixed(1);
  gc();
  await tick();
  gc();
  const baseline = process.memoryUsage().heapUsed;
  for (let batch = 0; batch < 10; batch++) {
    throughput.structlog.run(100_000);
    await throughput.structlog.drain();
    await tick();
  }
  gc();
  await tick();
  gc();
  const after = process.memoryUsage().heapUsed;
  return `### Heap after 1,000,000 lines (structlog)\n\nbaseline ${mb(baseline)} MiB, after ${mb(after)} MiB, difference ${mb(after - baseline)} MiB\n`;
}

// A disabled call is a no-op method for both loggers, and V8 inlines it away
// entirely, which would time an empty loop. So this case runs in a child
// process with inlining off, where each call is a real call.
const DISABLED_TITLE = "Disabled level (debug call, level info; real calls, inlining off)";
if (process.env.BENCH_PART === "disabled") {
  process.stdout.write(table(DISABLED_TITLE, await measure(disabled, LINES * 25)));
  process.exit(0);
}
const disabledTable = execFileSync(process.execPath, ["--expose-gc", "--max-inlined-bytecode-size=0", fileURLToPath(import.meta.url)], {
  env: { ...process.env, BENCH_PART: "disabled" },
  encoding: "utf8",
});

const out = [
  `Node ${process.version}, ${LINES.toLocaleString("en-US")} lines per round, ${ROUNDS} interleaved rounds, output to /dev/null.`,
  "",
  table("JSON lines (2 bound fields, 3 call fields)", await measure(throughput, LINES)),
  disabledTable,
  table("bind() / child() with 2 fields", await measure(bindCases, LINES * 2)),
  await heapAfterMillion(),
];
process.stdout.write(`${out.join("\n")}\n`);
if (sink < 0) console.log(sink);
