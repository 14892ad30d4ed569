/**
 * Runs the real Pulumi CLI (built from Go modules by scripts/setup-pulumi) offline: an isolated
 * PULUMI_HOME with the Kubernetes provider installed, a throw-away file backend per project copy,
 * and the provider rendering YAML to a folder — no cluster, no cloud account, no network.
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

export const ROOT = path.resolve(__dirname, "..", "..");
/** Scratch space inside the repository, so programs resolve @pulumi/* from its node_modules. */
export const SCRATCH = path.join(ROOT, ".tools", "e2e");

let cachedEnv: NodeJS.ProcessEnv | undefined;

/** Builds (or reuses) the toolchain and returns the environment of its env.sh. */
export function toolchainEnv(): NodeJS.ProcessEnv {
  if (cachedEnv !== undefined) return cachedEnv;
  const setup = spawnSync(path.join(ROOT, "scripts", "setup-pulumi"), [], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (setup.status !== 0) throw new Error(`scripts/setup-pulumi failed:\n${setup.stdout}\n${setup.stderr}`);
  const envFile = path.join(ROOT, ".tools", "pulumi", "env.sh");
  const dump = execFileSync("bash", ["-c", `source "${envFile}" && env -0`], { encoding: "utf8" });
  const env: NodeJS.ProcessEnv = {};
  for (const entry of dump.split("\0")) {
    const eq = entry.indexOf("=");
    if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  delete env["KUBECONFIG"];
  cachedEnv = env;
  return env;
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr together, for assertions on what a user sees. */
  readonly output: string;
}

export class PulumiWorkspace {
  readonly dir: string;
  readonly backend: string;
  private readonly env: NodeJS.ProcessEnv;

  /** Scratch space of this workspace: the backend, rendered output, exported state. */
  readonly scratch: string;

  /**
   * A program folder with its own file backend: a fresh copy of `source`, or — with `inPlace` —
   * the folder itself (for programs that require the repository's compiled code by a relative
   * path; their committed stack config already carries its encryption salt, so nothing is written).
   */
  constructor(name: string, source?: string, options: { inPlace?: boolean } = {}) {
    fs.mkdirSync(SCRATCH, { recursive: true });
    const base = fs.mkdtempSync(path.join(SCRATCH, `${name}-`));
    this.scratch = base;
    this.dir = options.inPlace === true && source !== undefined ? source : path.join(base, "program");
    this.backend = path.join(base, "state");
    fs.mkdirSync(this.backend, { recursive: true });
    if (options.inPlace === true) {
      // run where it is
    } else if (source !== undefined)
      fs.cpSync(source, this.dir, {
        recursive: true,
        filter: (p) => !/node_modules|rendered|Pulumi\.[^/]*\.yaml$/.test(path.relative(source, p)),
      });
    else fs.mkdirSync(this.dir, { recursive: true });
    this.env = { ...toolchainEnv(), PULUMI_BACKEND_URL: `file://${this.backend}` };
  }

  pulumi(args: readonly string[], extraEnv: NodeJS.ProcessEnv = {}, cwd: string = this.dir): RunResult {
    const r = spawnSync("pulumi", [...args, "--non-interactive", "--color", "never"], {
      cwd,
      env: { ...this.env, ...extraEnv },
      encoding: "utf8",
      timeout: 10 * 60_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    const stdout = r.stdout ?? "";
    const stderr = r.stderr ?? "";
    return { code: r.status ?? -1, stdout, stderr, output: `${stdout}\n${stderr}` };
  }

  /** `pulumi stack init` (or select) of a stack in this workspace's backend. */
  stack(name: string, cwd: string = this.dir): void {
    const init = this.pulumi(["stack", "init", name], {}, cwd);
    if (init.code !== 0 && !/already exists/.test(init.output)) throw new Error(`stack init failed: ${init.output}`);
  }

  write(file: string, content: string): string {
    const full = path.join(this.dir, file);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, content);
    return full;
  }
}

export const POLICY_PACK = path.join(ROOT, "policypack");

/** Names of the policies a preview/up printed as violated, with their enforcement level. */
export function violations(output: string): { policy: string; level: string }[] {
  const out: { policy: string; level: string }[] = [];
  for (const m of output.matchAll(/- \[(mandatory|advisory|remediate)\]\s+\[severity: \w+\]\s+([a-z0-9-]+)\s/g)) {
    out.push({ level: m[1] as string, policy: m[2] as string });
  }
  return out;
}

/** Every file of a rendered folder parsed as YAML documents. */
export function renderedFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e.name)) files.push(p);
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return files.sort();
}

/** A setup step's own timeout: the first build of the toolchain takes many minutes. */
export const SETUP_TIMEOUT = 60 * 60_000;
export const STEP_TIMEOUT = 10 * 60_000;
