// express4 is an npm alias of express@4 (see package.json); @types/express
// describes both majors' public API closely enough for these tests.
declare module "express4" {
  import express = require("express");
  export = express;
}
