#!/usr/bin/env node
"use strict";
/**
 * Palisade's benchmark (issue 5). Run with `npm run bench` (builds first), never part of `npm test`.
 *
 *   npm run bench                 full run: 1k/10k/50k corpora, peers, pulumi preview overhead
 *   npm run bench -- --quick      1,000 objects, Palisade's own figures only (under two minutes)
 *
 * Options: --sizes 1000,10000  --runs N  --no-peers  --no-pulumi  --only-pulumi  --retry-peers
 *          --peers checkov,kube-score  --pack-sizes 100,500  --pack-runs N  --seed N
 *          --pack-variants none,palisade,noop,noop1,palisade-ts
 *          --out DIR (default bench/results; --quick writes bench/.work/results-quick)
 *          --reach-sizes 50,100,200,500 (namespaces of 10 workloads, 5 policies)  --no-reach
 *          --access-sizes 1000,2500,5000,10000 (RoleBindings, 10 per namespace)  --no-access
 *          --startup-runs N (default 21)  --no-startup  --only-startup (start-up ratio only)
 *
 * Everything it makes goes to bench/.work (corpora, reports, stacks) and bench/.peers (peer tools),
 * both git-ignored; the results go to bench/results/latest.{md,json} and chart.svg.
 */
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { execFileSync } = require("node:child_process");
const { writeCorpus } = require("./lib/generate");
const { measure } = require("./lib/measure");
const { ensurePeers } = require("./lib/peers");
const { writeReport } = require("./lib/report");

const ROOT = path.resolve(__dirname, "..");
const WORK = path.join(__dirname, ".work");
const OUT = path.join(WORK, "out");

function parseArgs(argv) {
  const opts = {
    quick: false,
    peers: true,
    pulumi: true,
    reach: true,
    access: true,
    startup: true,
    retryPeers: false,
    seed: 20251127,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    const list = () => value().split(",").map(Number);
    if (a === "--quick") opts.quick = true;
    else if (a === "--no-peers") opts.peers = false;
    else if (a === "--no-pulumi") opts.pulumi = false;
    else if (a === "--no-reach") opts.reach = false;
    else if (a === "--reach-sizes") opts.reachSizes = list();
    else if (a === "--no-access") opts.access = false;
    else if (a === "--access-sizes") opts.accessSizes = list();
    else if (a === "--no-startup") opts.startup = false;
    else if (a === "--startup-runs") opts.startupRuns = Number(value());
    else if (a === "--only-startup") {
      opts.onlyStartup = true;
      opts.sizes = [];
      opts.peers = false;
      opts.reach = false;
      opts.access = false;
      opts.pulumi = false;
    } else if (a === "--only-pulumi") {
      opts.sizes = [];
      opts.peers = false;
      opts.reach = false;
      opts.access = false;
    } else if (a === "--retry-peers") opts.retryPeers = true;
    else if (a === "--sizes") opts.sizes = list();
    else if (a === "--runs") opts.runs = Number(value());
    else if (a === "--pack-sizes") opts.packSizes = list();
    else if (a === "--pack-runs") opts.packRuns = Number(value());
    else if (a === "--peers") opts.only = value().split(",");
    else if (a === "--pack-variants") opts.packVariants = value().split(",");
    else if (a === "--seed") opts.seed = Number(value());
    else if (a === "--out") opts.out = path.resolve(value());
    else if (a === "--help" || a === "-h") {
      process.stdout.write(fs.readFileSync(__filename, "utf8").split("*/")[0]);
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  if (opts.quick) {
    opts.sizes ??= [1000];
    opts.peers = false;
    opts.pulumi = false;
  }
  opts.sizes ??= [1000, 10000, 50000];
  opts.packSizes ??= [100, 500, 1000];
  opts.reachSizes ??= opts.quick ? [50, 500] : [50, 100, 200, 500];
  opts.accessSizes ??= opts.quick ? [1000, 10000] : [1000, 2500, 5000, 10000];
  opts.packRuns ??= 3;
  opts.startupRuns ??= opts.quick ? 11 : 21;
  // A partial run never overwrites the full results in bench/results.
  opts.out ??= opts.onlyStartup
    ? path.join(WORK, "results-startup")
    : opts.quick
      ? path.join(WORK, "results-quick")
      : path.join(__dirname, "results");
  return opts;
}

/** Measured runs per size: medians of 5 at 1k, 3 at 10k, 2 at 50k. */
function runsFor(size, opts) {
  if (opts.runs !== undefined) return opts.runs;
  if (size <= 1000) return 5;
  if (size <= 10000) return 3;
  return 2;
}

/** A slow peer's run at 50,000 objects is stopped after this many seconds (and reported so). */
const SLOW_CAP_S = 300;

/**
 * How a peer is run on a corpus: fast peers like Palisade; slow ones (Checkov, Trivy: tens of
 * seconds per thousand objects here) 3 runs at 1k, once at 10k, once capped at 50k, and the
 * directory form only at 1k. Returns undefined when the cell is not run.
 */
function peerPlan(peer, size, form, opts) {
  if (!peer.slow) return { runs: runsFor(size, opts), warmup: size <= 1000 ? 1 : 0, capSeconds: 0 };
  if (form === "dir" && size > 1000) return undefined;
  if (size <= 1000) return { runs: form === "file" ? 3 : 1, warmup: 0, capSeconds: 0 };
  return { runs: 1, warmup: 0, capSeconds: size > 10000 ? SLOW_CAP_S : 0 };
}

function log(line) {
  process.stdout.write(`${line}\n`);
}

function sh(cmd, args) {
  try {
    return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
  } catch {
    return undefined;
  }
}

function machine() {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    cores: cpus.length,
    cpu: cpus[0]?.model ?? "unknown",
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    go: sh("go", ["version"])?.replace(/^go version /, "") ?? "not installed",
    python: sh("python3", ["--version"]) ?? "not installed",
    loadStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

function palisadeCommand(target) {
  return [
    process.execPath,
    path.join(ROOT, "bin", "palisade.js"),
    "check",
    "--level",
    "hardened",
    "--format",
    "json",
    target,
  ];
}

function floorCommand(target) {
  return [process.execPath, path.join(__dirname, "lib", "floor.js"), target];
}

function verifyPalisade(count) {
  return (run) => {
    const report = JSON.parse(fs.readFileSync(run.stdout, "utf8"));
    if (report.summary.objects !== count || report.summary.errors !== 0)
      throw new Error(`palisade saw ${report.summary.objects} of ${count} objects, ${report.summary.errors} errors`);
    const objects = new Set(report.findings.map((f) => `${f.kind}/${f.namespace}/${f.name}`)).size;
    return `${report.summary.evaluated} objects evaluated, ${report.summary.findings} findings on ${objects} objects`;
  };
}

function verifyFloor(count) {
  return (run) => {
    const text = fs.readFileSync(run.stdout, "utf8").trim();
    if (text !== `objects=${count} errors=0`) throw new Error(`floor: ${text}`);
    return text;
  };
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const started = Date.now();
  fs.mkdirSync(WORK, { recursive: true });
  fs.rmSync(OUT, { recursive: true, force: true });
  const results = { machine: machine(), options: { ...opts, out: path.relative(ROOT, opts.out) }, corpora: [] };
  log(
    `Palisade bench: ${results.machine.cores} × ${results.machine.cpu}, ${results.machine.memoryGiB} GiB, node ${results.machine.node}`,
  );
  log(`load average at start: ${results.machine.loadStart.join(" ")}`);

  if (opts.startup) {
    // First, before the corpora warm the page cache for nothing else: one small file, the CLI's start-up.
    log(`start-up: palisade check of one small Deployment against node -e 0, ${opts.startupRuns} interleaved runs:`);
    try {
      results.startup = require("./lib/startup").benchStartup({ runs: opts.startupRuns, workDir: WORK, log });
    } catch (err) {
      results.startup = { error: err.message };
      log(`  FAILED: ${err.message}`);
    }
  }

  let peers = [];
  if (opts.peers) {
    log("peers:");
    peers = ensurePeers({ retry: opts.retryPeers, only: opts.only, log });
    for (const p of peers) log(`  ${p.peer.name}: ${p.ok ? `ok (${p.version})` : `not installed: ${p.reason}`}`);
  }
  results.peers = peers.map((p) => ({
    id: p.peer.id,
    name: p.peer.name,
    source: p.peer.source,
    package: p.peer.package,
    pinned: p.peer.version,
    ok: p.ok,
    version: p.version,
    reason: p.reason,
    install: p.command,
    installSeconds: p.seconds,
    coldBuildSeconds: p.peer.coldBuildSeconds,
  }));

  for (const size of opts.sizes) {
    log(`corpus ${size}:`);
    const corpus = writeCorpus(WORK, size, opts.seed);
    log(`  ${corpus.bytes} bytes, ${corpus.files} files in the directory form`);
    const entry = { size, bytes: corpus.bytes, files: corpus.files, kinds: corpus.kinds, forms: {} };
    for (const form of ["file", "dir"]) {
      const target = form === "file" ? corpus.file : corpus.dir;
      const rel = path.relative(ROOT, target);
      const runs = runsFor(size, opts);
      const tools = {};
      const common = { outDir: OUT, warmup: 1, cwd: ROOT };
      tools.palisade = measure(palisadeCommand(target), {
        ...common,
        runs,
        label: `palisade-${size}-${form}`,
        verify: verifyPalisade(size),
      });
      tools.palisade.command = `node bin/palisade.js check --level hardened --format json ${rel}`;
      log(
        `  palisade (${form}): ${tools.palisade.wall.toFixed(2)} s, ${tools.palisade.maxrssMb.toFixed(0)} MB — ${tools.palisade.note}`,
      );
      tools.floor = measure(floorCommand(target), {
        ...common,
        runs,
        label: `floor-${size}-${form}`,
        verify: verifyFloor(size),
      });
      tools.floor.command = `node bench/lib/floor.js ${rel}`;
      log(`  floor (${form}): ${tools.floor.wall.toFixed(2)} s, ${tools.floor.maxrssMb.toFixed(0)} MB`);
      for (const p of peers.filter((x) => x.ok)) {
        const plan = peerPlan(p.peer, size, form, opts);
        if (plan === undefined) {
          tools[p.peer.id] = { skipped: "not run: tens of seconds per 1,000 objects here (time budget)" };
          continue;
        }
        const command = p.peer.command(p.binary, target, form === "dir");
        try {
          const m = measure(command, {
            ...common,
            ...plan,
            label: `${p.peer.id}-${size}-${form}`,
            env: { ...process.env, ...(p.peer.env ?? {}) },
            verify: p.peer.verify,
          });
          m.command = command
            .map((a) => (path.isAbsolute(a) ? path.relative(ROOT, a) : a))
            .slice(0, 12)
            .join(" ")
            .concat(command.length > 12 ? ` … (${command.length - 12} more files)` : "");
          tools[p.peer.id] = m;
          log(
            `  ${p.peer.name} (${form}): ${m.timedOut ? `stopped after ${m.wall.toFixed(0)} s` : `${m.wall.toFixed(2)} s, ${m.maxrssMb.toFixed(0)} MB — ${m.note}`}`,
          );
        } catch (err) {
          tools[p.peer.id] = { error: err.message.split("\n")[0] };
          log(`  ${p.peer.name} (${form}): FAILED ${err.message.split("\n")[0]}`);
        }
      }
      entry.forms[form] = tools;
    }
    // In-process evaluate() cost per object (the engine alone, parse excluded).
    const ev = JSON.parse(
      execFileSync(
        process.execPath,
        [path.join(__dirname, "lib", "evaluate-cost.js"), corpus.file, String(runsFor(size, opts) + 2)],
        {
          encoding: "utf8",
          maxBuffer: 16 * 1024 * 1024,
        },
      ),
    );
    entry.evaluate = ev;
    log(
      `  evaluate() in process: ${ev.ms.toFixed(0)} ms (CPU ${ev.cpuMs.toFixed(0)} ms), ${ev.usPerObject.toFixed(1)} µs/object`,
    );
    results.corpora.push(entry);
  }

  if (opts.reach) {
    log("palisade reach (NetworkPolicy connectivity):");
    try {
      results.reach = require("./lib/reach").benchReach({ sizes: opts.reachSizes, runs: opts.quick ? 1 : 3, log });
    } catch (err) {
      results.reach = { error: err.message };
      log(`  FAILED: ${err.message}`);
    }
  }

  if (opts.access) {
    log("palisade access (RBAC effective permissions and escalation):");
    try {
      results.access = require("./lib/access").benchAccess({
        sizes: opts.accessSizes,
        runs: opts.quick ? 1 : 3,
        log,
      });
    } catch (err) {
      results.access = { error: err.message };
      log(`  FAILED: ${err.message}`);
    }
  }

  if (opts.pulumi) {
    log("pulumi preview (policy-pack overhead):");
    const { benchPack } = require("./lib/pulumi");
    try {
      results.pack = benchPack({
        workDir: WORK,
        outDir: OUT,
        sizes: opts.packSizes,
        runs: opts.packRuns,
        seed: opts.seed,
        variants: opts.packVariants ?? ["none", "palisade", "noop", "noop1", "palisade-ts"],
        log,
      });
    } catch (err) {
      results.pack = { error: err.message };
      log(`  FAILED: ${err.message}`);
    }
  }

  results.machine.loadEnd = os.loadavg().map((l) => Math.round(l * 100) / 100);
  results.seconds = Math.round((Date.now() - started) / 1000);
  const written = writeReport(results, opts.out);
  log(`load average at end: ${results.machine.loadEnd.join(" ")}; ${results.seconds} s in all`);
  for (const f of written) log(`wrote ${path.relative(ROOT, f)}`);
}

main();
