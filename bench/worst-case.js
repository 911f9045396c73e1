// The per-call budget: how long one log call takes with the worst values of
// issue 9 (and a few more), through every renderer, @structlog/core against
// pino 10 where pino takes the same call. Output to /dev/null. Each case is
// called ROUNDS times after one warm-up call; the table gives the median
// and the largest time, and the size of the line written.
//
// Run (after a build): flock /tmp/bench.lock node --expose-gc bench/worst-case.js
// Options: ROUNDS=5
import pino from "pino";
import * as structlog from "../packages/core/dist/index.js";

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const gc = globalThis.gc ?? (() => {});
const p = structlog.processors;

const fields100k = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`f${i}`, "x".repeat(1000)]));
const error100k = new Error("boom");
for (let i = 0; i < 100_000; i++) error100k[`p${i}`] = i;
let dag = "leaf";
for (let i = 0; i < 40; i++) dag = [dag, dag];
const deep = {};
let cursor = deep;
for (let i = 0; i < 10_000; i++) cursor = cursor.next = {};
const bigStrings = new Array(1000).fill("y".repeat(32_768));
const bigMap = new Map(Array.from({ length: 1_000_000 }, (_, i) => [`k${i}`, i]));

const CALLS = [
  ["100,000 fields of 1,000 characters", (log) => log.info("many_fields", fields100k), (pn) => pn.info(fields100k, "many_fields")],
  [
    "exc_info: an Error with 100,000 own properties",
    (log) => log.error("failed", { exc_info: error100k }),
    (pn) => pn.error({ err: error100k }, "failed"),
  ],
  ["1,000 strings of 32 KiB in one array", (log) => log.info("e", { rows: bigStrings }), (pn) => pn.info({ rows: bigStrings }, "e")],
  ["a 40-level DAG (2^40 leaves written out)", (log) => log.info("e", { dag }), undefined],
  ["nesting 10,000 deep", (log) => log.info("e", { deep }), undefined],
  ["a Map of 1,000,000 entries", (log) => log.info("e", { bigMap }), (pn) => pn.info({ bigMap }, "e")],
  [
    "a small event (for scale)",
    (log) => log.info("user_login", { user_id: 42, path: "/login", ok: true }),
    (pn) => pn.info({ user_id: 42 }, "user_login"),
  ],
];

const CHAINS = {
  "JSON (formatExcInfo)": [p.addLogLevel, p.timeStamper({ fmt: "iso" }), p.formatExcInfo, p.jsonRenderer()],
  "JSON (dictTracebacks)": [p.addLogLevel, p.dictTracebacks, p.jsonRenderer()],
  console: [p.addLogLevel, structlog.dev.consoleRenderer({ colors: false })],
  logfmt: [p.addLogLevel, p.logfmtRenderer()],
  "key-value": [p.addLogLevel, p.keyValueRenderer()],
};

function time(call) {
  call(); // warm-up
  const times = [];
  for (let r = 0; r < ROUNDS; r++) {
    gc();
    const start = process.hrtime.bigint();
    call();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], max: times.at(-1) };
}

const fmt = ({ median, max }) =>
  `${median < 10 ? median.toFixed(1) : Math.round(median)} (max ${max < 10 ? max.toFixed(1) : Math.round(max)})`;
const rows = [];
for (const [name, call, pinoCall] of CALLS) {
  const cells = [];
  let bytes = 0;
  for (const chain of Object.values(CHAINS)) {
    const out = structlog.writeLoggerFactory("/dev/null")();
    const log = structlog.wrapLogger(
      {
        msg: (line) => {
          bytes = Math.max(bytes, Buffer.byteLength(line));
          out.msg(line);
        },
      },
      { processors: chain },
    );
    cells.push(fmt(time(() => call(log))));
  }
  let pinoCell = "–";
  if (pinoCall !== undefined) {
    let pinoBytes = 0;
    const dest = {
      write: (s) => {
        pinoBytes = Math.max(pinoBytes, Buffer.byteLength(s));
      },
    };
    const pn = pino({}, dest);
    try {
      pinoCell = `${fmt(time(() => pinoCall(pn)))}, ${(pinoBytes / 1024).toFixed(0)} KiB`;
    } catch (e) {
      pinoCell = `throws: ${e.message.slice(0, 40)}`;
    }
  }
  rows.push(`| ${name} | ${cells.join(" | ")} | ${(bytes / 1024).toFixed(0)} KiB | ${pinoCell} |`);
  process.stderr.write(`${rows.at(-1)}\n`);
}
structlog.flushAll();
process.stdout.write(
  [
    `Node ${process.version}; ms per call, median of ${ROUNDS} (and the largest); the largest structlog line; pino 10 (its default JSON, to a sink that only measures).`,
    "",
    `| call | ${Object.keys(CHAINS).join(" | ")} | structlog line | pino |`,
    `|---|${Object.keys(CHAINS)
      .map(() => "---:")
      .join("|")}|---:|---:|`,
    ...rows,
    "",
  ].join("\n"),
);
