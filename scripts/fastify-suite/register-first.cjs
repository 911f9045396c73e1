// Preloaded into Fastify's own test files (`node --require`): every app a
// test creates with the checkout's factory gets @structlog/fastify registered
// first, before the test's own plugins, hooks and routes. Used by run.sh.
//
// structlog writes to /dev/null: the test runner reads each file's stdout.
"use strict";
const Module = require("node:module");
const path = require("node:path");

const checkout = process.env.FASTIFY_CHECKOUT;
const packages = path.resolve(__dirname, "../../packages");
if (!checkout) throw new Error("register-first.cjs: set FASTIFY_CHECKOUT to the Fastify checkout");
const entry = path.join(checkout, "fastify.js");

// require() of an ES module: Node 20.19 and later.
const structlog = require(path.join(packages, "core/dist/index.js"));
const { structlogPlugin } = require(path.join(packages, "fastify/dist/index.js"));
structlog.configure({ loggerFactory: structlog.writeLoggerFactory("/dev/null") });

let original;
let wrapped;

function wrap(factory) {
  function fastifyWithStructlog(...args) {
    const app = factory(...args);
    app.register(structlogPlugin);
    return app;
  }
  Object.assign(fastifyWithStructlog, factory);
  fastifyWithStructlog.fastify = fastifyWithStructlog;
  fastifyWithStructlog.default = fastifyWithStructlog;
  return fastifyWithStructlog;
}

const load = Module._load;
Module._load = function (request, parent, isMain) {
  const exports = load.call(this, request, parent, isMain);
  if (original === undefined && (request.startsWith(".") || request.startsWith("/") || request === "fastify")) {
    let file;
    try {
      file = Module._resolveFilename(request, parent, isMain);
    } catch {
      return exports;
    }
    if (file === entry) {
      original = exports;
      wrapped = wrap(exports);
    }
  }
  return original !== undefined && exports === original ? wrapped : exports;
};
