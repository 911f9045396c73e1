// Core throughput benchmark (issue 10): @structlog/core against pino 10 on
// every event shape of bench/shapes.js, plus a disabled call, bind() against
// child(), and the heap over 1,000,000 lines.
//
//   npx -y pnpm@10 bench         # = pnpm build && node --expose-gc bench/core.js
//   options: ROUNDS=5 LINES=100000 SHAPES=base,wide20 DIST=packages/core/dist
//
// Three loggers, all writing to /dev/null with 2 bound fields:
// - structlog: the production chain (bench/production-config.js) through
//   writeLoggerFactory, its batched writer;
// - pino: pino's fastest /dev/null destination, asynchronous sonic-boom with
//   minLength 4096, and ISO time (as structlog writes);
// - pino-batch: pino's own serializer (ISO time) writing through a 64 KiB
//   batched writeSync, as structlog's writer does, so the comparison is of
//   the serializers.
//
// Every measurement runs in a fresh process (one logger, one shape), so no
// logger runs in a heap or JIT state another one left; the rounds are
// interleaved and the order of the loggers rotates every round. Each run
// logs LINES lines and then waits until its output is written. Reported:
// the median lines/s of each logger, and the median (and range) over the
// rounds of each round's ratio.
import { execFileSync } from "node:child_process";
import { loadavg } from "node:os";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { setups } from "./core-setups.js";
import { SHAPES } from "./shapes.js";

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const LINES = Number(process.env.LINES ?? 100_000);
const DIST = resolve(process.env.DIST ?? fileURLToPath(new URL("../packages/core/dist", import.meta.url)));
const SELF = fileURLToPath(import.meta.url);
const gc = globalThis.gc ?? (() => {});
const tick = () => new Promise((r) => setImmediate(r));

/** One measurement: `LOGGER` on `SHAPE`, printed as JSON on stdout. */
async function child() {
  const which = process.env.BENCH_LOGGER;
  const part = process.env.BENCH_PART;
  const setup = await setups(DIST)[which]();
  const kind = which === "structlog" ? "structlog" : "pino";
  let sink = 0;
  let run;
  if (part === "disabled") {
    const log = setup.bind(setup.root, { service: "checkout", region: "eu-west-1" });
    run =
      kind === "structlog"
        ? (n) => {
            for (let i = 0; i < n; i++) log.debug("cache_miss", { key: i, size: 10, hit: false });
          }
        : (n) => {
            for (let i = 0; i < n; i++) log.debug({ key: i, size: 10, hit: false }, "cache_miss");
          };
  } else if (part === "bind") {
    const log = setup.bind(setup.root, { service: "checkout", region: "eu-west-1" });
    run = (n) => {
      for (let i = 0; i < n; i++) sink += setup.bind(log, { order_id: i, user_id: 42 }) ? 1 : 0;
    };
  } else {
    const shape = SHAPES[part];
    const log = shape.setup(setup.root, setup.bind);
    const call = shape[kind];
    run = (n) => {
      for (let i = 0; i < n; i++) call(log, i);
    };
  }
  const lines = Number(process.env.BENCH_LINES);
  if (process.env.BENCH_HEAP === "1") {
    const mib = (b) => b / 1024 / 1024;
    run(20_000);
    await setup.drain();
    gc();
    await tick();
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let batch = 0; batch < 10; batch++) {
      run(lines / 10);
      await setup.drain();
      await tick();
    }
    gc();
    await tick();
    gc();
    const after = process.memoryUsage().heapUsed;
    process.stdout.write(JSON.stringify({ before: mib(before), after: mib(after) }));
    return;
  }
  run(Math.min(lines, 20_000)); // warm-up
  await setup.drain();
  gc();
  const start = process.hrtime.bigint();
  run(lines);
  await setup.drain();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  process.stdout.write(JSON.stringify({ rate: lines / seconds, sink }));
}

// --- the parent ------------------------------------------------------------

function measureOnce(logger, part, lines, extra = []) {
  const out = execFileSync(process.execPath, ["--expose-gc", ...extra, SELF], {
    env: { ...process.env, BENCH_CHILD: "1", BENCH_LOGGER: logger, BENCH_PART: part, BENCH_LINES: String(lines) },
    encoding: "utf8",
  });
  return JSON.parse(out);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmtRate = (x) => Math.round(x).toLocaleString("en-US");
const fmtRatio = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return `${median(s).toFixed(2)}x (${s[0].toFixed(2)}–${s.at(-1).toFixed(2)})`;
};

/** Interleaved rounds of `loggers` on `part`; returns each logger's rates by round. */
function rounds(loggers, part, lines, extra) {
  const rates = Object.fromEntries(loggers.map((l) => [l, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const order = loggers.map((_, i) => loggers[(i + round) % loggers.length]);
    for (const logger of order) rates[logger].push(measureOnce(logger, part, lines, extra).rate);
  }
  return rates;
}

function ratios(rates, a, b) {
  return rates[a].map((x, i) => x / rates[b][i]);
}

async function parent() {
  const wanted = process.env.SHAPES?.split(",") ?? [...Object.keys(SHAPES), "disabled", "bind", "heap"];
  const load = () =>
    loadavg()
      .map((x) => x.toFixed(1))
      .join(" ");
  const out = [
    `Node ${process.version}; ${ROUNDS} interleaved rounds, each logger and shape in a fresh process; ${LINES.toLocaleString("en-US")} lines per run (fewer for the slow shapes: bench/shapes.js); output to /dev/null; load average at start ${load()}.`,
    "",
    "| shape | structlog lines/s | pino lines/s | pino-batch lines/s | structlog / pino | structlog / pino-batch |",
    "|---|---:|---:|---:|---:|---:|",
  ];
  const loggers = ["structlog", "pino", "pino-batch"];
  for (const part of Object.keys(SHAPES).filter((s) => wanted.includes(s))) {
    const rates = rounds(loggers, part, Math.round(LINES * (SHAPES[part].scale ?? 1)));
    out.push(
      `| ${SHAPES[part].title} | ${fmtRate(median(rates.structlog))} | ${fmtRate(median(rates.pino))} | ${fmtRate(median(rates["pino-batch"]))} | ${fmtRatio(ratios(rates, "structlog", "pino"))} | ${fmtRatio(ratios(rates, "structlog", "pino-batch"))} |`,
    );
    process.stderr.write(`${out.at(-1)}\n`);
  }
  out.push("", "| case | structlog ops/s | pino ops/s | structlog / pino |", "|---|---:|---:|---:|");
  // A disabled call is a no-op method for both loggers, which V8 inlines
  // away entirely (an empty loop); with inlining off each call is a real call.
  // At about 200M calls/s, a run needs tens of millions of calls to last
  // long enough (here 0.25 s) for a round to be steadier than the timer and
  // the first optimisation: with 5M calls (30 ms) single rounds read 0.7x to 1.7x.
  if (wanted.includes("disabled")) {
    const rates = rounds(["structlog", "pino"], "disabled", LINES * 500, ["--max-inlined-bytecode-size=0"]);
    out.push(
      `| disabled call (debug at level info; inlining off) | ${fmtRate(median(rates.structlog))} | ${fmtRate(median(rates.pino))} | ${fmtRatio(ratios(rates, "structlog", "pino"))} |`,
    );
  }
  if (wanted.includes("bind")) {
    const rates = rounds(["structlog", "pino"], "bind", LINES * 5);
    out.push(
      `| bind() / child() with 2 fields | ${fmtRate(median(rates.structlog))} | ${fmtRate(median(rates.pino))} | ${fmtRatio(ratios(rates, "structlog", "pino"))} |`,
    );
  }
  if (wanted.includes("heap")) {
    const env = {
      ...process.env,
      BENCH_CHILD: "1",
      BENCH_LOGGER: "structlog",
      BENCH_PART: "base",
      BENCH_LINES: "1000000",
      BENCH_HEAP: "1",
    };
    const { before, after } = JSON.parse(execFileSync(process.execPath, ["--expose-gc", SELF], { env, encoding: "utf8" }));
    out.push(
      "",
      `Heap over 1,000,000 lines (structlog, base shape): ${before.toFixed(1)} MiB before, ${after.toFixed(1)} MiB after (${(after - before).toFixed(1)} MiB).`,
    );
  }
  process.stdout.write(`${out.join("\n")}\n`);
}

if (process.env.BENCH_CHILD === "1") await child();
else await parent();
