import http from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import * as structlog from "@structlog/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { structlogMiddleware } from "../src/index.js";
import { captureLines, EXPRESS_MAJORS, type Line, listen, type Running, requestLine, waitFor } from "./helpers.js";

const deep = structlog.getLogger("deep");

/** Requests `path`, then destroys the socket once the first body bytes arrive (or at once, with `early`). */
function requestThenAbort(port: number, path: string, id: string, early = false): Promise<void> {
  return new Promise((resolve) => {
    const req = http.get({ host: "127.0.0.1", port, path, agent: false, headers: { "x-request-id": id, "x-user": `u-${id}` } }, (res) => {
      res.once("data", () => {
        req.destroy();
        resolve();
      });
    });
    req.on("error", () => {});
    if (early) {
      req.on("socket", (socket) =>
        socket.on("connect", () =>
          setTimeout(() => {
            req.destroy();
            resolve();
          }, 20),
        ),
      );
    }
  });
}

describe.each(EXPRESS_MAJORS)("aborted requests on %s", (_major, express) => {
  let lines: () => Line[];
  let running: Running | undefined;

  beforeEach(() => {
    lines = captureLines().lines;
  });
  afterEach(async () => {
    await running?.close();
    running = undefined;
    structlog.resetDefaults();
  });

  async function serve(setup: (app: ReturnType<typeof express>) => void) {
    const app = express();
    app.use(structlogMiddleware());
    app.use((req, _res, next) => {
      structlog.contextvars.bindContextVars({ user_id: req.headers["x-user"] });
      next();
    });
    setup(app);
    running = await listen(app);
    return running.port;
  }

  it("marks the request line aborted when the client goes away mid-response", async () => {
    const port = await serve((app) =>
      app.get("/slow", (_req, res) => {
        res.write("first part\n");
        // Never ends: the client leaves first.
      }),
    );
    await requestThenAbort(port, "/slow", "ab-1");
    const line = await requestLine(lines, "ab-1");
    expect(line).toMatchObject({ aborted: true, level: "warning", user_id: "u-ab-1", path: "/slow", route: "/slow", response_size: 11 });
  });

  it("runs the app's close listeners in the request's scope", async () => {
    const port = await serve((app) =>
      app.get("/slow", (req, res) => {
        res.on("close", () => deep.info("response_closed", { finished: res.writableFinished }));
        req.on("close", () => deep.info("request_closed"));
        res.write("partial");
      }),
    );
    await requestThenAbort(port, "/slow", "ab-2");
    await requestLine(lines, "ab-2");
    const closed = await waitFor(() => lines().find((l) => l.event === "response_closed"), "the close listener's line");
    expect(closed).toMatchObject({ request_id: "ab-2", user_id: "u-ab-2", finished: false });
    const reqClosed = await waitFor(() => lines().find((l) => l.event === "request_closed"), "the request close listener's line");
    expect(reqClosed).toMatchObject({ request_id: "ab-2", user_id: "u-ab-2" });
  });

  it("writes one line when the handler answers after the client left", async () => {
    const port = await serve((app) =>
      app.get("/late", async (_req, res) => {
        await sleep(80);
        res.json({ late: true });
        deep.info("answered_late");
      }),
    );
    await requestThenAbort(port, "/late", "ab-3", true);
    await waitFor(() => lines().find((l) => l.event === "answered_late"), "the handler's late line");
    await sleep(20);
    const mine = lines().filter((l) => l.request_id === "ab-3");
    expect(mine.filter((l) => l.event === "request_completed")).toHaveLength(1);
    expect(mine.find((l) => l.event === "request_completed")).toMatchObject({ aborted: true });
    expect(mine.find((l) => l.event === "answered_late")).toMatchObject({ user_id: "u-ab-3" });
  });
});
