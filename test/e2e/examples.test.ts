/** The examples as a newcomer runs them. */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { cliProcess } from "../helpers/cli";
import { POLICY_PACK, PulumiWorkspace, ROOT, SETUP_TIMEOUT, toolchainEnv, violations } from "./pulumi";

beforeAll(() => toolchainEnv(), SETUP_TIMEOUT);

it("examples/pulumi-app: accepted by the pack with no violation at all, and its YAML checks clean", () => {
  const ws = new PulumiWorkspace("pulumi-app", path.join(ROOT, "examples", "pulumi-app"), { inPlace: true });
  const out = path.join(ws.scratch, "rendered");
  ws.stack("dev");
  const up = ws.pulumi(["up", "--yes", "--stack", "dev", "--policy-pack", POLICY_PACK], { PALISADE_RENDER_DIR: out });
  expect(up.code).toBe(0);
  expect(violations(up.output)).toEqual([]);
  const r = cliProcess(["check", "--format", "json", out]);
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout).findings).toEqual([]);
});

it("examples/cdk8s-app: cdk8s synth passes the Palisade plugin, and palisade check of dist/ finds nothing", () => {
  const dir = path.join(ROOT, "examples", "cdk8s-app");
  fs.rmSync(path.join(dir, "dist"), { recursive: true, force: true });
  const synth = spawnSync("npx", ["cdk8s", "synth"], { cwd: dir, encoding: "utf8", timeout: 5 * 60_000 });
  expect(synth.status).toBe(0);
  expect(synth.stdout).toMatch(/Validations ended succesfully|Validations finished successfully/);
  const r = cliProcess(["check", "--format", "json", path.join(dir, "dist")]);
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout).findings).toEqual([]);
});

it("examples/insecure-app: palisade check of its rendered YAML reports the expected controls", () => {
  const ws = new PulumiWorkspace("insecure-render", path.join(ROOT, "examples", "insecure-app"));
  const out = path.join(ws.scratch, "rendered");
  ws.stack("dev");
  const config = ws.write("advisory.json", JSON.stringify({ all: "advisory" }));
  expect(
    ws.pulumi(["up", "--yes", "--policy-pack", POLICY_PACK, "--policy-pack-config", config], {
      PALISADE_RENDER_DIR: out,
    }).code,
  ).toBe(0);
  const r = cliProcess(["check", "--format", "json", out]);
  expect(r.code).toBe(1);
  const fired = new Set((JSON.parse(r.stdout) as { findings: { control: string }[] }).findings.map((f) => f.control));
  for (const id of [
    "pod-host-network",
    "pod-privileged",
    "pod-capabilities-restricted",
    "pod-host-ports",
    "pod-run-as-non-root",
    "pod-seccomp-restricted",
    "rbac-wildcard-verbs",
    "rbac-wildcard-resources",
    "image-latest-tag",
    "plaintext-credentials",
    "network-service-type",
    "network-external-ips",
    "namespace-not-default",
    "network-default-deny",
  ]) {
    expect([id, fired.has(id)]).toEqual([id, true]);
  }
});
