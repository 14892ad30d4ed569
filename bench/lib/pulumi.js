"use strict";
/**
 * Policy-pack overhead: `pulumi preview` of generated stacks (bench/lib/stack.js) with and without
 * `--policy-pack policypack`, on the offline toolchain of scripts/setup-pulumi (built if missing),
 * each stack with its own local file backend under bench/.work. Variants, run interleaved so that
 * drift in the machine's load hits them alike:
 *   none      – no policy pack
 *   palisade  – --policy-pack policypack (what users run)
 *   noop      – a pack with as many policies as Palisade's, each doing nothing: what
 *               @pulumi/policy and the engine cost before any Palisade code runs
 *   noop1     – a pack with one policy that does nothing: the cost of a pack as such (the
 *               difference to noop is what each extra policy costs in @pulumi/policy)
 *   palisade-ts – policypack with the Node.js runtime's default `typescript: true` (ts-node
 *               loaded for compiled JavaScript): what PulumiPolicy.yaml's `typescript: false` saves
 */
const fs = require("node:fs");
const path = require("node:path");
const { execFileSync, spawnSync } = require("node:child_process");
const { measure } = require("./measure");
const { writeStack } = require("./stack");

const ROOT = path.resolve(__dirname, "..", "..");

function toolchainEnv(log) {
  const envFile = path.join(ROOT, ".tools", "pulumi", "env.sh");
  const setup = path.join(ROOT, "scripts", "setup-pulumi");
  log(`  scripts/setup-pulumi (builds the offline Pulumi toolchain only when missing or stale)`);
  const r = spawnSync(setup, [], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 90 * 60_000 });
  if (r.status !== 0) throw new Error(`scripts/setup-pulumi failed:\n${r.stdout}\n${r.stderr}`);
  const dump = execFileSync("bash", ["-c", `source "${envFile}" && env -0`], { encoding: "utf8" });
  const env = {};
  for (const entry of dump.split("\0")) {
    const eq = entry.indexOf("=");
    if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  delete env.KUBECONFIG;
  delete env.NODE_OPTIONS;
  return env;
}

/** A pack with the same policy names as Palisade's (or only the first), none of which does anything. */
function writeNoopPack(workDir, one = false) {
  const dir = path.join(workDir, one ? "noop1-pack" : "noop-pack");
  const { catalog } = require(path.join(ROOT, "dist", "policypack", "controls"));
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, "PulumiPolicy.yaml"),
    "runtime:\n  name: nodejs\n  options:\n    typescript: false\ndescription: no-op policies (bench)\n",
  );
  fs.writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({ name: "noop-pack", version: "0.1.0", main: "index.js" }),
  );
  const policies = catalog.map((c) =>
    c.scope === "resource"
      ? `{ name: ${JSON.stringify(c.id)}, description: "no-op", enforcementLevel: "advisory", validateResource: () => {} }`
      : `{ name: ${JSON.stringify(c.id)}, description: "no-op", enforcementLevel: "advisory", validateStack: () => {} }`,
  );
  policies.push(
    `{ name: "palisade-exemptions", description: "no-op", enforcementLevel: "advisory", validateResource: () => {} }`,
  );
  if (one) policies.splice(1);
  fs.writeFileSync(
    path.join(dir, "index.js"),
    `"use strict";\nconst { PolicyPack } = require("@pulumi/policy");\nnew PolicyPack("noop", { policies: [\n  ${policies.join(",\n  ")},\n] });\n`,
  );
  return dir;
}

/** policypack as it is, but with the Node.js runtime's defaults (ts-node loaded). */
function writeTsRuntimePack(workDir) {
  const dir = path.join(workDir, "palisade-ts-pack");
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const yaml = fs.readFileSync(path.join(ROOT, "policypack", "PulumiPolicy.yaml"), "utf8");
  fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), yaml.replace(/^runtime:\n(?: .*\n)+/m, "runtime: nodejs\n"));
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "policypack", "package.json"), "utf8"));
  pkg.main = path.join(ROOT, "dist", "policypack", "index.js");
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(pkg, null, 2));
  return dir;
}

/** Distinct resources a preview listed as created (each resource once, however many violations). */
function createdResources(text) {
  const names = new Set();
  // Progress dots can share a line with a step, so the step is not always at the line's start.
  for (const m of text.matchAll(/(?:^|\s)\+ {2}kubernetes:\S+ (\S+) create/gm)) names.add(m[1]);
  return names.size;
}

function benchPack({ workDir, outDir, sizes, runs, seed, variants, log }) {
  const env = toolchainEnv(log);
  const packs = {
    none: undefined,
    palisade: path.join(ROOT, "policypack"),
    noop: variants.includes("noop") ? writeNoopPack(workDir) : undefined,
    noop1: variants.includes("noop1") ? writeNoopPack(workDir, true) : undefined,
    "palisade-ts": variants.includes("palisade-ts") ? writeTsRuntimePack(workDir) : undefined,
  };
  const results = [];
  for (const size of sizes) {
    const stack = writeStack(workDir, size, seed);
    const stackEnv = {
      ...env,
      PULUMI_BACKEND_URL: `file://${stack.backend}`,
      BENCH_RENDER_DIR: stack.render,
    };
    const pulumi = (args) =>
      spawnSync("pulumi", [...args, "--non-interactive", "--color", "never"], {
        cwd: stack.program,
        env: stackEnv,
        encoding: "utf8",
      });
    const init = pulumi(["stack", "init", "bench"]);
    if (init.status !== 0) throw new Error(`pulumi stack init failed: ${init.stdout}${init.stderr}`);
    // One unmeasured preview: plugin cache, page cache, the program's first compile.
    pulumi(["preview"]);
    const byVariant = Object.fromEntries(variants.map((v) => [v, []]));
    for (let i = 0; i < runs; i++) {
      for (const variant of variants) {
        const args = ["preview", "--non-interactive", "--color", "never"];
        if (packs[variant] !== undefined) args.push("--policy-pack", packs[variant]);
        const m = measure(["pulumi", ...args], {
          runs: 1,
          label: `preview-${size}-${variant}-${i}`,
          outDir,
          cwd: stack.program,
          env: stackEnv,
          verify: (run) => {
            const text = fs.readFileSync(run.stdout, "utf8");
            const created = createdResources(text);
            if (created < size) throw new Error(`preview ${variant} listed ${created} of ${size} resources`);
            const violations = (text.match(/- \[(mandatory|advisory|remediate)\]/g) ?? []).length;
            if (variant === "palisade" && violations === 0) throw new Error("the pack reported nothing");
            return `${created} resources${variant === "none" ? "" : `, ${violations} policy violations reported`}`;
          },
        });
        byVariant[variant].push(m);
        log(`    preview ${size} ${variant}: ${m.wall.toFixed(2)} s (${m.note})`);
      }
    }
    const { median } = require("./measure");
    const summary = { size, variants: {} };
    for (const [variant, ms] of Object.entries(byVariant)) {
      summary.variants[variant] = {
        runs: ms.length,
        wall: median(ms.map((m) => m.wall)),
        cpu: median(ms.map((m) => m.cpu)),
        walls: ms.map((m) => m.wall),
        note: ms[ms.length - 1]?.note,
      };
    }
    results.push(summary);
  }
  return { results, pulumiVersion: execFileSync("pulumi", ["version"], { env, encoding: "utf8" }).trim() };
}

module.exports = { benchPack, toolchainEnv };
