// A module deep in the call tree, with its own logger: its lines carry the
// request's trace id too, with nothing passed down.
import { getLogger } from "@structlog/core";

const log = getLogger("stock");

export async function reserve(orderId) {
  await new Promise((resolve) => setTimeout(resolve, 5));
  log.info("stock_reserved", { order_id: orderId });
  return { reserved: true };
}
