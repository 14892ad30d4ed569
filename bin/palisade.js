#!/usr/bin/env node
"use strict";
// The compiled CLI (npm's `prepare` builds dist/ on `npm ci`).
const path = require("node:path");
const fs = require("node:fs");
const entry = path.join(__dirname, "..", "dist", "cli", "main.js");
if (!fs.existsSync(entry)) {
  process.stderr.write("palisade: the CLI is not built yet; run `npm run build` (npm ci runs it for you)\n");
  process.exit(2);
}
require(entry)
  .main(process.argv.slice(2))
  .then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`palisade: internal error: ${err && err.message ? err.message : String(err)}\n`);
      process.exitCode = 2;
    },
  );
