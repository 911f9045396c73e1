// Foreign logs: a third-party library that writes with console.* gets the
// same processors and renderer as our own lines. The foreign pre-chain runs
// only on those console events.
import * as structlog from "@structlog/core";

structlog.configure({
  processors: [structlog.processors.addLogLevel, structlog.processors.addLoggerName, structlog.processors.jsonRenderer()],
});

function thirdPartyLibrary() {
  console.log("connecting to %s", "db.internal:5432");
  console.warn("pool size %d is below the recommended %d", 2, 10);
}

const restore = structlog.captureConsole({
  foreignPreChain: [
    (_logger, _method, eventDict) => {
      eventDict.foreign = true;
      return eventDict;
    },
  ],
});

structlog.getLogger("app").info("starting");
thirdPartyLibrary();
restore();
structlog.getLogger("app").info("console_restored");
