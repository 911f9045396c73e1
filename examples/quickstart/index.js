// The quick example from structlog's tutorial, translated literally.
// Run: `node examples/quickstart/index.js` (dev console) or
// `ENV=production node examples/quickstart/index.js` (one JSON object per line).
import * as structlog from "@structlog/core";

const production = process.env.ENV === "production";
structlog.configure({
  processors: [
    structlog.contextvars.mergeContextVars,
    structlog.processors.addLogLevel,
    structlog.processors.addLoggerName,
    structlog.processors.timeStamper({ fmt: "iso" }),
    structlog.processors.stackInfoRenderer(),
    structlog.processors.formatExcInfo,
    production ? structlog.processors.jsonRenderer() : structlog.dev.consoleRenderer({ colors: true }),
  ],
  wrapperClass: structlog.makeFilteringBoundLogger("debug"),
  loggerFactory: structlog.printLoggerFactory(),
  cacheLoggerOnFirstUse: true,
});

const log = structlog.getLogger("myapp");
log.info("app_started", { version: "1.2.3" });
log.info("hello, %s!", "world");
log.debug("values", { more_than_strings: [1, 2, 3], nested: { ok: true }, none: null });

const orderLog = log.bind({ order_id: "ORD-101", user_id: 42 });
orderLog.bind({ item_count: 3 }).error("payment_failed", { error: "Invalid payment method", retry: false });

try {
  JSON.parse("{not json");
} catch (err) {
  orderLog.exception("order_import_failed", { exc_info: err });
}
