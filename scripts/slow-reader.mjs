// The reading end of a pipe, misbehaving on purpose, for scripts/stalled-reader.js.
//
//   app | node scripts/slow-reader.mjs [--stop-ms N] [--rate-mbps R] [--gone-after-ms N]
//
// --stop-ms N: read nothing for N ms, then read as fast as it can.
// --rate-mbps R: read at most R MB/s.
// --gone-after-ms N: read for N ms, then exit (the writer gets EPIPE).
//
// Counts the lines that arrive and, on stderr at the end, writes
// {"reader":true,"lines":N,"flood":N,"countLines":N,"counted":N,"torn":N,"bytes":N}:
// flood lines, structlog's structlog_lines_dropped lines and the drops they count.
import { parseArgs } from "node:util";

const { values: args } = parseArgs({
  options: { "stop-ms": { type: "string" }, "rate-mbps": { type: "string" }, "gone-after-ms": { type: "string" } },
});
const stats = { reader: true, lines: 0, flood: 0, countLines: 0, counted: 0, torn: 0, bytes: 0 };
let rest = "";

function take(chunk) {
  stats.bytes += chunk.length;
  const lines = (rest + chunk).split("\n");
  rest = lines.pop() ?? "";
  for (const line of lines) {
    if (line === "") continue;
    stats.lines++;
    try {
      const record = JSON.parse(line);
      const event = record.event ?? record.msg;
      if (event === "flood") stats.flood++;
      else if (event === "structlog_lines_dropped") {
        stats.countLines++;
        stats.counted += record.dropped;
      }
    } catch {
      stats.torn++;
    }
  }
}

function done() {
  if (rest !== "") stats.torn++;
  process.stderr.write(`${JSON.stringify(stats)}\n`);
}

const stdin = process.stdin;
stdin.setEncoding("utf8");
stdin.pause();
const rate = args["rate-mbps"] === undefined ? undefined : Number(args["rate-mbps"]) * 1024 * 1024;
stdin.on("data", (chunk) => {
  take(chunk);
  if (rate !== undefined) {
    stdin.pause();
    setTimeout(() => stdin.resume(), (chunk.length / rate) * 1000);
  }
});
stdin.on("end", done);
if (args["gone-after-ms"] !== undefined) {
  setTimeout(() => {
    done();
    process.exit(0);
  }, Number(args["gone-after-ms"]));
}
setTimeout(() => stdin.resume(), Number(args["stop-ms"] ?? 0));
