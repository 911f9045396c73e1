import { spawn } from "node:child_process";
import { mkdtempSync, openSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { wrapLogger } from "../../src/config.js";
import { writeLoggerFactory } from "../../src/output/loggers.js";
import { BufferedWriter, createWriter } from "../../src/output/writer.js";
import { jsonRenderer } from "../../src/renderers/json.js";

function tempFile(): string {
  return join(mkdtempSync(join(tmpdir(), "structlog-")), "out.log");
}

describe("BufferedWriter", () => {
  it("writes nothing until flushed or the turn ends", () => {
    const file = tempFile();
    const w = new BufferedWriter(openSync(file, "a"));
    w.write("one");
    expect(readFileSync(file, "utf8")).toBe("");
    w.flush();
    expect(readFileSync(file, "utf8")).toBe("one\n");
  });

  it("writes the batch at the end of the turn", async () => {
    const file = tempFile();
    const w = new BufferedWriter(openSync(file, "a"));
    w.write("one");
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(readFileSync(file, "utf8")).toBe("one\n");
  });

  it("writes as soon as the batch reaches flushAt", () => {
    const file = tempFile();
    const w = new BufferedWriter(openSync(file, "a"), { flushAt: 10 });
    w.write("0123456789");
    expect(readFileSync(file, "utf8")).toBe("0123456789\n");
  });

  it("writes at once in sync mode", () => {
    const file = tempFile();
    const w = new BufferedWriter(openSync(file, "a"), { sync: true });
    w.write("now");
    expect(readFileSync(file, "utf8")).toBe("now\n");
  });

  it("keeps multi-byte characters whole", () => {
    const file = tempFile();
    const w = new BufferedWriter(openSync(file, "a"));
    for (let i = 0; i < 1000; i++) w.write("żółw🐢");
    w.flush();
    expect(readFileSync(file, "utf8")).toBe("żółw🐢\n".repeat(1000));
  });
});

describe("an idle process", () => {
  it("gets its buffered line written without waiting for other I/O", async () => {
    // A listening server keeps the loop alive but idle: the batch must still go out.
    const script = `
      import * as s from ${JSON.stringify(new URL("../../dist/index.js", import.meta.url).href)};
      import { createServer } from "node:http";
      s.configure({ processors: [s.processors.jsonRenderer()], loggerFactory: s.printLoggerFactory() });
      createServer().listen(0, "127.0.0.1", () => setTimeout(() => s.getLogger().info("listening"), 10));
    `;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    try {
      const first = await new Promise<string>((resolve) => child.stdout.once("data", (d: Buffer) => resolve(d.toString())));
      expect(first).toBe('{"event":"listening"}\n');
    } finally {
      child.kill();
    }
  });
});

describe("writeLoggerFactory()", () => {
  it("appends to a file path", () => {
    const file = tempFile();
    const log = wrapLogger(writeLoggerFactory(file)("f"), { processors: [jsonRenderer()] });
    log.info("to_file");
    log.flush();
    expect(readFileSync(file, "utf8")).toBe('{"event":"to_file"}\n');
  });

  it("writes to a stream without a file descriptor", async () => {
    const stream = new PassThrough();
    const chunks: string[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c.toString()));
    const log = wrapLogger(writeLoggerFactory(stream)(), { processors: [jsonRenderer()] });
    log.info("a");
    log.info("b");
    await new Promise((r) => setImmediate(r));
    expect(chunks.join("")).toBe('{"event":"a"}\n{"event":"b"}\n');
  });

  it("rejects a target that is not a stream, path or fd", () => {
    expect(() => createWriter({} as never)).toThrow(/needs a writable stream, a file path or a file descriptor/);
  });
});

describe("a reader that goes away", () => {
  it("does not crash the app or spin when piped into head -1", async () => {
    const script = `
      import * as s from ${JSON.stringify(new URL("../../dist/index.js", import.meta.url).href)};
      s.configure({ processors: [s.processors.jsonRenderer()], loggerFactory: s.printLoggerFactory() });
      const log = s.getLogger();
      const start = Date.now();
      for (let i = 0; i < 200000; i++) log.info("line", { i });
      setTimeout(() => { for (let i = 0; i < 1000; i++) log.info("after"); process.stderr.write("finished " + (Date.now() - start) + "\\n"); }, 200);
    `;
    const result = await new Promise<{ code: number | null; stderr: string; stdout: string }>((resolve) => {
      const child = spawn(
        "sh",
        ["-c", `${JSON.stringify(process.execPath)} --input-type=module -e '${script.replace(/'/g, "'\\''")}' | head -1`],
        {
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      let stderr = "";
      let stdout = "";
      child.stdout.on("data", (d: Buffer) => {
        stdout += d;
      });
      child.stderr.on("data", (d: Buffer) => {
        stderr += d;
      });
      child.on("close", (code) => resolve({ code, stderr, stdout }));
    });
    expect(result.stdout.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/finished \d+/);
    expect(result.stderr).toMatch(/structlog: writing to fd 1 failed: .*EPIPE.*\(reported once\)/);
    expect(result.stderr.match(/structlog:/g)).toHaveLength(1);
  });
});
