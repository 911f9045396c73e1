// The three loggers of bench/core.js, one place for it and for
// bench/core-instructions.js: all write to /dev/null; `bind(logger, fields)`
// makes a child, `drain()` waits until the output is written.
// - structlog: the production chain (production-config.js) through writeLoggerFactory, its batched writer;
// - pino: pino's fastest /dev/null destination, asynchronous sonic-boom with
//   minLength 4096, and ISO time (as structlog writes);
// - pino-batch: pino's own serializer (ISO time) writing through a 64 KiB
//   batched writeSync, as structlog's writer does, so the comparison is of
//   the serializers.
import { openSync, writeSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import pino from "pino";
import { productionConfig } from "./production-config.js";

/** The setups by name; structlog's is loaded from `dist` (packages/core/dist or another build). */
export function setups(dist) {
  async function structlogSetup() {
    const s = await import(pathToFileURL(resolve(dist, "index.js")).href);
    s.configure(productionConfig(s));
    return { root: s.getLogger("bench"), bind: (l, f) => l.bind(f), drain: async () => s.flushAll() };
  }

  async function pinoSetup() {
    const dest = pino.destination({ dest: "/dev/null", sync: false, minLength: 4096 });
    await new Promise((r) => dest.once("ready", r));
    const root = pino({ level: "info", timestamp: pino.stdTimeFunctions.isoTime }, dest);
    return { root, bind: (l, f) => l.child(f), drain: async () => dest.flushSync() };
  }

  /** pino's serializer through a 64 KiB batch written with writeSync, flushed at the end of the turn. */
  async function pinoBatchSetup() {
    const fd = openSync("/dev/null", "a");
    let batch = "";
    let scheduled = false;
    const flush = () => {
      scheduled = false;
      if (batch.length > 0) writeSync(fd, batch);
      batch = "";
    };
    const stream = {
      write(s) {
        batch += s;
        if (batch.length >= 64 * 1024) flush();
        else if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      },
    };
    const root = pino({ level: "info", timestamp: pino.stdTimeFunctions.isoTime }, stream);
    return { root, bind: (l, f) => l.child(f), drain: async () => flush() };
  }

  return { structlog: structlogSetup, pino: pinoSetup, "pino-batch": pinoBatchSetup };
}
