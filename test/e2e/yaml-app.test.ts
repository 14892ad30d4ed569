/**
 * examples/yaml-app: a Pulumi YAML program using palisade:index:SecureNamespace and
 * palisade:index:HardenedWorkload through the `palisade` package (the repository's
 * PulumiPlugin.yaml), run by the real CLI with the YAML language host and the policy pack.
 * Its rendered manifests must equal examples/pulumi-app's (TypeScript, same arguments).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { cliProcess } from "../helpers/cli";
import { addPalisadePackage, renderedManifests, timed } from "./pulumi-package";
import {
  POLICY_PACK,
  PulumiWorkspace,
  ROOT,
  type RunResult,
  SETUP_TIMEOUT,
  STEP_TIMEOUT,
  toolchainEnv,
  violations,
} from "./pulumi";

let ws: PulumiWorkspace;
let out: string;
let add: RunResult;
let preview: RunResult;
let up: RunResult;
const timings: string[] = [];

beforeAll(() => {
  toolchainEnv();
  ws = new PulumiWorkspace("yaml-app", path.join(ROOT, "examples", "yaml-app"));
  out = path.join(ws.scratch, "rendered");
  const a = timed(() => addPalisadePackage(ws));
  add = a.result;
  timings.push(`pulumi package add: ${a.seconds.toFixed(1)} s`);
  ws.stack("dev");
  expect(ws.pulumi(["config", "set", "renderDir", out]).code).toBe(0);
  const p = timed(() => ws.pulumi(["preview", "--policy-pack", POLICY_PACK]));
  preview = p.result;
  timings.push(`pulumi preview --policy-pack: ${p.seconds.toFixed(1)} s`);
  const u = timed(() => ws.pulumi(["up", "--yes", "--policy-pack", POLICY_PACK]));
  up = u.result;
  timings.push(`pulumi up --policy-pack: ${u.seconds.toFixed(1)} s`);
}, SETUP_TIMEOUT);

afterAll(() => process.stdout.write(`yaml-app timings:\n  ${timings.join("\n  ")}\n`));

it("pulumi package add gets the palisade schema from the package's plugin", () => {
  expect(add.output).toContain("Successfully generated an SDK for the palisade package");
  // The YAML host (pulumi-yaml v1.25.0) predates the CLI's Link call; see addPalisadePackage.
  if (add.code !== 0) expect(add.output).toMatch(/method Link not implemented/);
});

it("preview with the policy pack: the components' resources are planned, no violation", () => {
  expect(preview.code).toBe(0);
  expect(violations(preview.output)).toEqual([]);
  expect(preview.output).toMatch(/palisade:index:SecureNamespace\s+shop\s+create/);
  expect(preview.output).toMatch(/palisade:index:HardenedWorkload\s+web\s+create/);
  expect(preview.output).toMatch(/kubernetes:apps\/v1:Deployment\s+web-deployment-web\s+create/);
});

it("up with the policy pack renders the manifests, and the pack accepts them", () => {
  expect(up.code).toBe(0);
  expect(violations(up.output)).toEqual([]);
  expect(up.output).toMatch(/✅ palisade@v[0-9.]+/);
  expect(up.output).toMatch(/namespace\s*: "shop"/);
  expect(up.output).toMatch(/serviceAccount\s*: "web"/);
  expect(up.output).toMatch(/\+ 21 created/);
});

it(
  "renders exactly the manifests of examples/pulumi-app (TypeScript, same arguments)",
  () => {
    const ts = new PulumiWorkspace("yaml-parity-ts", path.join(ROOT, "examples", "pulumi-app"), { inPlace: true });
    const tsOut = path.join(ts.scratch, "rendered");
    ts.stack("dev");
    expect(ts.pulumi(["up", "--yes", "--stack", "dev"], { PALISADE_RENDER_DIR: tsOut }).code).toBe(0);
    const yaml = renderedManifests(out);
    const typescript = renderedManifests(tsOut);
    expect(yaml.size).toBe(17);
    expect([...yaml.keys()]).toEqual([...typescript.keys()]);
    for (const [file, docs] of typescript) expect([file, yaml.get(file)]).toEqual([file, docs]);
  },
  STEP_TIMEOUT,
);

it("palisade check finds nothing in what the YAML program rendered", () => {
  const r = cliProcess(["check", "--format", "json", out]);
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout).findings).toEqual([]);
});

it(
  "an argument the builder refuses fails the YAML program with the builder's message",
  () => {
    const bad = new PulumiWorkspace("yaml-app-unpinned", path.join(ROOT, "examples", "yaml-app"));
    addPalisadePackage(bad);
    bad.write(
      "Pulumi.yaml",
      fs
        .readFileSync(path.join(bad.dir, "Pulumi.yaml"), "utf8")
        .replace(/image: \S+/, "image: ghcr.io/example/shop-web:1.4.2"),
    );
    bad.stack("dev");
    expect(bad.pulumi(["config", "set", "renderDir", path.join(bad.scratch, "rendered")]).code).toBe(0);
    const r = bad.pulumi(["preview"]);
    expect(r.code).not.toBe(0);
    expect(r.output).toMatch(/HardenedWorkloadArgs\.image/);
    expect(r.output).toMatch(/digest/);
  },
  STEP_TIMEOUT,
);
