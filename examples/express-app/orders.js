// Deep application code: a module-level logger, no request object in sight.
// Its lines still carry request_id and user_id, from the request's context.
import { setTimeout as sleep } from "node:timers/promises";
import * as structlog from "@structlog/core";

const log = structlog.getLogger("orders");
const orders = new Map([
  ["42", { id: "42", item: "teapot", total: 18.5 }],
  ["43", { id: "43", item: "kettle", total: 31 }],
]);

export async function loadOrder(id) {
  log.debug("order_query", { order_id: id });
  await sleep(2); // the database
  if (id === "boom") throw Object.assign(new Error("orders database unavailable"), { code: "ECONNRESET" });
  const order = orders.get(id);
  log.info(order ? "order_loaded" : "order_missing", { order_id: id });
  return order;
}

export async function createOrder(input) {
  await sleep(2);
  const order = { id: String(orders.size + 42), item: String(input.item), total: Number(input.total) };
  orders.set(order.id, order);
  setTimeout(() => log.info("confirmation_sent", { order_id: order.id }), 5); // still this request's context
  return order;
}
