"use strict";
/** Runs a command in a child process, measured by bench/lib/rusage.py; medians of several runs. */
const fs = require("node:fs");
const path = require("node:path");
const { spawnSync } = require("node:child_process");

const RUSAGE = path.join(__dirname, "rusage.py");

/**
 * One measured run. stdout and stderr go to files under outDir (named by `label`), so even a
 * large report is never held by the harness; returns the cost and the paths.
 */
function measureOnce(command, { label, outDir, cwd = process.cwd(), env = process.env, capSeconds = 0 }) {
  fs.mkdirSync(outDir, { recursive: true });
  const stdout = path.join(outDir, `${label}.out`);
  const stderr = path.join(outDir, `${label}.err`);
  const r = spawnSync("python3", [RUSAGE, stdout, stderr, cwd, String(capSeconds), "--", ...command], {
    encoding: "utf8",
    env,
    maxBuffer: 1024 * 1024,
  });
  if (r.status !== 0 || r.error) {
    throw new Error(`measuring ${command.join(" ")} failed: ${r.error?.message ?? r.stderr}`);
  }
  return { ...JSON.parse(r.stdout), stdout, stderr };
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * `runs` measured runs of the command (after `warmup` unmeasured ones, which also warm the page
 * cache); `verify(run)` checks each run's output and returns a note (or throws). Returns medians.
 * With `capSeconds`, a run still going then is stopped and the result says so (timedOut).
 */
function measure(command, { runs, warmup = 0, verify, ...options }) {
  for (let i = 0; i < warmup; i++) measureOnce(command, { ...options, label: `${options.label}.warmup` });
  const all = [];
  for (let i = 0; i < runs; i++) {
    const run = measureOnce(command, { ...options, label: `${options.label}.${i}` });
    if (run.timeout) {
      return {
        runs: 1,
        timedOut: true,
        wall: run.wall,
        cpu: run.user + run.sys,
        maxrssMb: run.maxrss_kb / 1024,
        walls: [run.wall],
        codes: [],
      };
    }
    run.note = verify ? verify(run) : undefined;
    all.push(run);
    // Keep only the last run's report on disk: the corpora are large and so are the reports.
    if (i < runs - 1) for (const f of [run.stdout, run.stderr]) fs.rmSync(f, { force: true });
  }
  return {
    runs: all.length,
    wall: median(all.map((r) => r.wall)),
    cpu: median(all.map((r) => r.user + r.sys)),
    maxrssMb: median(all.map((r) => r.maxrss_kb / 1024)),
    walls: all.map((r) => r.wall),
    codes: [...new Set(all.map((r) => r.code))],
    note: all[all.length - 1]?.note,
  };
}

/**
 * How time grows with size: the least-squares slope of log(time) on log(size) over [size, time]
 * points with a positive time, to two decimals (1 is linear); undefined under two points.
 */
function growthExponent(points) {
  const pts = points.filter(([, y]) => y > 0).map(([x, y]) => [Math.log(x), Math.log(y)]);
  if (pts.length < 2) return undefined;
  const mx = pts.reduce((a, [x]) => a + x, 0) / pts.length;
  const my = pts.reduce((a, [, y]) => a + y, 0) / pts.length;
  const num = pts.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0);
  const den = pts.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  return Math.round((num / den) * 100) / 100;
}

module.exports = { measure, measureOnce, median, growthExponent };
