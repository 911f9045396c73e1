// The redaction benchmarks' paths and event (bench/redact.js, bench/compare-builds.js).

/** Where the secrets are. */
export const PATHS = ["user.password", "headers.authorization", "headers.cookie", "*.cvc", "items[*].token"];

/** The event: a user, request headers, a card and line items, each holding a secret. */
export const fields = (i) => ({
  user: { id: i, name: "ann", password: "hunter2" },
  headers: { authorization: "Bearer abc.def", cookie: "sid=s3cr3t", accept: "*/*", "user-agent": "curl/8.5" },
  card: { last4: "1111", cvc: "123" },
  items: [
    { sku: "A-1", token: "t1" },
    { sku: "B-2", token: "t2" },
  ],
});
