// Code far from the HTTP layer: it logs through a module-level logger and
// is never handed the request. Its lines still carry request_id and user_id,
// from the request's context variables.
import * as structlog from "@structlog/core";

const log = structlog.getLogger("payments");

/** Pretends to charge a card, taking a little while, as a payment gateway would. */
export async function chargeCard(orderId, amount) {
  await new Promise((resolve) => setTimeout(resolve, 5));
  if (amount > 1000) {
    log.warning("card_declined", { order_id: orderId, amount, reason: "limit" });
    const error = new Error("card declined");
    error.statusCode = 402;
    throw error;
  }
  log.info("card_charged", { order_id: orderId, amount });
  return { charged: amount };
}
