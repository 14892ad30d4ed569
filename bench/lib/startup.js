"use strict";
/**
 * Start-up cost (issue 13): the wall time of `palisade check` on one small Deployment, against a
 * bare `node -e 0` measured in the same run, interleaved round-robin so load on the machine hits
 * every variant alike. Pre-commit hooks and editors run the CLI on every save: this is their cost.
 *
 * Variants:
 *   node         node -e 0
 *   cli          node bin/palisade.js check small.yaml: the bundle, V8 code cache warm (every run after the first)
 *   cli-cold     the same with PALISADE_COMPILE_CACHE=off: the bundle compiled from source (a first run)
 *   modules      the tsc output dist/cli/main.js loaded module by module: what bin/palisade.js ran before
 *
 * Standalone: node bench/lib/startup.js [runs]  (after npm run build)
 */
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { spawnSync } = require("node:child_process");

const ROOT = path.resolve(__dirname, "..", "..");
const RUSAGE = path.join(__dirname, "rusage.py");

const SMALL = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 2
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: ghcr.io/example/web:1.4.2
          ports: [{ containerPort: 8080 }]
`;

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function variants(file, cacheDir) {
  const node = process.execPath;
  const bin = path.join(ROOT, "bin", "palisade.js");
  const modulesRunner = `require(${JSON.stringify(path.join(ROOT, "dist", "cli", "main.js"))}).main(["check", ${JSON.stringify(file)}]).then((c) => { process.exitCode = c; })`;
  return [
    { id: "node", command: [node, "-e", "0"], env: {}, expect: 0 },
    { id: "cli", command: [node, bin, "check", file], env: { PALISADE_COMPILE_CACHE: cacheDir }, expect: 1 },
    { id: "cli-cold", command: [node, bin, "check", file], env: { PALISADE_COMPILE_CACHE: "off" }, expect: 1 },
    { id: "modules", command: [node, "-e", modulesRunner], env: {}, expect: 1 },
  ];
}

/**
 * Median wall (and CPU) seconds of each variant over `runs` interleaved rounds, after one warm-up
 * round. Each run goes through rusage.py: the child's own wall time (fork to exit) and its CPU
 * time (user + sys), which hardly moves with the load of the machine.
 */
function benchStartup({ runs = 21, workDir = path.join(ROOT, "bench", ".work"), log = () => {} } = {}) {
  const dir = path.join(workDir, "startup");
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "small.yaml");
  fs.writeFileSync(file, SMALL);
  const cacheDir = path.join(dir, "compile-cache");
  fs.rmSync(cacheDir, { recursive: true, force: true });
  const out = path.join(dir, "out.txt");
  const err = path.join(dir, "err.txt");
  const list = variants(file, cacheDir);
  const walls = Object.fromEntries(list.map((v) => [v.id, []]));
  const cpus = Object.fromEntries(list.map((v) => [v.id, []]));
  const loadStart = os.loadavg()[0];
  for (let round = -1; round < runs; round++) {
    for (const v of list) {
      const r = spawnSync("python3", [RUSAGE, out, err, ROOT, "0", "--", ...v.command], {
        env: { ...process.env, ...v.env },
        encoding: "utf8",
      });
      if (r.status !== 0) throw new Error(`startup: measuring ${v.id} failed: ${r.stderr}`);
      const m = JSON.parse(r.stdout);
      if (m.code !== v.expect)
        throw new Error(
          `startup: ${v.id} exited ${m.code} (expected ${v.expect}): ${fs.readFileSync(err, "utf8").slice(0, 500)}`,
        );
      if (round >= 0) {
        walls[v.id].push(m.wall);
        cpus[v.id].push(m.user + m.sys);
      }
    }
  }
  const node = median(walls.node);
  const nodeCpu = median(cpus.node);
  const result = { runs, file: path.relative(ROOT, file), loadStart, loadEnd: os.loadavg()[0], variants: {} };
  for (const v of list) {
    const wall = median(walls[v.id]);
    const cpu = median(cpus[v.id]);
    const min = Math.min(...walls[v.id]);
    const max = Math.max(...walls[v.id]);
    result.variants[v.id] = {
      command: v.command
        .map((a) => (a === process.execPath ? "node" : path.isAbsolute(a) ? path.relative(ROOT, a) : a))
        .join(" ")
        .replaceAll(`${ROOT}/`, ""),
      env: v.env,
      wall,
      ratio: wall / node,
      min,
      max,
      cpu,
      cpuRatio: cpu / nodeCpu,
    };
    const ms = (x) => (x * 1000).toFixed(0);
    log(
      `  ${v.id.padEnd(9)} ${ms(wall).padStart(4)} ms  ${(wall / node).toFixed(2)}× node -e 0  (min ${ms(min)}, max ${ms(max)});  CPU ${ms(cpu)} ms, ${(cpu / nodeCpu).toFixed(2)}×`,
    );
  }
  return result;
}

module.exports = { benchStartup };

if (require.main === module) {
  const runs = Number(process.argv[2] ?? 21);
  process.stdout.write(`start-up, ${runs} interleaved runs, median wall:\n`);
  benchStartup({ runs, log: (l) => process.stdout.write(`${l}\n`) });
}
