// Reads node --test's TAP output and prints each failing leaf test as "parent > test", one per line.
import { readFileSync } from "node:fs";

const lines = readFileSync(process.argv[2], "utf8").split("\n");
const stack = [];
const failed = [];
for (const line of lines) {
  const sub = /^(\s*)# Subtest: (.*)$/.exec(line);
  if (sub) {
    const depth = sub[1].length / 4;
    stack.length = depth;
    stack[depth] = sub[2];
    continue;
  }
  const result = /^(\s*)(not ok|ok) \d+ - (.*?)(?: # .*)?$/.exec(line);
  if (result) {
    const depth = result[1].length / 4;
    // A parent fails when a child does: report leaves only (the next line is no "# Subtest" deeper).
    if (result[2] === "not ok") failed.push({ depth, name: [...stack.slice(0, depth), result[3]].join(" > ") });
  }
}
// Drop a failure that is the parent of another failure.
const names = failed.map((f) => f.name);
for (const name of names) if (!names.some((other) => other !== name && other.startsWith(`${name} > `))) console.log(name);
