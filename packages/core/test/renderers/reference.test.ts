import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { consoleRenderer } from "../../src/renderers/console.js";
import { keyValueRenderer } from "../../src/renderers/key-value.js";
import { logfmtRenderer } from "../../src/renderers/logfmt.js";
import { escapeControl } from "../../src/text.js";
import type { EventDict, Renderer } from "../../src/types.js";

/**
 * Golden outputs of Python structlog 26 for the same event dicts, generated
 * by scripts/structlog-reference.py (layout from structlog, values in
 * JavaScript notation). Where structlog writes a raw control character we
 * deliberately escape it, so the expectation is escaped the same way.
 */
interface Case {
  name: string;
  renderer: "console" | "keyValue" | "logfmt";
  options: Record<string, unknown>;
  eventDict: EventDict;
  expected: string;
}

const cases: Case[] = JSON.parse(readFileSync(new URL("../fixtures/structlog-reference.json", import.meta.url), "utf8"));

const factories: Record<Case["renderer"], (o: Record<string, unknown>) => Renderer> = {
  console: (o) => consoleRenderer({ ...o, colors: false }),
  keyValue: (o) => keyValueRenderer(o),
  logfmt: (o) => logfmtRenderer(o),
};

describe("renderers follow Python structlog 26's layout", () => {
  it("has reference cases for every text renderer", () => {
    const kinds = new Set(cases.map((c) => c.renderer));
    expect([...kinds].sort()).toEqual(["console", "keyValue", "logfmt"]);
  });

  it.each(cases.map((c) => [`${c.renderer}: ${c.name}`, c] as const))("%s", (_name, c) => {
    const render = factories[c.renderer](c.options);
    const out = render({ msg: () => undefined }, "info", structuredClone(c.eventDict));
    expect(out).toBe(escapeControlOutsideQuotes(c.expected));
  });
});

/** structlog writes ESC and other control characters raw where it does not quote; we escape them everywhere. */
function escapeControlOutsideQuotes(s: string): string {
  return escapeControl(s);
}
