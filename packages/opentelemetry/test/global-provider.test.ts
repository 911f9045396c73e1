/**
 * Which global LoggerProvider the bridge uses by default. The SDK 2 line
 * registers it with @opentelemetry/api-logs (bridge.test.ts); the SDK 3 line
 * with the Logs API inside @opentelemetry/api 1.10, a separate global. A
 * child process, with @opentelemetry/api resolving to 1.10, checks the second.
 */
import { execFile } from "node:child_process";
import { describe, expect, it } from "vitest";

const fixture = new URL("./fixtures/global-provider-api-1.10.mjs", import.meta.url).pathname;

function run(): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [fixture], { timeout: 30_000 }, (error, stdout, stderr) =>
      error ? reject(Object.assign(error, { stdout, stderr })) : resolve(stdout),
    );
  });
}

describe("the global LoggerProvider with @opentelemetry/api 1.10 (the SDK 3 line)", () => {
  it("is the one registered with @opentelemetry/api's own logs, for otelLoggerFactory() and otelTee()", async () => {
    const { registered, records } = JSON.parse(await run());
    expect(registered).toBe(true);
    expect(records).toEqual([
      { body: "through_the_factory", scope: "factory" },
      { body: "through_the_tee", scope: "tee" },
    ]);
  });
});
