import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, openSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { wrapLogger } from "../../src/config.js";
import { WriteLogger, writeLoggerFactory } from "../../src/output/loggers.js";
import { BufferedWriter, closeWriter, createWriter, writerForFd } from "../../src/output/writer.js";
import { jsonRenderer } from "../../src/renderers/json.js";
import { captureReports } from "../../src/testing.js";
import { fifo } from "./pipes.js";

/** Resolves once `stream` has sent no data for 200 ms. */
function quiet(stream: NodeJS.EventEmitter): Promise<void> {
  return new Promise((resolve) => {
    let timer = setTimeout(resolve, 200);
    stream.on("data", () => {
      clearTimeout(timer);
      timer = setTimeout(resolve, 200);
    });
  });
}

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

describe("writers sharing one output", () => {
  it("keep each its own options: a sync writer made after a buffered one writes at once", () => {
    const file = tempFile();
    const fd = openSync(file, "a");
    const buffered = writerForFd(fd);
    const sync = writerForFd(fd, { sync: true });
    buffered.write("buffered");
    expect(readFileSync(file, "utf8")).toBe("");
    sync.write("sync");
    // One queue: the sync line goes out, after the line written before it.
    expect(readFileSync(file, "utf8")).toBe("buffered\nsync\n");
  });

  it("printLoggerFactory({ sync: true }) after the default configuration writes at once (issue 8, defect 4)", () => {
    // The default configuration's stdout writer exists first; the new factory's option must still apply.
    const script = `
      import * as s from ${JSON.stringify(new URL("../../dist/index.js", import.meta.url).href)};
      import { writeSync } from "node:fs";
      s.getLogger().info("default_config_line");
      const sync = s.wrapLogger(s.printLoggerFactory({ sync: true })(), { processors: [s.processors.jsonRenderer()] });
      sync.info("sync_line");
      writeSync(1, "written_after\\n");
    `;
    const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    const events = result.stdout
      .trim()
      .split("\n")
      .map((l) => (l.startsWith("{") ? JSON.parse(l).event : l));
    expect(events).toEqual(["default_config_line", "sync_line", "written_after"]);
  });

  it("keep each its own bound: a small maxBuffered drops, on the same pipe, where the default keeps every line", async () => {
    const pipe = fifo();
    const roomy = writerForFd(pipe.writeFd);
    const tight = writerForFd(pipe.writeFd, { maxBuffered: 64 * 1024 });
    const line = "y".repeat(1000);
    // Nobody reads yet: the pipe takes 64 KiB, then everything waits in memory.
    for (let i = 0; i < 200; i++) tight.write(line);
    const droppedByTight = tight.dropped;
    for (let i = 0; i < 200; i++) roomy.write(line);
    const droppedAfterRoomy = roomy.dropped;
    // Now read it all, and let the writers' retries empty the queue before closing.
    const received: string[] = [];
    pipe.reader.setEncoding("utf8").on("data", (d: string) => received.push(d));
    pipe.reader.resume();
    await quiet(pipe.reader);
    closeWriter(roomy);
    closeWriter(tight);
    pipe.parentDone();
    pipe.reader.destroy();
    expect(droppedByTight).toBeGreaterThan(0);
    expect(droppedAfterRoomy).toBe(droppedByTight);
    const lines = received
      .join("")
      .split("\n")
      .filter((l) => l !== "");
    expect(lines.filter((l) => l === line)).toHaveLength(400 - droppedByTight);
    expect(JSON.parse(lines.find((l) => l.startsWith("{")) ?? "{}")).toMatchObject({
      event: "structlog_lines_dropped",
      dropped: droppedByTight,
    });
  });

  it("share one queue for a path opened twice, and the last to close it closes the file", () => {
    const file = tempFile();
    const a = createWriter(file);
    const b = createWriter(file);
    a.write("a");
    b.write("b");
    closeWriter(a);
    expect(readFileSync(file, "utf8")).toBe("a\nb\n");
    b.write("c");
    closeWriter(b);
    expect(readFileSync(file, "utf8")).toBe("a\nb\nc\n");
  });

  it.each([
    [{ overflow: "wait" }, /option overflow must be "drop" or "block", not "wait"/],
    [{ max_buffered: 1 }, /unknown option "max_buffered" \(did you mean maxBuffered\?\); the options are sync, flushAt, maxBuffered/],
    [{ flushAt: 0 }, /option flushAt must be a whole number of at least 1/],
    [{ sync: "yes" }, /option sync must be a boolean, not a string/],
  ])("reject %j at creation, saying what to change", (options, message) => {
    expect(() => writerForFd(1, options as never)).toThrow(message);
  });
});

describe("WriteLogger", () => {
  it("writes a line for a renderer's output whose toString throws: its fields as JSON, reported once", () => {
    const file = tempFile();
    const writer = createWriter(file);
    const rendered = {
      event: "order_paid",
      amount: 42,
      toString() {
        throw new Error("no string");
      },
    };
    const reports = captureReports(() => new WriteLogger(writer).msg(rendered));
    closeWriter(writer);
    expect(reports).toEqual([expect.stringMatching(/^structlog: the processor chain failed: TypeError: its last step returned an object/)]);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({ event: "order_paid", amount: 42, toString: "[Function: toString]" });
  });

  it("writes a line for an output that is not an object and cannot be made a string", () => {
    const file = tempFile();
    const writer = createWriter(file);
    const hostile = [
      {
        toString() {
          throw new Error("no string");
        },
      },
    ];
    captureReports(() => new WriteLogger(writer).msg(hostile));
    closeWriter(writer);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({
      structlog_error: "the last step returned a object that cannot be made a string: [Unserializable: no string]",
    });
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
