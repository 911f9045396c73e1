import { execFile } from "node:child_process";

/** Runs a Node script to its end and returns what it printed. */
export function runNode(script: string, env: Record<string, string> = {}): Promise<{ stdout: string; stderr: string }> {
  // The test runner may set FORCE_COLOR for itself; the example decides on its own.
  const { FORCE_COLOR: _force, NO_COLOR: _no, ...inherited } = process.env;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [script], { env: { ...inherited, ...env }, timeout: 30_000 }, (error, stdout, stderr) =>
      error ? reject(Object.assign(error, { stdout, stderr })) : resolve({ stdout, stderr }),
    );
  });
}

/** The JSON lines of an output. */
export function jsonLines(stdout: string): Array<Record<string, unknown>> {
  return stdout
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line));
}
