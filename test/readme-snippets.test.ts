/**
 * Docs that compile: every TypeScript snippet (```ts) of every README.md in
 * the repository (root, packages/*, examples/*) type-checks under the
 * repository's strict settings, against the packages' own sources.
 *
 * A snippet stands alone: what it assumes (a logger, an error, a request) it
 * declares (`declare const err: Error;`), so readers see it too. Each snippet
 * is its own module. A fence must say its language; only one marked as
 * another language (```js, ```sh, ```text, ```json) is not compiled.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";

const repo = resolve(import.meta.dirname, "..");

interface Snippet {
  /** `packages/core/README.md, snippet 2 (line 31)`: what a failure names. */
  readonly name: string;
  readonly readme: string;
  /** The README line of the snippet's first code line. */
  readonly line: number;
  readonly code: string;
  /** Where the snippet is compiled: beside the package whose README it is in, so its imports resolve as there. */
  readonly file: string;
}

function readmes(): string[] {
  const found = [join(repo, "README.md")];
  for (const folder of ["packages", "examples"]) {
    for (const dir of readdirSync(join(repo, folder))) {
      const readme = join(repo, folder, dir, "README.md");
      if (existsSync(readme)) found.push(readme);
    }
  }
  return found;
}

const TYPESCRIPT = new Set(["ts", "typescript", "tsx"]);
const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)/;

/** The fenced blocks of a README: their language and code; an unlabelled fence is an error. */
function snippetsOf(readme: string): { snippets: Snippet[]; unlabelled: number[] } {
  const rel = relative(repo, readme);
  // The root README leads with a Fastify app: its snippets compile beside @structlog/fastify, where
  // "fastify" resolves (the @structlog/* packages resolve to their sources from anywhere, through paths).
  const home = rel === "README.md" ? join(repo, "packages", "fastify") : dirname(readme);
  const lines = readFileSync(readme, "utf8").split("\n");
  const snippets: Snippet[] = [];
  const unlabelled: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i] as string);
    if (open === null) continue;
    const [, , fence, lang] = open;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !(lines[end] as string).trimStart().startsWith(fence as string)) end++;
    if (lang === "") unlabelled.push(i + 1);
    else if (TYPESCRIPT.has((lang as string).toLowerCase())) {
      const n = snippets.length + 1;
      snippets.push({
        name: `${rel}, snippet ${n} (line ${start + 1})`,
        readme: rel,
        line: start + 1,
        code: lines.slice(start, end).join("\n"),
        file: join(home, `${rel.replace(/[^\w]+/g, "_")}.snippet-${n}.ts`),
      });
    }
    i = end;
  }
  return { snippets, unlabelled };
}

const all = readmes().map((readme) => ({ readme: relative(repo, readme), ...snippetsOf(readme) }));
const snippets = all.flatMap((r) => r.snippets);

/**
 * Each workspace package's entry points, from its `exports`, mapped to its
 * sources (`./dist/http/index.js` → `src/http/index.ts`), so snippets are
 * checked against the code as it is, built or not.
 */
function workspaceSources(): Record<string, string[]> {
  const paths: Record<string, string[]> = {};
  for (const dir of readdirSync(join(repo, "packages"))) {
    const file = join(repo, "packages", dir, "package.json");
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, "utf8")) as { name: string; exports?: Record<string, string | { default?: string }> };
    for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
      const js = typeof target === "string" ? target : target.default;
      if (js === undefined || !js.startsWith("./dist/") || !js.endsWith(".js")) continue;
      const source = join(repo, "packages", dir, "src", `${js.slice("./dist/".length, -".js".length)}.ts`);
      paths[subpath === "." ? pkg.name : `${pkg.name}${subpath.slice(1)}`] = [source];
    }
  }
  return paths;
}

/** The repository's strict compiler options, with @structlog/* resolved to the packages' sources. */
function compilerOptions(): ts.CompilerOptions {
  const base = ts.getParsedCommandLineOfConfigFile(
    join(repo, "tsconfig.base.json"),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
      },
    },
  );
  return {
    ...base?.options,
    noEmit: true,
    skipLibCheck: true,
    paths: workspaceSources(),
  };
}

const diagnostics = new Map<string, string[]>();

beforeAll(() => {
  const options = compilerOptions();
  const host = ts.createCompilerHost(options);
  // Each snippet is a module of its own (`export {}`), so snippets cannot see each other's names.
  const virtual = new Map(snippets.map((s) => [s.file, `${s.code}\nexport {};\n`]));
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, ...rest) => {
    const text = virtual.get(fileName);
    return text === undefined
      ? getSourceFile(fileName, languageVersion, ...rest)
      : ts.createSourceFile(fileName, text, languageVersion, true);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (fileName) => virtual.has(fileName) || fileExists(fileName);
  const readFile = host.readFile.bind(host);
  host.readFile = (fileName) => virtual.get(fileName) ?? readFile(fileName);
  const program = ts.createProgram([...virtual.keys()], options, host);
  for (const snippet of snippets) {
    const source = program.getSourceFile(snippet.file);
    const found = source === undefined ? [] : [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
    diagnostics.set(
      snippet.file,
      found.map((d) => {
        const at = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
        const where = at === undefined ? "" : `${snippet.readme}:${snippet.line + at.line}:${at.character + 1}: `;
        return `${where}${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
      }),
    );
  }
}, 120_000);

describe("README code fences", () => {
  it.each(all.map((r) => [r.readme, r.unlabelled] as const))("in %s each say their language", (_readme, unlabelled) => {
    expect(unlabelled.map((line) => `line ${line}: mark the fence ts, or text, sh, json… if it is not TypeScript`)).toEqual([]);
  });

  it("include TypeScript snippets to check", () => {
    expect(snippets.length).toBeGreaterThan(5);
  });
});

describe.each(snippets.map((s) => [s.name, s] as const))("%s", (_name, snippet) => {
  it("compiles under strict mode", () => {
    expect(diagnostics.get(snippet.file)).toEqual([]);
  });
});
