"use strict";
/**
 * The floor: what `palisade check` cannot go below. Reads the same paths the same way (files, or
 * directories walked for *.yaml/*.yml/*.json in sorted order) and parses them with the same
 * parser (parseManifests from policypack/engine/parse.ts, i.e. the `yaml` package, YAML 1.1),
 * then does nothing else. Prints `objects=N`, so the harness can check it saw every object.
 *
 * Usage: node bench/lib/floor.js PATH…
 */
const fs = require("node:fs");
const path = require("node:path");
const { parseManifests } = require("../../dist/policypack/engine/parse");

function files(p, out) {
  if (fs.statSync(p).isDirectory()) {
    const entries = fs.readdirSync(p, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of entries) {
      const full = path.join(p, e.name);
      if (e.isDirectory()) files(full, out);
      else if (/\.(ya?ml|json)$/i.test(e.name)) out.push(full);
    }
  } else out.push(p);
  return out;
}

let objects = 0;
let errors = 0;
for (const arg of process.argv.slice(2)) {
  for (const file of files(arg, [])) {
    const parsed = parseManifests(fs.readFileSync(file, "utf8"), file);
    objects += parsed.objects.length;
    errors += parsed.errors.length;
  }
}
process.stdout.write(`objects=${objects} errors=${errors}\n`);
