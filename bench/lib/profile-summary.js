"use strict";
/**
 * Summarises a V8 .cpuprofile (node --cpu-prof): self time by function and by file, and the
 * inclusive time of chosen functions. Usage: node bench/lib/profile-summary.js FILE… [TOP]
 */
const fs = require("node:fs");

function summarise(files, top = 25) {
  const byFn = new Map();
  const byFile = new Map();
  const inclusive = new Map();
  let total = 0;
  for (const file of [].concat(files)) total += add(JSON.parse(fs.readFileSync(file, "utf8")), byFn, byFile, inclusive);
  const fmt = (m) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, t]) => `${((t / total) * 100).toFixed(1).padStart(5)}%  ${(t / 1000).toFixed(0).padStart(6)} ms  ${k}`)
      .join("\n");
  return { total, self: fmt(byFn), files: fmt(byFile), inclusive: fmt(inclusive) };
}

function add(profile, byFn, byFile, inclusive) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map();
  const dt = profile.timeDeltas;
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    self.set(id, (self.get(id) ?? 0) + (dt[i] ?? 0));
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const label = (n) => {
    const f = n.callFrame;
    const url = f.url.replace(/^file:\/\//, "").replace(/.*\/(node_modules|dist)\//, "$1/");
    return `${f.functionName || "(anonymous)"} ${url}:${f.lineNumber + 1}`;
  };
  for (const [id, t] of self) {
    const n = nodes.get(id);
    byFn.set(label(n), (byFn.get(label(n)) ?? 0) + t);
    const url = n.callFrame.url.replace(/^file:\/\//, "").replace(/.*\/(node_modules|dist)\//, "$1/") || "(native)";
    byFile.set(url, (byFile.get(url) ?? 0) + t);
    // Inclusive: charge every distinct function on the stack once.
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const l = label(nodes.get(cur));
      if (seen.has(l)) continue;
      seen.add(l);
      inclusive.set(l, (inclusive.get(l) ?? 0) + t);
    }
  }
  return total;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const top = /^\d+$/.test(args[args.length - 1] ?? "") ? Number(args.pop()) : 25;
  const s = summarise(args, top);
  process.stdout.write(
    `total ${(s.total / 1000).toFixed(0)} ms\n\n## self time by function\n${s.self}\n\n## self time by file\n${s.files}\n\n## inclusive time\n${s.inclusive}\n`,
  );
}

module.exports = { summarise };
