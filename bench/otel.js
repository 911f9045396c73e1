// What addTraceContext() costs per line, with and without an active span,
// next to pino with the mixin @opentelemetry/instrumentation-pino installs
// (reading the same span context), and what the OTel Logs bridge costs.
// One process, interleaved rounds (the order rotates), real SDK
// (NodeTracerProvider: AsyncLocalStorage context manager).
//
// Run: `npx -y pnpm@10 bench:otel` (= build, then `node --expose-gc bench/otel.js`).
// Options: ROUNDS=15 LINES=100000.
import { createRequire } from "node:module";
import pino from "pino";
import * as structlog from "../packages/core/dist/index.js";
import { addTraceContext, otelLoggerFactory, otelRenderer, otelTee } from "../packages/opentelemetry/dist/index.js";

// The OTel packages are @structlog/opentelemetry's devDependencies: load them from there,
// so the bench and the package share one @opentelemetry/api.
const require = createRequire(new URL("../packages/opentelemetry/package.json", import.meta.url));
const { context, trace } = require("@opentelemetry/api");
const { NodeTracerProvider } = require("@opentelemetry/sdk-trace-node");
const { LoggerProvider } = require("@opentelemetry/sdk-logs");

const ROUNDS = Number(process.env.ROUNDS ?? 15);
const LINES = Number(process.env.LINES ?? 100_000);
const gc = globalThis.gc ?? (() => {});

new NodeTracerProvider().register();
const tracer = trace.getTracer("bench");

// --- the setups: the production chain, with and without addTraceContext ----

const writer = structlog.writeLoggerFactory("/dev/null");
const chain = (extra) => [
  structlog.contextvars.mergeContextVars,
  structlog.processors.addLogLevel,
  structlog.processors.timeStamper({ fmt: "iso" }),
  ...extra,
  structlog.processors.formatExcInfo,
  structlog.processors.jsonRenderer(),
];
const loggerWith = (processors, factory = writer) =>
  structlog.wrapLogger(factory("bench"), { processors, cacheLoggerOnFirstUse: true }).bind({ service: "checkout", region: "eu-west-1" });

const plain = loggerWith(chain([]));
const traced = loggerWith(chain([addTraceContext()]));
// The bridge, to a LoggerProvider with no processor: conversion and the SDK's record, no export.
const provider = new LoggerProvider();
const bridged = loggerWith([structlog.contextvars.mergeContextVars, otelRenderer()], otelLoggerFactory({ loggerProvider: provider }));
const teed = loggerWith(chain([addTraceContext(), otelTee({ loggerProvider: provider })]));

const pinoDest = pino.destination({ dest: "/dev/null", sync: false, minLength: 4096 });
const pinoPlain = pino({}, pinoDest).child({ service: "checkout", region: "eu-west-1" });
// What instrumentation-pino's mixin does, without its require hook.
const pinoTraced = pino(
  {
    mixin() {
      const sc = trace.getSpan(context.active())?.spanContext();
      return sc === undefined ? {} : { trace_id: sc.traceId, span_id: sc.spanId, trace_flags: `0${sc.traceFlags.toString(16)}` };
    },
  },
  pinoDest,
).child({ service: "checkout", region: "eu-west-1" });
await new Promise((resolve) => pinoDest.once("ready", resolve));

const logLoop = (log) => (n) => {
  for (let i = 0; i < n; i++) log.info("user_login", { user_id: i, path: "/login", ok: true });
};
const pinoLoop = (log) => (n) => {
  for (let i = 0; i < n; i++) log.info({ user_id: i, path: "/login", ok: true }, "user_login");
};
/** Runs `loop` inside one active span (all its lines are in it). */
const inSpan = (loop) => (n) =>
  tracer.startActiveSpan("request", (span) => {
    loop(n);
    span.end();
  });

const drainStructlog = async () => structlog.flushAll();
const drainPino = async () => pinoDest.flushSync();

const cases = {
  "structlog, no addTraceContext, outside a span": { run: logLoop(plain), drain: drainStructlog },
  "structlog, no addTraceContext, in a span": { run: inSpan(logLoop(plain)), drain: drainStructlog },
  "structlog + addTraceContext, outside a span": { run: logLoop(traced), drain: drainStructlog },
  "structlog + addTraceContext, in a span": { run: inSpan(logLoop(traced)), drain: drainStructlog },
  "pino, no mixin, in a span": { run: inSpan(pinoLoop(pinoPlain)), drain: drainPino },
  "pino + trace mixin, outside a span": { run: pinoLoop(pinoTraced), drain: drainPino },
  "pino + trace mixin, in a span": { run: inSpan(pinoLoop(pinoTraced)), drain: drainPino },
  "otelRenderer + otelLoggerFactory (no export), in a span": { run: inSpan(logLoop(bridged)), drain: async () => {} },
  "JSON + addTraceContext + otelTee (no export), in a span": { run: inSpan(logLoop(teed)), drain: drainStructlog },
};

// --- measurement: ns per line, every round, interleaved ---------------------

/**
 * ns per line of each case, every round. CPU time of this process (user +
 * system, process.cpuUsage()), not wall time: on a shared machine another
 * process taking the core stretches wall time but not our CPU time.
 */
async function measure(cases, lines) {
  const names = Object.keys(cases);
  const ns = Object.fromEntries(names.map((n) => [n, []]));
  for (const name of names) {
    cases[name].run(20_000); // warm-up
    await cases[name].drain();
  }
  for (let round = 0; round < ROUNDS; round++) {
    const order = names.map((_, i) => names[(i + round) % names.length]);
    for (const name of order) {
      gc();
      const start = process.cpuUsage();
      cases[name].run(lines);
      await cases[name].drain();
      const used = process.cpuUsage(start);
      ns[name].push(((used.user + used.system) * 1000) / lines);
    }
  }
  return ns;
}

const sorted = (xs) => [...xs].sort((a, b) => a - b);
const median = (xs) => sorted(xs)[Math.floor(xs.length / 2)];
const fmt = (x) => x.toFixed(0);
const range = (xs) => `${fmt(sorted(xs)[0])}–${fmt(sorted(xs)[xs.length - 1])}`;
/** Per round, `a` minus `b` (the rounds are interleaved, so each pair ran close together). */
const minus = (a, b) => a.map((x, i) => x - b[i]);

// The processor alone, called directly on a fresh event dict per line, against a processor that does nothing.
const nothing = (_l, _m, ed) => ed;
const proc = addTraceContext();
const target = { name: "bench", msg() {} };
let kept = 0;
const callLoop = (p) => (n) => {
  for (let i = 0; i < n; i++) kept += Object.keys(p(target, "info", { event: "user_login", user_id: i })).length;
};
const processorCases = {
  "no-op processor, outside a span": { run: callLoop(nothing), drain: async () => {} },
  "no-op processor, in a span": { run: inSpan(callLoop(nothing)), drain: async () => {} },
  "addTraceContext, outside a span": { run: callLoop(proc), drain: async () => {} },
  "addTraceContext, in a span": { run: inSpan(callLoop(proc)), drain: async () => {} },
};

const ns = await measure(cases, LINES);
const pns = await measure(processorCases, LINES * 5);
const row = (name, xs) => `| ${name} | ${fmt(median(xs))} | ${range(xs)} |`;
const lines = [
  `Node ${process.version}, ${LINES.toLocaleString("en-US")} lines per round, ${ROUNDS} interleaved rounds, output to /dev/null, CPU time per line.`,
  "",
  "### addTraceContext alone (called directly; same-round difference to a no-op processor)",
  "",
  "| cost | median ns | range |",
  "|---|---:|---:|",
  row("outside a span", minus(pns["addTraceContext, outside a span"], pns["no-op processor, outside a span"])),
  row("in a span", minus(pns["addTraceContext, in a span"], pns["no-op processor, in a span"])),
  "",
  "### Whole lines, ns per line",
  "",
  "| case | median | range |",
  "|---|---:|---:|",
  ...Object.entries(ns).map(([name, xs]) => row(name, xs)),
  "",
  "### What the trace ids add to a whole line (same-round differences: the processor and writing 3 more fields)",
  "",
  "| cost | median ns | range |",
  "|---|---:|---:|",
  row(
    "addTraceContext, outside a span",
    minus(ns["structlog + addTraceContext, outside a span"], ns["structlog, no addTraceContext, outside a span"]),
  ),
  row("addTraceContext, in a span", minus(ns["structlog + addTraceContext, in a span"], ns["structlog, no addTraceContext, in a span"])),
  row("pino's trace mixin, in a span", minus(ns["pino + trace mixin, in a span"], ns["pino, no mixin, in a span"])),
  "",
];
process.stdout.write(`${lines.join("\n")}\n`);
if (kept < 0) console.log(kept);
