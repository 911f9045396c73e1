import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";

describe("CommonJS", () => {
  it("can require() the package on Node 20", () => {
    const script = `
      const structlog = require("@structlog/core");
      const { captureLogs } = require("@structlog/core/testing");
      structlog.configure({ processors: [structlog.processors.addLogLevel, structlog.processors.jsonRenderer()] });
      structlog.getLogger("cjs").info("required", { ok: true });
      console.error(JSON.stringify(captureLogs(() => structlog.getLogger().info("captured"))));
    `;
    const out = execFileSync(process.execPath, ["-e", script], {
      cwd: new URL("..", import.meta.url).pathname,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    expect(JSON.parse(out)).toEqual({ ok: true, event: "required", level: "info" });
  });
});
