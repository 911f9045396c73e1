// The production JSON chain every benchmark measures (issue 2's chain):
// context variables, level, ISO timestamp, exceptions, JSON, through the
// buffered writer to /dev/null. One place, so the benchmarks cannot drift apart.

/** The production configuration, built from `s`, a build of @structlog/core (its index module). */
export function productionConfig(s) {
  return {
    processors: [
      s.contextvars.mergeContextVars,
      s.processors.addLogLevel,
      s.processors.timeStamper({ fmt: "iso" }),
      s.processors.formatExcInfo,
      s.processors.jsonRenderer(),
    ],
    wrapperClass: s.makeFilteringBoundLogger("info"),
    loggerFactory: s.writeLoggerFactory("/dev/null"),
    cacheLoggerOnFirstUse: true,
  };
}

/** Configures this repository's build of structlog as in production, writing to /dev/null. */
export async function configureProduction() {
  const s = await import("../packages/core/dist/index.js");
  s.configure(productionConfig(s));
}
