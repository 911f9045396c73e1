// The demo `npx -y pnpm@10 demo` runs: the example app on an ephemeral port,
// a handful of concurrent requests, then a clean stop. Every line of a
// request carries its request_id, and user_id once authentication knows it,
// including the lines of payments.js, which is never handed a logger.
//
//   node examples/fastify-app/demo.js                  (dev console; colour on a terminal)
//   ENV=production node examples/fastify-app/demo.js   (one JSON object per line)
import { buildApp } from "./app.js";
import { configureLogging } from "./logging.js";

configureLogging({ json: process.env.ENV === "production" });

const app = await buildApp();
const base = await app.listen({ port: 0, host: "127.0.0.1" });

const alice = { authorization: "Bearer token-alice" };
const bob = { authorization: "Bearer token-bob" };
const requests = [
  ["/orders/7", alice], // alice's order: charged by payments.js
  ["/orders/8?amount=5000", bob], // bob's card is declined: 402
  ["/orders/9", {}], // no credentials: 401, and no user_id
  ["/nope", alice], // no such route: 404
  ["/reports/daily", bob], // the route throws: 500, with the error on the request line
];
// All at once: the lines interleave, and each still carries its own request's ids.
await Promise.all(requests.map(([path, headers]) => fetch(base + path, { headers }).then((response) => response.arrayBuffer())));

await app.close();
