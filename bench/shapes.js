// The event shapes of issue 10, one place for bench/core.js and
// bench/compare-builds.js: each shape says what is bound and what each call
// passes, once for structlog's (event, fields) and once for pino's
// (obj, msg). Values are built once, outside the timed loop, and the loop
// index goes into a field, so no line is a repeat of the last one.

const BOUND = { service: "checkout", region: "eu-west-1" };

function wideFields(n) {
  const fields = {};
  for (let k = 0; k < n; k++) {
    // A realistic mix: strings, numbers, booleans.
    fields[`field_${k}`] = k % 3 === 0 ? `value-${k}` : k % 3 === 1 ? k * 17 : k % 2 === 0;
  }
  return fields;
}

// Depth 5, a 10-item array, 30 keys in all (counted over every level).
const NESTED = {
  order: {
    id: "ORD-1042",
    total: 129.5,
    currency: "EUR",
    customer: {
      id: 77,
      tier: "gold",
      address: {
        city: "Lyon",
        country: "FR",
        geo: { lat: 45.76, lon: 4.83, precision: "city", verified: true },
      },
    },
    items: ["sku-1", "sku-2", "sku-3", "sku-4", "sku-5", "sku-6", "sku-7", "sku-8", "sku-9", "sku-10"],
  },
  payment: { method: "card", brand: "visa", last4: "4242", three_ds: true },
  shipping: { carrier: "ups", service: "express", eta_days: 2 },
  flags: { gift: false, express: true },
  attempt: 1,
};

// An Error whose cause chain is 3 deep: error → cause → cause → cause.
function errorChain() {
  const root = new Error("ECONNRESET: socket hang up");
  const dns = new Error("upstream connection failed", { cause: root });
  const gateway = new Error("payment gateway timeout", { cause: dns });
  return new Error("payment failed", { cause: gateway });
}
const ERROR = errorChain();

const wide20 = wideFields(20);
const wide100 = wideFields(100);

/** Binds 10 times, 2 fields each, as a request handler's helpers might. */
function bind10(logger, bindFn) {
  let l = logger;
  for (let k = 0; k < 10; k++) l = bindFn(l, { [`scope_${k}`]: `s${k}`, [`depth_${k}`]: k });
  return l;
}

/**
 * Each shape: `setup(root, bind)` returns the logger to log through (bind is
 * `(logger, fields) => child`), and `structlog(log, i)` / `pino(log, i)`
 * make one call; `scale` (default 1) is the share of LINES a run of a slow
 * shape logs, so every run takes about as long.
 */
export const SHAPES = {
  base: {
    title: "base: 3 call fields",
    setup: (root, bind) => bind(root, BOUND),
    structlog: (log, i) => log.info("user_login", { user_id: i, path: "/login", ok: true }),
    pino: (log, i) => log.info({ user_id: i, path: "/login", ok: true }, "user_login"),
  },
  wide20: {
    title: "20 call fields",
    scale: 0.5,
    setup: (root, bind) => bind(root, BOUND),
    structlog: (log, i) => log.info("request_completed", { ...wide20, i }),
    pino: (log, i) => log.info({ ...wide20, i }, "request_completed"),
  },
  wide100: {
    title: "100 call fields",
    scale: 0.2,
    setup: (root, bind) => bind(root, BOUND),
    structlog: (log, i) => log.info("request_completed", { ...wide100, i }),
    pino: (log, i) => log.info({ ...wide100, i }, "request_completed"),
  },
  nested: {
    title: "nested: depth 5, a 10-item array, 30 keys",
    scale: 0.5,
    setup: (root, bind) => bind(root, BOUND),
    structlog: (log, i) => log.info("order_placed", { i, ...NESTED }),
    pino: (log, i) => log.info({ i, ...NESTED }, "order_placed"),
  },
  error: {
    title: "Error with a 3-deep cause chain, the same one each call",
    setup: (root, bind) => bind(root, BOUND),
    structlog: (log, i) => log.error("payment_failed", { exc_info: ERROR, i }),
    pino: (log, i) => log.error({ err: ERROR, i }, "payment_failed"),
  },
  // The same error logged again, above, is formatted once (the compiled
  // chain keeps its text while nothing it was made from changes); a new
  // error on every call, here, is formatted every time.
  errorFresh: {
    title: "Error with a 3-deep cause chain, a new one each call",
    scale: 0.1,
    setup: (root, bind) => bind(root, BOUND),
    structlog: (log, i) => log.error("payment_failed", { exc_info: errorChain(), i }),
    pino: (log, i) => log.error({ err: errorChain(), i }, "payment_failed"),
  },
  bind10: {
    title: "10 nested bind()s (2 fields each), 3 call fields",
    setup: (root, bind) => bind10(bind(root, BOUND), bind),
    structlog: (log, i) => log.info("user_login", { user_id: i, path: "/login", ok: true }),
    pino: (log, i) => log.info({ user_id: i, path: "/login", ok: true }, "user_login"),
  },
};

export { BOUND };
