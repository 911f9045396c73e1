/** Real Express 4 and 5 apps on 127.0.0.1, and the JSON lines they log. */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import * as structlog from "@structlog/core";
import { capturingLoggerFactory } from "@structlog/core/testing";
import express5 from "express";
import express4 from "express4";

export type Express = typeof express5;

/** Both majors, for `describe.each`. */
export const EXPRESS_MAJORS: ReadonlyArray<readonly [string, Express]> = [
  ["Express 4", express4],
  ["Express 5", express5],
];

/** A parsed log line. */
export type Line = Record<string, unknown>;

/**
 * Configures structlog to render JSON into memory (the production chain
 * without timestamps) and returns the parsed lines. Call in `beforeEach`;
 * `structlog.resetDefaults()` in `afterEach`.
 */
export function captureLines(): { lines: () => Line[]; raw: () => string[] } {
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
  const raw = () => factory.calls.map((c) => c.rendered as string);
  return { raw, lines: () => raw().map((line) => JSON.parse(line) as Line) };
}

/** A listening server on 127.0.0.1 and a way to close it with its keep-alive connections. */
export interface Running {
  readonly port: number;
  readonly server: http.Server;
  close(): Promise<void>;
}

export async function listen(app: http.RequestListener): Promise<Running> {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface Reply {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export interface SendOptions {
  readonly method?: string;
  readonly headers?: http.OutgoingHttpHeaders;
  /** The body, sent at once; or pieces sent `pauseMs` apart, so they reach the server in separate reads. */
  readonly body?: string | Buffer | readonly (string | Buffer)[];
  readonly pauseMs?: number;
  readonly agent?: http.Agent;
}

/** One request over a real socket. */
export function send(port: number, path: string, options: SendOptions = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const pieces = options.body === undefined ? [] : Array.isArray(options.body) ? options.body : [options.body];
    const length = pieces.reduce((n, p) => n + Buffer.byteLength(p), 0);
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        path,
        method: options.method ?? (pieces.length > 0 ? "POST" : "GET"),
        headers: { ...(pieces.length > 0 ? { "content-length": length } : {}), ...options.headers },
        agent: options.agent ?? false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    void (async () => {
      for (const [i, piece] of pieces.entries()) {
        if (i > 0) await sleep(options.pauseMs ?? 30);
        req.write(piece);
      }
      req.end();
    })();
  });
}

/** Polls (bounded) until `read` returns something other than undefined. */
export async function waitFor<T>(read: () => T | undefined, what: string, attempts = 500): Promise<T> {
  for (let i = 0; i < attempts; i++) {
    const value = read();
    if (value !== undefined) return value;
    await sleep(10);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Waits for the request line of the request with `requestId`. */
export function requestLine(lines: () => Line[], requestId: string): Promise<Line> {
  return waitFor(
    () => lines().find((l) => l.event === "request_completed" && l.request_id === requestId),
    `the request line of ${requestId}`,
  );
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
