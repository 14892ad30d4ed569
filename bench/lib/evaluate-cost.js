"use strict";
/**
 * In-process cost of evaluate(): parses a corpus once (not timed), runs evaluate() once to warm
 * up, then times RUNS more runs of evaluate() over all its objects at the given level, and prints
 * JSON: median wall and CPU milliseconds per run and microseconds per object, and the findings count.
 *
 * Usage: node bench/lib/evaluate-cost.js FILE RUNS [LEVEL]
 */
const fs = require("node:fs");
const { parseManifests } = require("../../dist/policypack/engine/parse");
const { evaluate } = require("../../dist/policypack/engine/evaluate");
const { catalog } = require("../../dist/policypack/controls");

const [file, runsText = "5", level = "hardened"] = process.argv.slice(2);
const parsed = parseManifests(fs.readFileSync(file, "utf8"), file);
const objects = parsed.objects.map((p) => p.object);
const sources = new Map(parsed.objects.map((p) => [p.object, { file, line: p.line }]));
const options = { controls: catalog, level, sourceOf: (o) => sources.get(o), now: new Date("2025-11-27T00:00:00Z") };

const first = evaluate(objects, options);
const times = [];
const cpuTimes = [];
for (let i = 0; i < Number(runsText); i++) {
  const t = process.hrtime.bigint();
  const c = process.cpuUsage();
  const r = evaluate(objects, options);
  const cpu = process.cpuUsage(c);
  times.push(Number(process.hrtime.bigint() - t) / 1e6);
  cpuTimes.push((cpu.user + cpu.system) / 1000);
  if (r.findings.length !== first.findings.length) throw new Error("evaluate is not deterministic");
}
const median = (v) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = median(times);
const cpuMs = median(cpuTimes);
process.stdout.write(
  `${JSON.stringify({
    objects: objects.length,
    findings: first.findings.length,
    ms,
    usPerObject: (ms * 1000) / objects.length,
    cpuMs,
    cpuUsPerObject: (cpuMs * 1000) / objects.length,
    times,
  })}\n`,
);
