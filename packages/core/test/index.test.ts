import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as http from "../src/http/index.js";
import * as structlog from "../src/index.js";

const FRAMEWORK = /fastify|express/i;

describe("@structlog/core's exports", () => {
  it("name no framework: the Fastify logger adapter lives in @structlog/fastify", () => {
    expect([...Object.keys(structlog), ...Object.keys(http)].filter((name) => FRAMEWORK.test(name))).toEqual([]);
  });

  it("import no framework anywhere in core's sources", () => {
    const src = join(import.meta.dirname, "../src");
    const files = readdirSync(src, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
    const importing = files.filter((f) => /from "(fastify|express)[/"]/.test(readFileSync(join(src, f), "utf8")));
    expect(importing).toEqual([]);
  });
});
