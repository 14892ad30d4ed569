/**
 * The cdk8s synth validation plugin, proven with the real cdk8s CLI: the plugin and the
 * constructs are compiled to JavaScript in a temp directory (tsc, no type check: `npm run lint`
 * type-checks), cdk8s apps there reference the plugin from `validations:` in cdk8s.yaml, and
 * `npx cdk8s synth` must pass a secure app and fail an insecure one naming the controls.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type * as plugins from "cdk8s-cli/lib/plugins";
import { PalisadeValidation } from "../../components/cdk8s/validation-plugin";

// The package exports "./plugins" only (Node and Jest honour that); the types live under lib/.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ValidationContext } = require("cdk8s-cli/plugins") as typeof plugins;

const ROOT = path.resolve(__dirname, "../..");
const IMAGE = `ghcr.io/acme/web:1.0@sha256:${"a".repeat(64)}`;

let work: string;
let build: string;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "palisade-cdk8s-"));
  build = path.join(work, "build");
  // Node resolves cdk8s, constructs and yaml for the compiled files and the apps through this link.
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(work, "node_modules"), "dir");
  const tsc = spawnSync(
    process.execPath,
    [
      require.resolve("typescript/bin/tsc"),
      ...["--outDir", build, "--rootDir", ROOT, "--module", "commonjs", "--target", "ES2022"],
      ...["--moduleResolution", "node", "--esModuleInterop", "--skipLibCheck", "--resolveJsonModule"],
      ...["--types", "node", "--declaration", "false", "--sourceMap", "false", "--noCheck"],
      path.join(ROOT, "components/cdk8s/index.ts"),
    ],
    { encoding: "utf8" },
  );
  if (tsc.status !== 0) throw new Error(`tsc failed:\n${tsc.stdout}\n${tsc.stderr}`);
}, 120_000);

afterAll(() => {
  if (work !== undefined) fs.rmSync(work, { recursive: true, force: true });
});

interface App {
  readonly name: string;
  readonly main: string;
  readonly properties?: Record<string, string>;
  readonly files?: Record<string, string>;
}

function synth(app: App): { status: number | null; output: string } {
  const dir = path.join(work, app.name);
  fs.mkdirSync(dir, { recursive: true });
  const properties = Object.entries(app.properties ?? { level: "hardened" })
    .map(([k, v]) => `      ${k}: ${v}`)
    .join("\n");
  fs.writeFileSync(
    path.join(dir, "cdk8s.yaml"),
    `app: node main.js
validations:
  - package: ${path.join(build, "components/cdk8s/validation-plugin.js")}
    version: 0.1.0
    class: PalisadeValidation
    properties:
${properties}
`,
  );
  fs.writeFileSync(
    path.join(dir, "main.js"),
    `const { App, Chart, ApiObject } = require("cdk8s");
const { SecureNamespace, HardenedWorkload } = require(${JSON.stringify(path.join(build, "components/cdk8s"))});
const app = new App();
const chart = new Chart(app, ${JSON.stringify(app.name)});
${app.main}
app.synth();
`,
  );
  for (const [file, text] of Object.entries(app.files ?? {})) fs.writeFileSync(path.join(dir, file), text);
  const run = spawnSync("npx", ["cdk8s", "synth"], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, CDK8S_CHECK_UPGRADE: "false", NO_COLOR: "1", FORCE_COLOR: "0" },
    timeout: 120_000,
  });
  return { status: run.status, output: `${run.stdout}\n${run.stderr}` };
}

const SECURE_APP = `
const ns = new SecureNamespace(chart, "ns", { name: "shop", access: [{ role: "view", groups: ["devs"] }] });
new HardenedWorkload(chart, "web", {
  name: "web", namespace: ns, image: ${JSON.stringify(IMAGE)},
  ports: [{ port: 8080, servicePort: 80 }], ingressFrom: [{ namespace: "ingress-nginx" }],
});`;

/** The secure app plus a ConfigMap holding a password: fails hardened (plaintext-credentials) only. */
const CREDENTIAL_APP = `${SECURE_APP}
new ApiObject(chart, "settings", {
  apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings", namespace: "shop" },
  data: { "app.properties": "db.password=hunter2\\n" },
});`;

describe("cdk8s synth with the Palisade validation plugin", () => {
  it("passes an app built from the components", () => {
    const { status, output } = synth({ name: "secure", main: SECURE_APP });
    expect(output).toContain("Validations ended succesfully");
    expect(output).toMatch(/Status\s*│ success/);
    expect(output).toMatch(/failing\s*│ 0/);
    expect(status).toBe(0);
  }, 120_000);

  it("fails an insecure app, naming the controls and the construct", () => {
    const { status, output } = synth({
      name: "insecure",
      main: `new ApiObject(chart, "web", {
  apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "default" },
  spec: { selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } },
    spec: { hostNetwork: true, containers: [{ name: "web", image: "nginx:latest", securityContext: { privileged: true } }] } } },
});`,
    });
    expect(status).toBe(2);
    expect(output).toContain("Validation failed");
    expect(output).toMatch(/Status\s*│ failure/);
    // Mandatory controls fail the synth; advisory ones are logged as warnings.
    for (const control of ["pod-host-network", "pod-privileged", "pod-run-as-non-root"])
      expect(output).toContain(`${control} (1 occurrences)`);
    for (const control of ["image-latest-tag", "namespace-not-default"]) {
      expect(output).not.toContain(`${control} (1 occurrences)`);
      expect(output).toMatch(new RegExp(`palisade: advisory ${control} on Deployment default/web`));
    }
    expect(output).toContain("Construct Path: insecure/web");
    expect(output).toContain("spec.template.spec.containers[0].securityContext.privileged");
  }, 120_000);

  it("an advisory finding is a warning by default and fails with failOn: advisory", () => {
    const warned = synth({ name: "credential-warned", main: CREDENTIAL_APP });
    expect(warned.status).toBe(0);
    expect(warned.output).toMatch(/palisade: advisory plaintext-credentials on ConfigMap shop\/settings/);
    expect(warned.output).toMatch(/advisory\s*│ 1/);
  }, 120_000);

  it("honours the level property", () => {
    const hardened = synth({ name: "credential-hardened", main: CREDENTIAL_APP, properties: { failOn: "advisory" } });
    expect(hardened.status).toBe(2);
    expect(hardened.output).toContain("plaintext-credentials (1 occurrences)");
    const baseline = synth({ name: "credential-baseline", main: CREDENTIAL_APP, properties: { level: "baseline" } });
    expect(baseline.output).toMatch(/level\s*│ baseline/);
    expect(baseline.status).toBe(0);
  }, 120_000);

  it("reads a config file, and logs the exempted findings with their reason", () => {
    const { status, output } = synth({
      name: "configured",
      main: CREDENTIAL_APP,
      properties: { config: "palisade.yaml" },
      files: {
        "palisade.yaml": `exemptions:
  - controls: [plaintext-credentials]
    namespaces: [shop]
    names: [settings]
    reason: test fixture, the password is a placeholder
`,
      },
    });
    expect(output).toMatch(/palisade: exempted plaintext-credentials on ConfigMap shop\/settings: .*db\.password/);
    expect(output).toContain("reason: test fixture, the password is a placeholder");
    expect(output).toMatch(/exempted\s*│ 1/);
    expect(status).toBe(0);
  }, 120_000);
});

describe("PalisadeValidation (in process)", () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  function context(manifest: string): plugins.ValidationContext {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "palisade-plugin-"));
    dirs.push(dir);
    const file = path.join(dir, "app.k8s.yaml");
    fs.writeFileSync(file, manifest);
    return new ValidationContext([file], "palisade", "0.1.0");
  }

  it("rejects unknown properties and levels when constructed", () => {
    expect(() => new PalisadeValidation({ levl: "hardened" } as never)).toThrow(
      'PalisadeValidation: unknown property "levl" (known: level, config, failOn)',
    );
    expect(() => new PalisadeValidation({ level: "strict" as never })).toThrow(
      'PalisadeValidation: property level must be one of baseline, restricted, hardened, found "strict"',
    );
    expect(() => new PalisadeValidation({ config: "/no/such/palisade.yaml" })).toThrow(
      /^PalisadeValidation: config error: .*no such file/,
    );
  });

  it("reports malformed manifests as failures rather than passing them", async () => {
    const ctx = context("kind: [unclosed\n");
    await new PalisadeValidation().validate(ctx);
    expect(ctx.report.success).toBe(false);
    expect(ctx.report.toJson().violations.map((v) => v.ruleName)).toEqual(["invalid-input"]);
  });

  it("submits success with the counts for a clean manifest", async () => {
    const ctx = context(
      "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: quiet\n  labels:\n    pod-security.kubernetes.io/enforce: restricted\n    pod-security.kubernetes.io/enforce-version: v1.35\n    pod-security.kubernetes.io/audit: restricted\n    pod-security.kubernetes.io/warn: restricted\n",
    );
    await new PalisadeValidation({ level: "hardened" }).validate(ctx);
    expect(ctx.report.toJson().summary).toMatchObject({
      status: "success",
      metadata: { level: "hardened", failing: "0", objects: "1" },
    });
  });
});
