// Runs the example: `npm start` (or `node server.js`), then
//   curl -H "Authorization: Bearer token-alice" -H "x-request-id: demo-1" localhost:3000/orders/42
// Lines are JSON on stdout. PORT=0 picks a free port (the test uses it).
import * as structlog from "@structlog/core";
import { createApp } from "./app.js";

structlog.configure({
  processors: [
    structlog.contextvars.mergeContextVars,
    structlog.processors.addLogLevel,
    structlog.processors.addLoggerName,
    structlog.processors.timeStamper({ fmt: "iso" }),
    structlog.processors.formatExcInfo,
    structlog.processors.jsonRenderer(),
  ],
  wrapperClass: structlog.makeFilteringBoundLogger(process.env.LOG_LEVEL ?? "info"),
  cacheLoggerOnFirstUse: true,
});

const log = structlog.getLogger("server");
const server = createApp().listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? "127.0.0.1", () => {
  log.info("server_listening", { port: server.address().port });
});

function shutdown(signal) {
  log.info("server_stopping", { signal });
  server.close(() => {
    structlog.flushAll();
    process.exit(0);
  });
  server.closeIdleConnections();
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
