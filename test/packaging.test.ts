/**
 * What users install: each package packed as it would be published, unpacked
 * into a scratch project outside the repository, and checked there. Needs the
 * packages built (`pnpm build`, which `pnpm test` runs first).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const repo = resolve(import.meta.dirname, "..");
const packageDirs = readdirSync(join(repo, "packages")).filter((d) => existsSync(join(repo, "packages", d, "package.json")));
let scratch = "";

/** pnpm, as `pnpm test` runs it, or through npx when the test is run on its own. */
function pnpm(args: string[], cwd: string): string {
  const execPath = process.env.npm_execpath;
  const [cmd, ...pre] = execPath?.includes("pnpm") ? [process.execPath, execPath] : ["npx", "-y", "pnpm@10"];
  return execFileSync(cmd as string, [...pre, ...args], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

/** The unpacked package, as it sits in the scratch project's node_modules. */
const installed = (dir: string) => join(scratch, "node_modules", "@structlog", dir);

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "structlog-pack-"));
  const tarballs = join(scratch, "tarballs");
  mkdirSync(tarballs);
  writeFileSync(join(scratch, "package.json"), '{ "name": "scratch", "private": true }\n');
  for (const dir of packageDirs) {
    pnpm(["pack", "--pack-destination", tarballs], join(repo, "packages", dir));
    const tarball = readdirSync(tarballs).find((f) => f.startsWith(`structlog-${dir}-`)) as string;
    mkdirSync(installed(dir), { recursive: true });
    execFileSync("tar", ["xzf", join(tarballs, tarball), "-C", installed(dir), "--strip-components=1"]);
  }
}, 120_000);

afterAll(() => {
  if (scratch !== "") rmSync(scratch, { recursive: true, force: true });
});

describe.each(packageDirs)("the packed @structlog/%s", (dir) => {
  it("carries the repository's LICENSE", () => {
    expect(readFileSync(join(installed(dir), "LICENSE"), "utf8")).toBe(readFileSync(join(repo, "LICENSE"), "utf8"));
  });

  it("has source maps whose every source is in the package", () => {
    const maps = filesUnder(installed(dir)).filter((f) => f.endsWith(".map"));
    expect(maps.length).toBeGreaterThan(0);
    const missing = maps.flatMap((map) =>
      (JSON.parse(readFileSync(map, "utf8")) as { sources: string[] }).sources
        .map((source) => resolve(dirname(map), source))
        .filter((source) => !existsSync(source)),
    );
    expect(missing).toEqual([]);
  });

  it("has no @internal member in its type declarations", () => {
    const leaking = filesUnder(installed(dir)).filter((f) => f.endsWith(".d.ts") && readFileSync(f, "utf8").includes("@internal"));
    expect(leaking).toEqual([]);
  });

  it("depends on published versions, not on workspace: links", () => {
    const pkg = JSON.parse(readFileSync(join(installed(dir), "package.json"), "utf8")) as Record<string, Record<string, string>>;
    const deps = { ...pkg.dependencies, ...pkg.peerDependencies };
    expect(Object.values(deps).filter((v) => v.startsWith("workspace:"))).toEqual([]);
  });
});

describe("the installed @structlog/core", () => {
  it("hides the bound logger's internals from its types", () => {
    const types = readFileSync(join(installed("core"), "dist", "bound-logger.d.ts"), "utf8");
    expect(types).not.toMatch(/_processors|_logger|_context|globalPreChain/);
  });

  it("names files that exist in a stack trace with --enable-source-maps", () => {
    // Its one dependency, from the repository's install (no network needed).
    symlinkSync(
      join(repo, "packages", "core", "node_modules", "pino-std-serializers"),
      join(scratch, "node_modules", "pino-std-serializers"),
    );
    const script = `
      const structlog = require("@structlog/core");
      try { structlog.processors.timeStamper({ fmt: "isoo" }); } catch (e) { process.stdout.write(e.stack); }
    `;
    const stack = execFileSync(process.execPath, ["--enable-source-maps", "-e", script], { cwd: scratch, encoding: "utf8" });
    const files = [...stack.matchAll(/\((\/[^():]+):\d+:\d+\)/g)].map((m) => m[1] as string).filter((f) => f.includes("@structlog"));
    expect(files.some((f) => f.endsWith(join("src", "processors", "timestamps.ts")))).toBe(true);
    expect(files.filter((f) => !existsSync(f))).toEqual([]);
  });
});

describe("the installed packages' type declarations", () => {
  it("compile under strict TypeScript without skipLibCheck, from every entry point", () => {
    // The peers and dependencies the declarations import, from the repository's install (no network).
    const links: [string, string][] = [
      ["pino-std-serializers", join(repo, "packages", "core", "node_modules", "pino-std-serializers")],
      ["fastify", join(repo, "packages", "fastify", "node_modules", "fastify")],
      ["fastify-plugin", join(repo, "packages", "fastify", "node_modules", "fastify-plugin")],
      ["express", join(repo, "packages", "express", "node_modules", "express")],
      ["@types/express", join(repo, "packages", "express", "node_modules", "@types", "express")],
      ["@types/node", join(repo, "node_modules", "@types", "node")],
      ["@opentelemetry/api", join(repo, "packages", "opentelemetry", "node_modules", "@opentelemetry", "api")],
      ["@opentelemetry/api-logs", join(repo, "packages", "opentelemetry", "node_modules", "@opentelemetry", "api-logs")],
    ];
    for (const [name, target] of links) {
      const link = join(scratch, "node_modules", name);
      mkdirSync(dirname(link), { recursive: true });
      if (!existsSync(link)) symlinkSync(target, link);
    }
    writeFileSync(
      join(scratch, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          skipLibCheck: false,
          noEmit: true,
          module: "nodenext",
          moduleResolution: "nodenext",
          target: "es2022",
          types: ["node"],
        },
        files: ["check.ts"],
      }),
    );
    // Every export of every entry point, used, so that each declaration file it reaches is checked.
    writeFileSync(
      join(scratch, "check.ts"),
      [
        'import * as core from "@structlog/core";',
        'import * as http from "@structlog/core/http";',
        'import * as testing from "@structlog/core/testing";',
        'import * as fastify from "@structlog/fastify";',
        'import * as express from "@structlog/express";',
        'import * as otel from "@structlog/opentelemetry";',
        "export const all = [core, http, testing, fastify, express, otel];",
        'core.getLogger("app").info("user_login", { user_id: 42 });',
        "",
      ].join("\n"),
    );
    writeFileSync(join(scratch, "package.json"), '{ "name": "scratch", "private": true, "type": "module" }\n');
    const tsc = join(repo, "node_modules", "typescript", "bin", "tsc");
    let output = "";
    try {
      execFileSync(process.execPath, [tsc, "-p", scratch], { cwd: scratch, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    } catch (e) {
      output = `${(e as { stdout?: string }).stdout ?? ""}${(e as { stderr?: string }).stderr ?? ""}`;
    }
    expect(output).toBe("");
  });
});
