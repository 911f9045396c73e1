// The app's own authentication. It knows nothing about logging: once it has
// the user, the auth middleware in app.js binds user_id for the rest of the
// request.
import { setTimeout as sleep } from "node:timers/promises";

const USERS = new Map([
  ["token-alice", { id: "alice", name: "Alice" }],
  ["token-bob", { id: "bob", name: "Bob" }],
]);

/** The user of `Authorization: Bearer <token>`, or undefined. */
export async function authenticate(req) {
  await sleep(1); // a session store lookup, say
  const match = /^Bearer (\S+)$/.exec(req.get("authorization") ?? "");
  return match ? USERS.get(match[1]) : undefined;
}
