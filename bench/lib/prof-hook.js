"use strict";
/**
 * `NODE_OPTIONS=--require bench/lib/prof-hook.js` (with PROF_DIR set): CPU-profiles a Node process
 * that is not started by us (the Pulumi program and the policy pack, which pulumi launches and
 * where --cpu-prof is refused in NODE_OPTIONS). The profile is rewritten every few seconds and at
 * exit, because the policy pack is killed rather than exited.
 */
const inspector = require("node:inspector");
const fs = require("node:fs");
const path = require("node:path");

const dir = process.env.PROF_DIR;
if (dir) {
  const session = new inspector.Session();
  session.connect();
  const base = `${path.basename(process.argv[1] || "node")}-${process.pid}`;
  let windowIndex = 0;
  let writing = false;
  const write = (restart) => {
    if (writing) return;
    writing = true;
    session.post("Profiler.stop", (err, res) => {
      const file = path.join(dir, `${base}-${String(windowIndex++).padStart(3, "0")}.cpuprofile`);
      if (!err && res) fs.writeFileSync(file, JSON.stringify(res.profile));
      if (restart) session.post("Profiler.start", () => (writing = false));
    });
  };
  session.post("Profiler.enable", () =>
    session.post("Profiler.setSamplingInterval", { interval: 1000 }, () => session.post("Profiler.start")),
  );
  // Every PROF_EVERY seconds the window so far is written to its own file (summaries add them up).
  const every = Number(process.env.PROF_EVERY || 0);
  if (every > 0) setInterval(() => write(true), every * 1000).unref();
  process.on("exit", () => write(false));
  for (const sig of ["SIGTERM", "SIGINT"])
    process.on(sig, () => {
      write(false);
      process.exit(0);
    });
}
