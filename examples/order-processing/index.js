// bind() and new() with an order-processing flow (structlog's tutorial):
// bind once, and every later line of the flow carries the context.
import * as structlog from "@structlog/core";

structlog.configure({
  processors: [structlog.processors.addLogLevel, structlog.processors.jsonRenderer()],
});

const log = structlog.getLogger();

function processOrder(order) {
  const orderLog = log.bind({ order_id: order.id, customer_id: order.customer });
  orderLog.info("order_received", { items: order.items.length });

  const total = order.items.reduce((sum, item) => sum + item.price, 0);
  const pricedLog = orderLog.bind({ total });
  pricedLog.info("order_priced");

  if (total > 100) {
    pricedLog.warning("manual_review_required", { threshold: 100 });
  }
  pricedLog.unbind("total").info("order_shipped");

  // new() starts over: nothing from the order stays bound.
  log.new({ batch: "nightly" }).info("batch_progress", { done: order.id });
}

processOrder({ id: "ORD-101", customer: 7, items: [{ price: 30 }, { price: 20 }] });
processOrder({ id: "ORD-102", customer: 9, items: [{ price: 80 }, { price: 45 }] });
