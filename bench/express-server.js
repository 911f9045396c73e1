// One setup of the Express benchmark, in a process of its own (started by
// bench/express.js): `node bench/express-server.js <bare|pino-http|structlog> [4|5]`.
// Every setup serves the same app: GET /orders/:id answers a small JSON
// body; the two logging setups write one handler line per request plus
// their request line, to /dev/null. Reports its port over IPC.
import { buildExpressApp } from "./express-app.js";

const [setup = "bare", major = "5"] = process.argv.slice(2);
const app = await buildExpressApp(setup, major);

const server = app.listen(0, "127.0.0.1", () => process.send?.({ port: server.address().port }));
// The parent asks for this process's CPU time around each round: CPU per
// request is steadier than requests/s on a machine that is doing other work.
process.on("message", (message) => {
  if (message === "cpu") process.send?.({ cpu: process.cpuUsage() });
});
process.on("disconnect", () => process.exit(0));
