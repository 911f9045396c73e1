// Fastify with the OpenTelemetry SDK: every line of a request carries its
// trace_id and span_id (addTraceContext), and every event also goes to the
// OpenTelemetry Logs SDK (otelTee), which attaches the same ids.
//
//   node --import ./instrumentation.js server.js     (PORT=3000 by default; PORT=0 picks a free one)
//   curl -H 'traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' localhost:3000/orders/7
import * as structlog from "@structlog/core";
import { structlogPlugin } from "@structlog/fastify";
import { addTraceContext, otelTee } from "@structlog/opentelemetry";
import Fastify from "fastify";
import { reserve } from "./stock.js";

structlog.configure({
  processors: [
    structlog.contextvars.mergeContextVars,
    structlog.processors.addLogLevel,
    structlog.processors.addLoggerName,
    structlog.processors.timeStamper({ fmt: "iso" }),
    addTraceContext(),
    otelTee(),
    structlog.processors.formatExcInfo,
    structlog.processors.jsonRenderer(),
  ],
});

const app = Fastify();
await app.register(structlogPlugin);

app.get("/orders/:id", async (request) => {
  request.log.info("order_loaded", { order_id: request.params.id });
  await reserve(request.params.id);
  return { ok: true, order_id: request.params.id };
});

const log = structlog.getLogger("server");
const address = await app.listen({ port: Number(process.env.PORT ?? 3000), host: "127.0.0.1" });
log.info("server_listening", { address });

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, async () => {
    await app.close();
    log.info("server_stopped", { signal });
    await globalThis.shutdownTelemetry?.();
    structlog.getLogger().flush();
    process.exit(0);
  });
}
