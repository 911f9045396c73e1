// The OpenTelemetry SDK, loaded before the app: `node --import ./instrumentation.js server.js`.
// It must run first, so that instrumentation-http patches `http` before Fastify loads it.
// Traces and logs go to the console; in production, swap the console exporters for
// the OTLP ones (@opentelemetry/exporter-trace-otlp-http, @opentelemetry/exporter-logs-otlp-http).
import { register } from "node:module";
import { logs } from "@opentelemetry/api-logs";
import { registerInstrumentations } from "@opentelemetry/instrumentation";
import { HttpInstrumentation } from "@opentelemetry/instrumentation-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { ConsoleLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from "@opentelemetry/sdk-logs";
import { ConsoleSpanExporter, NodeTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-node";

// Lets the instrumentations see ESM imports too (CommonJS requires are seen without it).
register("@opentelemetry/instrumentation/hook.mjs", import.meta.url);

const resource = resourceFromAttributes({ "service.name": "otel-example" });

const tracerProvider = new NodeTracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor(new ConsoleSpanExporter())] });
tracerProvider.register();

const loggerProvider = new LoggerProvider({
  resource,
  processors: [new SimpleLogRecordProcessor({ exporter: new ConsoleLogRecordExporter() })],
});
logs.setGlobalLoggerProvider(loggerProvider);

registerInstrumentations({ instrumentations: [new HttpInstrumentation()] });

/** Flushes and stops both providers; the server calls it on shutdown. */
globalThis.shutdownTelemetry = () => Promise.all([tracerProvider.shutdown(), loggerProvider.shutdown()]);
