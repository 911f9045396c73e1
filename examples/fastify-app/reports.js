// A service module that fails: it reads a cached report that is corrupt.
import * as structlog from "@structlog/core";

const log = structlog.getLogger("reports");

/** Parses the cached daily report; the cache holds a truncated document. */
export async function dailyReport() {
  log.info("report_cache_read", { key: "daily" });
  return JSON.parse('{"orders": [1, 2,');
}
