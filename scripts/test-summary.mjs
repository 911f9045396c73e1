// Prints vitest's totals as a plain "N passed, N failed" line and fails when
// no test ran, so CI cannot pass on an empty run.
import { readFileSync } from "node:fs";

const report = JSON.parse(readFileSync(new URL("../.vitest-results.json", import.meta.url), "utf8"));
const passed = report.numPassedTests ?? 0;
const failed = report.numFailedTests ?? 0;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
if (passed === 0) {
  console.error("No test ran.");
  process.exit(1);
}
if (failed > 0 || report.success === false) process.exit(1);
