import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // test/ holds the repository-level tests: packaging, README snippets.
    include: ["packages/*/test/**/*.test.ts", "examples/*/test/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The default reporter for people; the JSON report lets .ci/run print a
    // plain "N passed, N failed" line and fail when no test ran.
    reporters: ["default", ["json", { outputFile: ".vitest-results.json" }]],
    typecheck: {
      enabled: true,
      include: ["packages/*/test/**/*.test-d.ts"],
      tsconfig: "./tsconfig.typetests.json",
    },
  },
});
