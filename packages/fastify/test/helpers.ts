import type { AddressInfo } from "node:net";
import { connect } from "node:net";
import * as structlog from "@structlog/core";
import { capturingLoggerFactory } from "@structlog/core/testing";
import Fastify, { type FastifyInstance, type FastifyServerOptions } from "fastify";
import { type StructlogFastifyOptions, structlogPlugin } from "../src/index.js";

export type Line = Record<string, unknown>;

/**
 * Configures structlog to render JSON into memory, as a production chain
 * would (mergeContextVars, addLogLevel, jsonRenderer). Works for requests
 * over real sockets too, where captureLogs() cannot follow.
 */
export function captureOutput(): { lines: () => Line[]; raw: () => string[]; clear: () => void } {
  const factory = capturingLoggerFactory();
  structlog.configure({
    processors: [structlog.contextvars.mergeContextVars, structlog.processors.addLogLevel, structlog.processors.jsonRenderer()],
    loggerFactory: factory,
    wrapperClass: structlog.BoundLogger,
  });
  const raw = () => factory.calls.map((c) => c.rendered as string);
  return {
    raw,
    lines: () => raw().map((line) => JSON.parse(line) as Line),
    clear: () => {
      factory.calls.length = 0;
    },
  };
}

/** A Fastify app with the plugin registered. */
export async function appWith(options: StructlogFastifyOptions = {}, fastifyOptions: FastifyServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify(fastifyOptions);
  await app.register(structlogPlugin, options);
  return app;
}

/** Listens on 127.0.0.1 (a free port) and returns the base URL. */
export async function listen(app: {
  listen(options: { port: number; host: string }): Promise<string>;
  server: FastifyInstance["server"];
}): Promise<string> {
  await app.listen({ port: 0, host: "127.0.0.1" });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

/** The request lines (`request_completed`) among `lines`. */
export function requestLines(lines: Line[], event = "request_completed"): Line[] {
  return lines.filter((l) => l.event === event);
}

/** Waits until `check()` is true (bounded: 5 s), for lines written after a response. */
export async function eventually(check: () => boolean, what = "condition"): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Sends raw bytes on a new connection and resolves with what came back when
 * the server closes it (or after `closeAfterMs`, when the client hangs up first).
 */
export function rawRequest(baseUrl: string, text: string, closeAfterMs?: number): Promise<string> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    let received = "";
    const socket = connect(Number(port), hostname, () => {
      socket.write(text);
      if (closeAfterMs !== undefined) setTimeout(() => socket.destroy(), closeAfterMs);
    });
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => {
      received += chunk;
    });
    socket.on("error", () => {});
    socket.on("close", () => resolve(received));
    socket.setTimeout(10_000, () => {
      socket.destroy();
      reject(new Error("raw request timed out"));
    });
  });
}
