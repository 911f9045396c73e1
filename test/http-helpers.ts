/** Real Fastify 5, Express 5 and Express 4 servers on 127.0.0.1, for the cross-framework tests. */
import http from "node:http";
import type { AddressInfo } from "node:net";
import * as structlog from "@structlog/core";
import { capturingLoggerFactory } from "@structlog/core/testing";

/** A parsed log line. */
export type Line = Record<string, unknown>;

/** Configures structlog to render JSON into memory (the production chain without timestamps). */
export function captureLines(): () => Line[] {
  const factory = capturingLoggerFactory();
  structlog.configure({
    processors: [
      structlog.contextvars.mergeContextVars,
      structlog.processors.addLogLevel,
      structlog.processors.addLoggerName,
      structlog.processors.jsonRenderer(),
    ],
    loggerFactory: factory,
  });
  return () => factory.calls.map((c) => JSON.parse(c.rendered as string) as Line);
}

/** A listening server and how to close it with its kept-alive connections. */
export interface Running {
  readonly port: number;
  close(): Promise<void>;
}

/** Listens on a free port of 127.0.0.1. */
export async function listen(server: http.Server): Promise<Running> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface Reply {
  readonly status: number;
  readonly body: string;
}

/** One GET over a real socket; with `abortAfterMs`, the client hangs up before the reply and this resolves with status 0. */
export function get(
  port: number,
  path: string,
  headers: http.OutgoingHttpHeaders,
  agent?: http.Agent,
  abortAfterMs?: number,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path, headers, agent: agent ?? false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    if (abortAfterMs !== undefined) {
      req.on("error", () => resolve({ status: 0, body: "" }));
      setTimeout(() => req.destroy(), abortAfterMs);
    } else req.on("error", reject);
    req.end();
  });
}

/** Polls (bounded: 10 s) until `check()` is true. */
export async function eventually(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}
