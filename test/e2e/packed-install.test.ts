/**
 * Palisade as users install it (issue 13): `npm pack` the repository (prepack builds), install
 * the tarball into a fresh Pulumi TypeScript project and a fresh cdk8s project outside the
 * repository (so nothing resolves from the repository's node_modules), and run what README.md's
 * "Use it in your project" tells a user to run:
 *
 * - `npx tsc --noEmit` of index.ts under Pulumi's template tsconfig with exactOptionalPropertyTypes
 *   (no skipLibCheck): users' compilers must see only .d.ts files, and no error in them;
 * - `pulumi preview --policy-pack node_modules/palisade-k8s/policypack`: the hardened program is
 *   accepted, an insecure one refused (the real Pulumi CLI, offline: test/e2e/pulumi.ts);
 * - `npx cdk8s synth` with the plugin loaded from the installed package by path, and by package
 *   name (cdk8s installs a named plugin with `npm install palisade-k8s@<version> --prefix
 *   <pluginsDirectory>/palisade-k8s/<version>`; the test runs that same install from the tarball,
 *   as the package is not on the registry yet);
 * - the installed CLI (`npx palisade check dist`), and `npx -p <package> palisade`;
 * - in a fresh Pulumi YAML project, the installed package as the Pulumi package `palisade`
 *   (README.md's "From any Pulumi language"): `pulumi package add ./node_modules/palisade-k8s`,
 *   `pulumi package get-schema`, and preview/up of SecureNamespace and HardenedWorkload with the
 *   installed pack. The package ships for this PulumiPlugin.yaml and the TypeScript source the
 *   schema inference reads (components/pulumi/package.ts, package-args.ts and their package.yaml
 *   and tsconfig.json) — its only .ts files, which no export of the package points at.
 *
 * The commands are README.md's, with `palisade-k8s` replaced by the tarball and the peers pinned
 * to the repository's versions (npm's cache has them: `--prefer-offline`).
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ROOT, type RunResult, toolchainEnv, violations } from "./pulumi";
import { addPalisadePackage, renderedManifests } from "./pulumi-package";
import {
  CDK8S_MAIN_JS,
  cdk8sYaml,
  COMMANDS,
  PEERS,
  PULUMI_INDEX_TS,
  PULUMI_TSCONFIG,
  PULUMI_YAML,
  PULUMI_YAML_PROGRAM,
} from "./packed-projects";

const VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }).version;
const repoVersion = (pkg: string): string =>
  (JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", pkg, "package.json"), "utf8")) as { version: string })
    .version;

/** The TypeScript sources the package ships: read by the Pulumi package's schema inference only. */
const PULUMI_PACKAGE_SOURCES = ["components/pulumi/package-args.ts", "components/pulumi/package.ts"];

let work: string;
let tarball: string;
let packedFiles: string[];
const timings: string[] = [];

/** npm without audit, funding or update notices, from the cache where it can. */
const NPM_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  npm_config_prefer_offline: "true",
  npm_config_audit: "false",
  npm_config_fund: "false",
  npm_config_update_notifier: "false",
  CDK8S_CHECK_UPGRADE: "false",
  NO_COLOR: "1",
  FORCE_COLOR: "0",
};

interface Run {
  readonly code: number;
  readonly output: string;
  readonly stdout: string;
  readonly stderr: string;
}

function run(cmd: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = NPM_ENV): Run {
  const started = Date.now();
  const r: SpawnSyncReturns<string> = spawnSync(cmd, args, {
    cwd,
    env,
    encoding: "utf8",
    timeout: 10 * 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  timings.push(`${((Date.now() - started) / 1000).toFixed(1)} s  ${cmd} ${args.join(" ")}`.slice(0, 160));
  const stdout = r.stdout ?? "";
  const stderr = r.stderr ?? "";
  return {
    code: r.status ?? -1,
    stdout,
    stderr,
    output: `${stdout}\n${stderr}${r.error ? `\n${r.error.message}` : ""}`,
  };
}

function ok(r: Run, what: string): Run {
  if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}):\n${r.output.slice(-6000)}`);
  return r;
}

/** A README command as argv, with `palisade-k8s` swapped for the tarball and the peers pinned. */
function argv(command: string, pins: Record<string, string> = {}): string[] {
  return command
    .split(" ")
    .slice(1)
    .map((word) => (word === "palisade-k8s" && command.startsWith("npm install") ? tarball : (pins[word] ?? word)));
}

function project(name: string, files: Record<string, string>): string {
  const dir = path.join(work, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "package.json"), `${JSON.stringify({ name, private: true }, null, 2)}\n`);
  for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), text);
  return dir;
}

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "palisade-packed-"));
  // prepack builds dist/ (tsc, then the CLI bundle); the tarball goes to the temp folder.
  const pack = ok(run("npm", ["pack", "--json", "--pack-destination", work], ROOT), "npm pack");
  const json = pack.stdout.slice(pack.stdout.search(/^\[/m));
  const [info] = JSON.parse(json) as { filename: string; files: { path: string }[] }[];
  tarball = path.join(work, info!.filename);
  packedFiles = info!.files.map((f) => f.path).sort();
}, 10 * 60_000);

afterAll(() => {
  process.stdout.write(`packed-install timings:\n  ${timings.join("\n  ")}\n`);
  if (work !== undefined && process.env["PALISADE_KEEP_PACKED"] === undefined)
    fs.rmSync(work, { recursive: true, force: true });
});

describe("the package", () => {
  it("ships run-time files only: compiled JS, .d.ts, the pack's folder, the Pulumi package's plugin and inference sources, docs, README, LICENSE", () => {
    const allowed =
      /^(LICENSE|README\.md|package\.json|PulumiPlugin\.yaml|bin\/palisade\.js|docs\/[^/]+\.md|policypack\/(package\.json|PulumiPolicy\.yaml)|components\/pulumi\/(package\.ts|package-args\.ts|package\.yaml|tsconfig\.json)|dist\/(index\.(js|d\.ts)|palisade\.js|(cli|components|policypack)\/.+\.(js|d\.ts)))$/;
    expect(packedFiles.filter((f) => !allowed.test(f))).toEqual([]);
    // The only TypeScript sources: what the Pulumi package's schema inference reads.
    expect(packedFiles.filter((f) => /\.ts$/.test(f) && !/\.d\.ts$/.test(f))).toEqual(PULUMI_PACKAGE_SOURCES);
    for (const needed of [
      "LICENSE",
      "bin/palisade.js",
      "dist/palisade.js",
      "dist/policypack/index.js",
      "dist/components/cdk8s/validation-plugin.js",
      "policypack/PulumiPolicy.yaml",
      "PulumiPlugin.yaml",
      "components/pulumi/package.yaml",
      "components/pulumi/tsconfig.json",
      "dist/components/pulumi/provider.js",
    ])
      expect(packedFiles).toContain(needed);
  });

  it("declares no install-time scripts and is publishable", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
      name: string;
      private?: boolean;
      scripts: Record<string, string>;
    };
    expect(pkg.name).toBe("palisade-k8s");
    expect(pkg.private).toBeUndefined();
    for (const hook of ["preinstall", "install", "postinstall", "prepare"]) expect(pkg.scripts[hook]).toBeUndefined();
  });

  it("README.md and docs/install.md give the commands this test runs", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const guide = fs.readFileSync(path.join(ROOT, "docs", "install.md"), "utf8");
    for (const command of Object.values(COMMANDS)) {
      expect(readme).toContain(command);
      expect(guide).toContain(command);
    }
  });
});

describe("a fresh Pulumi TypeScript project", () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(() => {
    dir = project("shop-infra", {
      "Pulumi.yaml": PULUMI_YAML,
      "tsconfig.json": PULUMI_TSCONFIG,
      "index.ts": PULUMI_INDEX_TS,
    });
    const pins = {
      "@pulumi/pulumi": PEERS.pulumi,
      "@pulumi/kubernetes": PEERS.kubernetes,
      "@pulumi/policy": PEERS.policy,
    };
    ok(
      run(
        "npm",
        [
          ...argv(COMMANDS.pulumiInstall, pins),
          `typescript@${repoVersion("typescript")}`,
          `@types/node@${repoVersion("@types/node")}`,
        ],
        dir,
      ),
      "npm install (Pulumi project)",
    );
    const backend = path.join(work, "pulumi-state");
    fs.mkdirSync(backend, { recursive: true });
    // index.ts is type-checked by its own test below; the preview only transpiles it.
    env = { ...toolchainEnv(), PULUMI_BACKEND_URL: `file://${backend}`, PULUMI_NODEJS_TRANSPILE_ONLY: "true" };
    const pulumi = (args: string[]): Run => run("pulumi", [...args, "--non-interactive"], dir, env);
    ok(pulumi(["stack", "init", "dev"]), "pulumi stack init");
    ok(pulumi(["config", "set", "renderDir", path.join(work, "rendered")]), "pulumi config set");
  }, 15 * 60_000);

  it("installs no TypeScript sources but the Pulumi package's two, which no export points at: the compiler sees .d.ts only", () => {
    const installed = path.join(dir, "node_modules", "palisade-k8s");
    const sources: string[] = [];
    const walk = (d: string): void => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")) sources.push(p);
      }
    };
    walk(installed);
    expect(sources.map((p) => path.relative(installed, p)).sort()).toEqual(PULUMI_PACKAGE_SOURCES);
  });

  it("type-checks index.ts with strict and exactOptionalPropertyTypes (moduleResolution node, no skipLibCheck)", () => {
    const r = run("npx", argv(COMMANDS.typecheck), dir);
    expect(r.output.trim()).toBe("");
    expect(r.code).toBe(0);
  });

  it("type-checks under moduleResolution node16 too (the package's exports)", () => {
    const r = run("npx", [...argv(COMMANDS.typecheck), "--module", "node16", "--moduleResolution", "node16"], dir);
    expect(r.output.trim()).toBe("");
    expect(r.code).toBe(0);
  });

  it("pulumi preview with the installed pack accepts the hardened program", () => {
    const r = run("pulumi", [...argv(COMMANDS.preview), "--non-interactive", "--color", "never"], dir, env);
    expect(r.output).toContain("palisade@v0.1.0 (local: node_modules/palisade-k8s/policypack)");
    expect(violations(r.output).filter((v) => v.level === "mandatory")).toEqual([]);
    expect(r.output).toMatch(/kubernetes:apps\/v1:Deployment\s+web-deployment-web\s+create/);
    expect(r.code).toBe(0);
  });

  it("pulumi preview with the installed pack refuses an insecure program", () => {
    ok(run("pulumi", ["config", "set", "insecure", "true", "--non-interactive"], dir, env), "config set insecure");
    try {
      const r = run("pulumi", [...argv(COMMANDS.preview), "--non-interactive", "--color", "never"], dir, env);
      const mandatory = violations(r.output)
        .filter((v) => v.level === "mandatory")
        .map((v) => v.policy);
      expect(mandatory).toEqual(expect.arrayContaining(["pod-privileged", "pod-host-network"]));
      expect(r.code).not.toBe(0);
    } finally {
      run("pulumi", ["config", "rm", "insecure", "--non-interactive"], dir, env);
    }
  });
});

describe("a fresh cdk8s project", () => {
  let dir: string;

  beforeAll(() => {
    dir = project("shop-manifests", { "main.js": CDK8S_MAIN_JS, "cdk8s.yaml": cdk8sYaml("path") });
    const pins = { cdk8s: `cdk8s@${repoVersion("cdk8s")}`, constructs: `constructs@${repoVersion("constructs")}` };
    // cdk8s-cli as `cdk8s init` adds it: a devDependency of the project.
    ok(
      run("npm", [...argv(COMMANDS.cdk8sInstall, pins), `cdk8s-cli@${repoVersion("cdk8s-cli")}`], dir),
      "npm install (cdk8s project)",
    );
  }, 15 * 60_000);

  it("cdk8s synth runs the plugin from the installed package (by path) and passes the components", () => {
    fs.writeFileSync(path.join(dir, "cdk8s.yaml"), cdk8sYaml("path"));
    const r = run("npx", argv(COMMANDS.synth), dir);
    expect(r.output).toContain("Validations ended succesfully");
    expect(r.output).toMatch(/failing\s*│ 0/);
    expect(r.code).toBe(0);
  });

  it("cdk8s synth fails an insecure chart, naming the control", () => {
    fs.writeFileSync(path.join(dir, "cdk8s.yaml"), cdk8sYaml("path"));
    const r = run("npx", argv(COMMANDS.synth), dir, { ...NPM_ENV, PALISADE_TEST_INSECURE: "1" });
    expect(r.output).toContain("pod-privileged");
    expect(r.code).not.toBe(0);
  });

  it("cdk8s synth loads the plugin by package name (installed the way cdk8s installs it)", () => {
    const plugins = path.join(work, "cdk8s-plugins");
    const prefix = path.join(plugins, "palisade-k8s", VERSION);
    fs.mkdirSync(prefix, { recursive: true });
    ok(run("npm", ["install", tarball, "--no-save", "--prefix", prefix], dir), "npm install (plugin directory)");
    fs.writeFileSync(path.join(dir, "cdk8s.yaml"), cdk8sYaml("name", plugins));
    const r = run("npx", argv(COMMANDS.synth), dir);
    expect(r.output).not.toContain("Installing validation plugin");
    expect(r.output).toContain("Validations ended succesfully");
    expect(r.code).toBe(0);
  });

  it("the installed CLI checks the synthesized manifests", () => {
    const clean = run("npx", argv(COMMANDS.check), dir);
    expect(clean.output).toContain("no failing findings");
    expect(clean.code).toBe(0);
    const version = run(path.join(dir, "node_modules", ".bin", "palisade"), ["version"], dir);
    expect(version.stdout.trim()).toBe(`palisade ${VERSION}`);
  });

  it("npx -p <package> palisade runs the CLI where the package is not installed", () => {
    const empty = fs.mkdtempSync(path.join(work, "elsewhere-"));
    fs.writeFileSync(
      path.join(empty, "deploy.yaml"),
      "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec:\n  containers: [{name: c, image: busybox, securityContext: {privileged: true}}]\n",
    );
    const r = run(
      "npx",
      ["--yes", ...argv(COMMANDS.npx).map((w) => (w === "palisade-k8s" ? tarball : w)), "deploy.yaml"],
      empty,
    );
    expect(r.output).toContain("pod-privileged");
    expect(r.code).toBe(1);
  });
});

describe("a fresh Pulumi YAML project using the installed package as the Pulumi package palisade", () => {
  let dir: string;
  let ws: { readonly dir: string; pulumi(args: readonly string[]): RunResult };
  let add: RunResult;
  const rendered = (): string => path.join(work, "rendered-yaml");

  beforeAll(() => {
    dir = project("shop-yaml", { "Pulumi.yaml": PULUMI_YAML_PROGRAM });
    const pins = {
      "@pulumi/pulumi": PEERS.pulumi,
      "@pulumi/kubernetes": PEERS.kubernetes,
      "@pulumi/policy": PEERS.policy,
    };
    // No typescript: the inference uses the TypeScript @pulumi/pulumi vendors.
    ok(run("npm", argv(COMMANDS.pulumiInstall, pins), dir), "npm install (Pulumi YAML project)");
    const backend = path.join(work, "pulumi-state-yaml");
    fs.mkdirSync(backend, { recursive: true });
    const env = { ...toolchainEnv(), PULUMI_BACKEND_URL: `file://${backend}` };
    ws = { dir, pulumi: (args) => run("pulumi", [...args, "--non-interactive", "--color", "never"], dir, env) };
    ok(ws.pulumi(["stack", "init", "dev"]), "pulumi stack init");
    ok(ws.pulumi(["config", "set", "renderDir", rendered()]), "pulumi config set");
    const source = argv(COMMANDS.packageAdd).at(-1)!;
    expect(source).toBe("./node_modules/palisade-k8s");
    add = addPalisadePackage(ws, source);
  }, 15 * 60_000);

  it("pulumi package add ./node_modules/palisade-k8s gets the schema from the installed package's plugin", () => {
    expect(add.output).toContain("Successfully generated an SDK for the palisade package");
    // The YAML host (pulumi-yaml v1.25.0) predates the CLI's Link call; see addPalisadePackage.
    if (add.code !== 0) expect(add.output).toMatch(/method Link not implemented/);
    expect(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")).toContain(
      "packages:\n  palisade: ./node_modules/palisade-k8s\n",
    );
  });

  it("pulumi package get-schema shows both components, the schema the repository's checkout gives", () => {
    const r = ws.pulumi(argv(COMMANDS.getSchema));
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout) as { name: string; version: string; resources: Record<string, unknown> };
    expect(schema.name).toBe("palisade");
    expect(schema.version).toBe(VERSION);
    expect(Object.keys(schema.resources).sort()).toEqual([
      "palisade:index:HardenedWorkload",
      "palisade:index:SecureNamespace",
    ]);
    // Nothing the inference reads is missing from the tarball: same schema as from a checkout.
    const fromCheckout = ws.pulumi(["package", "get-schema", ROOT]);
    expect(fromCheckout.code).toBe(0);
    expect(schema).toEqual(JSON.parse(fromCheckout.stdout));
  });

  it("pulumi preview with the installed pack accepts both components' resources", () => {
    const r = ws.pulumi(argv(COMMANDS.preview));
    expect(r.output).toContain("palisade@v0.1.0 (local: node_modules/palisade-k8s/policypack)");
    expect(violations(r.output)).toEqual([]);
    for (const planned of [
      /palisade:index:SecureNamespace\s+shop\s+create/,
      /kubernetes:core\/v1:Namespace\s+shop-namespace-shop\s+create/,
      /kubernetes:networking\.k8s\.io\/v1:NetworkPolicy\s+shop-networkpolicy-default-deny\s+create/,
      /kubernetes:rbac\.authorization\.k8s\.io\/v1:RoleBinding\s+shop-rolebinding-palisade-edit\s+create/,
      /palisade:index:HardenedWorkload\s+web\s+create/,
      /kubernetes:apps\/v1:Deployment\s+web-deployment-web\s+create/,
      /kubernetes:core\/v1:Service\s+web-service-web\s+create/,
    ])
      expect(r.output).toMatch(planned);
    expect(r.code).toBe(0);
  });

  it("pulumi up with the installed pack renders hardened manifests from both components", () => {
    const r = ws.pulumi(["up", "--yes", "--policy-pack", "node_modules/palisade-k8s/policypack"]);
    expect(violations(r.output)).toEqual([]);
    expect(r.output).toMatch(/namespace\s*: "shop"/);
    expect(r.output).toMatch(/serviceAccount\s*: "web"/);
    expect(r.code).toBe(0);
    const docs = [...renderedManifests(rendered()).values()].flat() as {
      kind: string;
      metadata: { name: string; namespace?: string; labels?: Record<string, string> };
      spec?: {
        template?: { spec?: { automountServiceAccountToken?: boolean; securityContext?: Record<string, unknown> } };
      };
    }[];
    const namespace = docs.find((d) => d.kind === "Namespace" && d.metadata.name === "shop");
    expect(namespace?.metadata.labels?.["pod-security.kubernetes.io/enforce"]).toBe("restricted");
    const deployment = docs.find((d) => d.kind === "Deployment" && d.metadata.name === "web");
    expect(deployment?.metadata.namespace).toBe("shop");
    expect(deployment?.spec?.template?.spec?.securityContext).toMatchObject({ runAsNonRoot: true });
    expect(docs.filter((d) => d.kind === "NetworkPolicy").map((d) => d.metadata.name)).toContain("default-deny");
  });
});
