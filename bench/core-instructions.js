// Instructions per line, for callgrind (the count does not move with other
// load on the machine, unlike lines/s): one logger of bench/core.js (the same
// setups, bench/core-setups.js) on one shape of bench/shapes.js, a warm-up of
// WARMUP lines (default 10,000 times the shape's scale) and then N lines.
//   node bench/core-instructions.js <structlog|pino|pino-batch|floor> <shape> <N>
// Per line = the difference of two runs, which takes out start-up and warm-up:
//   valgrind --tool=callgrind --callgrind-out-file=/tmp/a node bench/core-instructions.js pino nested 5000
//   valgrind --tool=callgrind --callgrind-out-file=/tmp/b node bench/core-instructions.js pino nested 15000
//   then (Collected of b - Collected of a) / 10000.
// `floor` is a logger whose methods only keep their argument (and read the
// stacks of an error's cause chain): the cost of the call's argument alone
// (the `{ ...wide100, i }` spread, building the errors and formatting their
// stacks), which no logger can go under. DIST=<dir> loads another build of @structlog/core.
//
// Figures on main at ad83b8c (Node v20.20.2, valgrind 3.19; instructions per
// line; N1/N2 = 5,000/15,000, wide100 2,000/6,000, errorFresh 1,000/3,000):
//   shape        structlog  pino-batch     pino    floor
//   base             9,268      15,120   44,192       ~0
//   wide20          88,959      94,262  120,976   55,102
//   wide100        459,482     463,481  493,304  299,125
//   nested          59,977      53,022   73,574    2,040   (a second pair: 57,639 / - / 76,995 / 2,433)
//   error           16,286      77,603  103,490      206
//   errorFresh     336,398     302,296  338,528   93,092   (floor without reading the stacks)
//   bind10          21,353      16,798   55,012       ~0
// Read these as +-5k: start-up alone moves by up to ~50M instructions from
// run to run (a pair of nested runs on the same build gave 48.8k and 84.3k
// once), so take N2 - N1 >= 40,000 for the small shapes and run node with
// --single-threaded-gc (no GC helper threads, whose work callgrind counts).
// With both (5,000/45,000): nested 58.4k on main, 58.1k after aeac0cd; base
// 10.6k -> 9.2k. wide20 (5,000/25,000), two pairs: 90.9k / 92.0k on main,
// 98.1k / 91.1k after.
// errorFresh at 5622008 (1,000/5,000, --single-threaded-gc), the floor reading
// the stacks: floor 237.0k, pino-batch 302.4k, pino 341.4k, structlog 316.9k;
// 1.5x pino (227.6k) is under the floor.
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { setups } from "./core-setups.js";
import { SHAPES } from "./shapes.js";

const [which = "structlog", part = "base", n = "10000"] = process.argv.slice(2);
const DIST = resolve(process.env.DIST ?? fileURLToPath(new URL("../packages/core/dist", import.meta.url)));
const shape = SHAPES[part];
if (shape === undefined) throw new Error(`unknown shape ${part}: ${Object.keys(SHAPES).join(", ")}`);

/**
 * Keeps every argument it is given, so building it is not optimised away,
 * and reads the stack of each error of an exc_info's cause chain, which any
 * logger that writes the error must (V8 formats a stack when it is first read).
 */
async function floorSetup() {
  let kept;
  let stacks = 0;
  const root = {
    info: (a, b) => {
      kept = b ?? a;
    },
    error: (a, b) => {
      kept = b ?? a;
      for (let e = b?.exc_info; e instanceof Error; e = e.cause) stacks += e.stack.length;
    },
  };
  return { root, bind: (l) => l, drain: async () => [kept, stacks] };
}

const all = { ...setups(DIST), floor: floorSetup };
if (all[which] === undefined) throw new Error(`unknown logger ${which}: ${Object.keys(all).join(", ")}`);
const setup = await all[which]();
const log = shape.setup(setup.root, setup.bind);
const call = which === "structlog" || which === "floor" ? shape.structlog : shape.pino;
const run = (lines) => {
  for (let i = 0; i < lines; i++) call(log, i);
};
run(Number(process.env.WARMUP ?? Math.round(10_000 * (shape.scale ?? 1))));
await setup.drain();
run(Number(n));
await setup.drain();
