// Instruction counts for docs/request-control.md: the machine these figures
// come from is too busy for wall-clock nanoseconds, and callgrind's count of
// instructions does not depend on the load. Runs a warm-up, then `n` units of
// one case; the cost of a unit is (Ir(n) - Ir(0)) / n:
//
//   for n in 0 1000000; do
//     valgrind --tool=callgrind --callgrind-out-file=/dev/null --smc-check=all \
//       node bench/request-control-ir.js packages/core/dist filtered-outside $n 2>&1 | grep Collected
//   done
//
// Cases, a filtered call (log.debug on a logger at info):
//   filtered-outside    outside any scope
//   filtered-elsewhere  in a plain scope, while a control scope is open elsewhere
//   filtered-inscope    in a control scope that keeps the level
// and a request (a scope, 5 debug lines, 1 info line, JSON to /dev/null):
//   request-plain       boundContextVars() scope, logger at info (debug lines filtered)
//   request-debug       the same at debug (every line written)
//   request-held        withLogControl({ holdBelow: "info" }): held and discarded
// Give another build's dist (e.g. main's) to compare.
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [dist, kase, n] = process.argv.slice(2);
if (dist === undefined || kase === undefined || n === undefined)
  throw new Error("usage: node bench/request-control-ir.js <core dist> <case> <n>");
const s = await import(pathToFileURL(resolve(dist, "index.js")).href);
const p = s.processors;
const make = (level) =>
  s
    .wrapLogger(s.writeLoggerFactory("/dev/null")("bench"), {
      processors: [s.contextvars.mergeContextVars, p.addLogLevel, p.timeStamper({ fmt: "iso" }), p.formatExcInfo, p.jsonRenderer()],
      wrapperClass: s.makeFilteringBoundLogger(level),
    })
    .bind({ service: "checkout" });
const log = make(kase === "request-debug" ? "debug" : "info");
const fields = { a: 1 };

function filtered(m) {
  for (let i = 0; i < m; i++) log.debug("filtered", fields);
}
function body() {
  for (let step = 0; step < 5; step++) log.debug("cache_lookup", { step, key: "user:42", hit: step % 2 === 0 });
  log.info("request_completed", { status_code: 200, duration_ms: 1.5 });
}
const HOLD = { holdBelow: "info", maxHeld: 100 };

const cases = {
  "filtered-outside": filtered,
  "filtered-elsewhere": (m) => {
    let done;
    s.withLogControl({ holdBelow: "info" }, () => new Promise((r) => (done = r)));
    s.contextvars.boundContextVars({ request_id: 1 }, () => filtered(m));
    done();
  },
  "filtered-inscope": (m) => s.withLogControl({ flushLevel: "error" }, () => filtered(m)),
  "request-plain": (m) => {
    for (let i = 0; i < m; i++) s.contextvars.boundContextVars({ request_id: i }, body);
  },
  "request-debug": (m) => {
    for (let i = 0; i < m; i++) s.contextvars.boundContextVars({ request_id: i }, body);
  },
  "request-held": (m) => {
    for (let i = 0; i < m; i++) s.withLogControl(HOLD, () => s.contextvars.boundContextVars({ request_id: i }, body));
  },
};
const run = cases[kase];
if (run === undefined) throw new Error(`unknown case ${kase}; the cases are ${Object.keys(cases).join(", ")}`);
run(kase.startsWith("filtered") ? 200_000 : 5_000); // warm-up: the code is optimised before the count that matters
run(Number(n));
s.flushAll();
