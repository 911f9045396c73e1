// The example app as a server: JSON lines, until SIGINT or SIGTERM.
//
//   node server.js            (PORT=3000 by default; PORT=0 picks a free one)
//   curl -H 'authorization: Bearer token-alice' localhost:3000/orders/7
import * as structlog from "@structlog/core";
import { buildApp } from "./app.js";
import { configureLogging } from "./logging.js";

configureLogging({ json: true });

const app = await buildApp();
// Fastify's own listening line comes through structlog: server_listening, with the address.
await app.listen({ port: Number(process.env.PORT ?? 3000), host: "127.0.0.1" });

const log = structlog.getLogger("server");
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, async () => {
    await app.close();
    log.info("server_stopped", { signal });
    process.exit(0);
  });
}
