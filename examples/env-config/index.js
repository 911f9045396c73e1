// Development versus production configuration, chosen by ENV (structlog's
// "Production Ready" tutorial section). Shared processors, then a renderer
// per environment; in production, structured exceptions and a level filter.
import * as structlog from "@structlog/core";

const shared = [
  structlog.contextvars.mergeContextVars,
  structlog.processors.addLogLevel,
  structlog.processors.addLoggerName,
  structlog.processors.timeStamper({ fmt: "iso" }),
];

if (process.env.ENV === "production") {
  structlog.configure({
    processors: [...shared, structlog.processors.dictTracebacks, structlog.processors.jsonRenderer()],
    wrapperClass: structlog.makeFilteringBoundLogger("info"),
    cacheLoggerOnFirstUse: true,
  });
} else {
  structlog.configure({
    processors: [...shared, structlog.dev.consoleRenderer({ colors: process.stdout.isTTY })],
    wrapperClass: structlog.makeFilteringBoundLogger("debug"),
  });
}

const log = structlog.getLogger("billing");
log.debug("config_loaded", { env: process.env.ENV ?? "development" });
log.info("invoice_sent", { invoice_id: "INV-7", amount: 129.5, currency: "EUR" });
log.error("charge_failed", { exc_info: new Error("card declined", { cause: new Error("insufficient funds") }) });
