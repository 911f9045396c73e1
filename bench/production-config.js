// The production JSON chain every benchmark measures (issue 2's chain):
// context variables, level, ISO timestamp, exceptions, JSON, through the
// buffered writer to /dev/null. One place, so the benchmarks cannot drift apart.
import * as structlog from "../packages/core/dist/index.js";

/** Configures structlog as in production, writing to /dev/null. */
export function configureProduction() {
  structlog.configure({
    processors: [
      structlog.contextvars.mergeContextVars,
      structlog.processors.addLogLevel,
      structlog.processors.timeStamper({ fmt: "iso" }),
      structlog.processors.formatExcInfo,
      structlog.processors.jsonRenderer(),
    ],
    wrapperClass: structlog.makeFilteringBoundLogger("info"),
    loggerFactory: structlog.writeLoggerFactory("/dev/null"),
    cacheLoggerOnFirstUse: true,
  });
}
