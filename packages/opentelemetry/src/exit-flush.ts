/**
 * Flushing, before the process exits, the providers the bridge emitted to.
 * The SDK's BatchLogRecordProcessor exports on a timer that does not keep
 * the process alive, so an app that ends without `loggerProvider.shutdown()`
 * would lose its last records; core's promise is that a normal exit loses no
 * line. On `beforeExit` (the event loop is empty) each provider with records
 * since its last flush is flushed; the export keeps the loop alive until it
 * is done. `process.exit()` cannot wait for it: call `shutdown()` first there.
 */
import type { LoggerProvider } from "@opentelemetry/api-logs";
import { report } from "@structlog/core";

const unflushed = new Set<LoggerProvider>();
let installed = false;

function flushBeforeExit(): void {
  const providers = [...unflushed];
  unflushed.clear();
  for (const provider of providers) {
    try {
      const forceFlush = (provider as { forceFlush?: () => unknown }).forceFlush;
      if (typeof forceFlush !== "function") continue;
      Promise.resolve(forceFlush.call(provider)).catch((e: unknown) => report("the OpenTelemetry flush before exit", e));
    } catch (e) {
      report("the OpenTelemetry flush before exit", e);
    }
  }
}

/** Notes that `provider` got a record, so it is flushed before the process exits. */
export function flushAtExit(provider: LoggerProvider): void {
  unflushed.add(provider);
  if (!installed) {
    installed = true;
    process.on("beforeExit", flushBeforeExit);
  }
}
