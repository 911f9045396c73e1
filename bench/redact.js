// Redaction benchmark: @structlog/core's redact() processor against pino's
// `redact` option (fast-redact), with the same paths and the same events,
// interleaved rounds in one process, JSON lines to /dev/null. Also each
// logger without redaction, to show what redaction costs each.
//
// Run (after a build): flock /tmp/bench.lock node --expose-gc bench/redact.js
// Options: ROUNDS=7 LINES=100000
import { Writable } from "node:stream";
import pino from "pino";
import * as structlog from "../packages/core/dist/index.js";
import { fields, PATHS } from "./redact-event.js";

const ROUNDS = Number(process.env.ROUNDS ?? 7);
const LINES = Number(process.env.LINES ?? 100_000);
const gc = globalThis.gc ?? (() => {});

function structlogLogger(withRedaction) {
  // Two module-level configurations cannot coexist, so each logger wraps its own output.
  const processors = [
    structlog.processors.addLogLevel,
    structlog.processors.timeStamper({ fmt: "iso" }),
    ...(withRedaction ? [structlog.processors.redact({ paths: PATHS })] : []),
    structlog.processors.jsonRenderer(),
  ];
  return structlog.wrapLogger(structlog.writeLoggerFactory("/dev/null")("bench"), { processors });
}

const pinoDest = pino.destination({ dest: "/dev/null", sync: false, minLength: 4096 });
await new Promise((resolve) => pinoDest.once("ready", resolve));
const pinoRedacting = pino({ redact: { paths: PATHS, censor: "[Redacted]" } }, pinoDest);
const pinoPlain = pino({}, pinoDest);
const slRedacting = structlogLogger(true);
const slPlain = structlogLogger(false);

// Check once that both redact the same things before timing anything.
{
  const out = [];
  const capture = structlog.wrapLogger(
    { msg: (line) => out.push(line) },
    { processors: [structlog.processors.redact({ paths: PATHS }), structlog.processors.jsonRenderer()] },
  );
  capture.info("order", fields(1));
  pino(
    { redact: { paths: PATHS, censor: "[Redacted]" } },
    new Writable({ write: (chunk, _enc, done) => done(out.push(String(chunk)) && null) }),
  ).info(fields(1), "order");
  for (const line of out) {
    for (const secret of ["hunter2", "Bearer", "s3cr3t", '"123"', '"t1"', '"t2"']) {
      if (line.includes(secret)) throw new Error(`${secret} was not redacted in ${line}`);
    }
  }
}

const cases = {
  "structlog redact()": { run: (n) => runLoop(n, (f) => slRedacting.info("order_placed", f)), drain: () => structlog.flushAll() },
  "pino redact": { run: (n) => runLoop(n, (f) => pinoRedacting.info(f, "order_placed")), drain: () => pinoDest.flushSync() },
  "structlog, no redaction": { run: (n) => runLoop(n, (f) => slPlain.info("order_placed", f)), drain: () => structlog.flushAll() },
  "pino, no redaction": { run: (n) => runLoop(n, (f) => pinoPlain.info(f, "order_placed")), drain: () => pinoDest.flushSync() },
};

function runLoop(n, log) {
  for (let i = 0; i < n; i++) log(fields(i));
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const names = Object.keys(cases);
const results = Object.fromEntries(names.map((n) => [n, []]));
for (const name of names) {
  cases[name].run(20_000);
  cases[name].drain();
}
for (let round = 0; round < ROUNDS; round++) {
  for (let k = 0; k < names.length; k++) {
    const name = names[(k + round) % names.length];
    gc();
    const start = process.hrtime.bigint();
    cases[name].run(LINES);
    cases[name].drain();
    results[name].push(LINES / (Number(process.hrtime.bigint() - start) / 1e9));
  }
}
const m = Object.fromEntries(names.map((n) => [n, median(results[n])]));
const rows = names.map((n) => `| ${n} | ${Math.round(m[n]).toLocaleString("en-US")} |`);
process.stdout.write(
  [
    `Node ${process.version}, ${LINES.toLocaleString("en-US")} lines per round, ${ROUNDS} interleaved rounds, /dev/null; paths ${JSON.stringify(PATHS)}.`,
    "",
    "| logger | lines/s (median) |",
    "|---|---:|",
    ...rows,
    "",
    `structlog redact() / pino redact: ${(m["structlog redact()"] / m["pino redact"]).toFixed(2)}x`,
    `redaction cost: structlog ${((1 - m["structlog redact()"] / m["structlog, no redaction"]) * 100).toFixed(0)}%, pino ${((1 - m["pino redact"] / m["pino, no redaction"]) * 100).toFixed(0)}%`,
    "",
  ].join("\n"),
);
