// The cost of scope control (docs/request-control.md), in one process,
// interleaved rounds, medians with ranges:
//
// 1. Per request: a scope, 5 debug lines and 1 info line, JSON to /dev/null,
//    through the production chain of bench/production-config.js at "info":
//    - plain: boundContextVars() scope, the debug lines filtered (no-ops);
//    - plain at debug: every line written (what seeing debug lines costs without holding);
//    - fingers-crossed, held and discarded: withLogControl({ holdBelow: "info" }), the request ends well;
//    - fingers-crossed, failed: the same, ending with an error line, so the held lines are written.
// 2. Per HTTP request through Fastify (app.inject, no socket): a handler
//    that logs 5 debug lines through a module logger and answers 200, with
//    the plugin plain, and with logControl: { holdBelow: "info" } (held and
//    discarded). Same chain and output as 1.
// 3. Per filtered call (log.debug on a logger at info): outside any scope;
//    inside a boundContextVars() scope while a control scope is open
//    elsewhere; inside a control scope that does not lower the level. With a
//    second build given (e.g. main's), its filtered call outside any scope
//    runs in the same rounds, for the cost of the hook itself.
//
//   node --expose-gc bench/request-control.js [<baseline core dist>]
//   e.g. flock /tmp/bench.lock node --expose-gc bench/request-control.js /tmp/structlog-main/packages/core/dist
//
// Options: ROUNDS=11 REQUESTS=50000 CALLS=5000000
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import * as s from "../packages/core/dist/index.js";
import { structlogPlugin } from "../packages/fastify/dist/index.js";

// Fastify is a dependency of the Fastify package, not of the repository root.
const require = createRequire(new URL("../packages/fastify/package.json", import.meta.url));
const { default: Fastify } = await import(pathToFileURL(require.resolve("fastify")).href);

const ROUNDS = Number(process.env.ROUNDS ?? 11);
const REQUESTS = Number(process.env.REQUESTS ?? 50_000);
const CALLS = Number(process.env.CALLS ?? 5_000_000);
const gc = globalThis.gc ?? (() => {});
const baselineDist = process.argv[2];

function chainFor(lib, level) {
  const p = lib.processors;
  return lib.wrapLogger(lib.writeLoggerFactory("/dev/null")("bench"), {
    processors: [lib.contextvars.mergeContextVars, p.addLogLevel, p.timeStamper({ fmt: "iso" }), p.formatExcInfo, p.jsonRenderer()],
    wrapperClass: lib.makeFilteringBoundLogger(level),
  });
}

const atInfo = chainFor(s, "info").bind({ service: "checkout" });
const atDebug = chainFor(s, "debug").bind({ service: "checkout" });

function requestBody(log, fail) {
  for (let step = 0; step < 5; step++) log.debug("cache_lookup", { step, key: "user:42", hit: step % 2 === 0 });
  if (fail) log.error("request_completed", { status_code: 500, duration_ms: 1.5 });
  else log.info("request_completed", { status_code: 200, duration_ms: 1.5 });
}

const HOLD = { holdBelow: "info", maxHeld: 100 };
const perRequest = {
  plain: (n) => {
    for (let i = 0; i < n; i++) s.contextvars.boundContextVars({ request_id: i }, () => requestBody(atInfo, false));
  },
  "plain at debug (every line written)": (n) => {
    for (let i = 0; i < n; i++) s.contextvars.boundContextVars({ request_id: i }, () => requestBody(atDebug, false));
  },
  "fingers-crossed, held and discarded": (n) => {
    for (let i = 0; i < n; i++) {
      s.withLogControl(HOLD, () => s.contextvars.boundContextVars({ request_id: i }, () => requestBody(atInfo, false)));
    }
  },
  "fingers-crossed, failed (held lines written)": (n) => {
    for (let i = 0; i < n; i++) {
      s.withLogControl(HOLD, () => s.contextvars.boundContextVars({ request_id: i }, () => requestBody(atInfo, true)));
    }
  },
};

function filteredLoop(log, n) {
  for (let i = 0; i < n; i++) log.debug("filtered", { i });
}

async function fastifyApp(options) {
  const app = Fastify();
  await app.register(structlogPlugin, { logger: atInfo, ...options });
  app.get("/orders/:id", async (request) => {
    for (let step = 0; step < 5; step++) atInfo.debug("cache_lookup", { step, key: "user:42", order_id: request.params.id });
    return { ok: true };
  });
  await app.ready();
  return async (n) => {
    for (let i = 0; i < n; i++) await app.inject("/orders/7");
  };
}
const perHttpRequest = {
  "Fastify plugin, plain": await fastifyApp({}),
  "Fastify plugin, logControl (held and discarded)": await fastifyApp({ logControl: { holdBelow: "info" } }),
};

const perCall = {
  "outside any scope": (n) => filteredLoop(atInfo, n),
  "in a plain scope, a control scope open elsewhere": (n) => {
    let done;
    // An open control scope elsewhere makes every filtered call look up its scope.
    s.withLogControl({ holdBelow: "info" }, () => new Promise((r) => (done = r)));
    s.contextvars.boundContextVars({ request_id: 1 }, () => filteredLoop(atInfo, n));
    done();
  },
  "in a control scope that keeps the level": (n) => s.withLogControl({ flushLevel: "error" }, () => filteredLoop(atInfo, n)),
};
if (baselineDist !== undefined) {
  const base = await import(pathToFileURL(resolve(baselineDist, "index.js")).href);
  const baseLog = chainFor(base, "info").bind({ service: "checkout" });
  perCall["outside any scope, baseline build"] = (n) => filteredLoop(baseLog, n);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));

async function measure(cases, n, unit) {
  const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (const fn of Object.values(cases)) await fn(Math.ceil(n / 20)); // warm up
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, fn] of Object.entries(cases)) {
      gc();
      const t0 = process.hrtime.bigint();
      await fn(n);
      s.flushAll();
      times[name].push(Number(process.hrtime.bigint() - t0) / n);
      await new Promise((r) => setImmediate(r));
    }
  }
  const first = Object.keys(cases)[0];
  const out = [`| ${unit} | ns median (range) | ÷ ${first}, median of per-round ratios (range) |`, "|---|---:|---:|"];
  for (const [name, ts] of Object.entries(times)) {
    const ratios = ts.map((t, i) => t / times[first][i]);
    out.push(
      `| ${name} | ${fmt(median(ts))} (${fmt(Math.min(...ts))}–${fmt(Math.max(...ts))}) | ${median(ratios).toFixed(2)} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}) |`,
    );
  }
  return out.join("\n");
}

console.log(`Node ${process.version}; ${ROUNDS} interleaved rounds; a busy shared machine: compare the ratios, not the ns.\n`);
console.log(`Per request (5 debug lines + 1 info line, ${REQUESTS.toLocaleString("en-US")} requests a round):\n`);
console.log(await measure(perRequest, REQUESTS, "request"));
console.log(
  `\nPer HTTP request through Fastify (5 debug lines + the request line, ${(REQUESTS / 10).toLocaleString("en-US")} requests a round):\n`,
);
console.log(await measure(perHttpRequest, REQUESTS / 10, "request"));
console.log(`\nPer filtered call (log.debug on a logger at info, ${CALLS.toLocaleString("en-US")} calls a round):\n`);
console.log(await measure(perCall, CALLS, "filtered call"));
