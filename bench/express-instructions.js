// Instructions per Express request, for callgrind (the count does not move with
// other load on the machine, unlike req/s): the app of bench/express-server.js
// in this process, N requests one at a time over one keep-alive connection on
// 127.0.0.1 from a client in a child process. Valgrind does not follow the
// child (no --trace-children), so the count is the server's alone, as a
// server under autocannon spends it; a client in the same process would also
// pay for the AsyncLocalStorage hooks the structlog setups turn on.
//   node bench/express-instructions.js <bare|pino-http|structlog|structlog-silent> <N> [4|5]
// Per request = the difference of two runs, which takes out start-up, e.g.:
//   valgrind --tool=callgrind --callgrind-out-file=/tmp/a node bench/express-instructions.js pino-http 500
//   valgrind --tool=callgrind --callgrind-out-file=/tmp/b node bench/express-instructions.js pino-http 1500
//   then (summary of b - summary of a) / 1000.
// structlog-silent is structlog with both lines below the level: the middleware's own cost.
// The count still moves with the machine's load, by more than most changes
// save: V8's compiler thread runs when valgrind lets it, so how long code
// stays unoptimized varies. The same build (structlog over bare, Express 5,
// 1,000/6,000) gave +209k, +234k and +250k a request with 2, 5 and 6
// valgrinds running at once. Compare two builds in runs made side by side,
// under the same load, and repeat the pair. (`node --single-threaded`, which
// would take the compiler thread out, gave the same total for 1,000 and
// 6,000 requests under valgrind: keep --single-threaded-gc.)
// Like autocannon in bench/express.js, the client sends no x-request-id (the id is generated).
import { fork } from "node:child_process";
import http from "node:http";
import { buildExpressApp } from "./express-app.js";

const [setup = "bare", n = "1000", major = "5"] = process.argv.slice(2);

if (setup === "client") {
  // The child: `n` is the port here, `major` the number of requests.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const get = () =>
    new Promise((resolve, reject) => {
      const req = http.get({ host: "127.0.0.1", port: Number(n), path: "/orders/42", agent }, (res) => {
        if (res.statusCode !== 200) reject(new Error(`status ${res.statusCode}`));
        res.resume();
        res.on("end", resolve);
      });
      req.on("error", reject);
    });
  for (let i = 0; i < Number(major); i++) await get();
  agent.destroy();
  process.exit(0);
}

const app = await buildExpressApp(setup, major);

const server = app.listen(0, "127.0.0.1");
await new Promise((resolve) => server.once("listening", resolve));
const client = fork(new URL(import.meta.url), ["client", String(server.address().port), n], { stdio: "inherit" });
const [code] = await new Promise((resolve) => client.once("exit", (...args) => resolve(args)));
server.close();
if (code !== 0) throw new Error(`client exited with ${code}`);
