// How the example's processes log: one JSON object per line in production,
// structlog's console layout in development (coloured only on a terminal).
import * as structlog from "@structlog/core";

/** Configures structlog; `json` picks the production renderer. */
export function configureLogging({ json }) {
  structlog.configure({
    processors: [
      structlog.contextvars.mergeContextVars,
      structlog.processors.addLogLevel,
      structlog.processors.addLoggerName,
      structlog.processors.timeStamper({ fmt: "iso" }),
      structlog.processors.formatExcInfo,
      json ? structlog.processors.jsonRenderer() : structlog.dev.consoleRenderer(),
    ],
  });
}
