/**
 * What reaches the pack in real previews: children of component resources (a yaml/v2
 * ConfigGroup of cdk8s output, a Helm v4 chart in the repository) are checked one by one, and
 * values unknown during preview give neither a false pass nor a crash.
 */
import * as path from "node:path";
import { POLICY_PACK, PulumiWorkspace, ROOT, SETUP_TIMEOUT, toolchainEnv, violations } from "./pulumi";

const PROGRAMS = path.join(__dirname, "programs");

beforeAll(() => toolchainEnv(), SETUP_TIMEOUT);

it("checks each child of a ConfigGroup and of a Helm chart on its own", () => {
  const ws = new PulumiWorkspace("children", path.join(PROGRAMS, "children"));
  ws.stack("dev");
  const r = ws.pulumi(["preview", "--policy-pack", POLICY_PACK], {
    PALISADE_FIXTURES: path.join(ROOT, "test", "fixtures"),
    PALISADE_RENDER_DIR: path.join(ws.dir, "..", "rendered"),
  });
  expect(r.code).not.toBe(0);
  // The cdk8s Deployment (child of the ConfigGroup) and the chart's Deployment, by name.
  expect(r.output).toMatch(
    /\[mandatory\] \[severity: high\]\s+pod-host-pid\s+\(kubernetes:apps\/v1:Deployment: [^)]*cdk8s-app-worker\)/,
  );
  expect(r.output).toMatch(
    /\[mandatory\] \[severity: critical\]\s+pod-privileged\s+\(kubernetes:apps\/v1:Deployment: [^)]*web-web\)/,
  );
  expect(r.output).toMatch(/container "web" must not set securityContext\.privileged=true/);
  // The component resources themselves have no props and produce nothing.
  expect(r.output).not.toMatch(/\(kubernetes:(yaml|helm\.sh)\/v\d:[A-Za-z]+:/);
  expect(r.output).not.toMatch(/internal error/);
});

it("a value unknown during preview is 'cannot verify', never a pass, and the rest is still checked", () => {
  const ws = new PulumiWorkspace("unknown", path.join(PROGRAMS, "unknown"));
  ws.stack("dev");
  const r = ws.pulumi(["preview", "--policy-pack", POLICY_PACK], {
    PALISADE_RENDER_DIR: path.join(ws.dir, "..", "rendered"),
  });
  // Known fields still fail: no false pass.
  expect(r.code).toBe(1);
  expect(violations(r.output)).toContainEqual({ policy: "pod-privileged", level: "mandatory" });
  // Unknown ones are reported as not checkable yet, as advisory.
  expect(r.output).toMatch(
    /\[advisory\][^\n]*pod-host-network[\s\S]*?can't run policy 'pod-host-network' from policy pack 'palisade@v[\d.]+' during preview/,
  );
  expect(r.output).toMatch(/can't run policy 'namespace-not-default'[^\n]* during preview/);
  // And no crash.
  expect(r.output).not.toMatch(/TypeError|ReferenceError|internal error|panic/);
});

it("palisade-exemptions lists a stack control exempted by annotation and a resource control exempted by config, with their reasons", () => {
  const ws = new PulumiWorkspace("exemptions", path.join(PROGRAMS, "exemptions"));
  ws.stack("dev");
  const config = ws.write(
    "policy-config.json",
    JSON.stringify({
      "pod-host-network": {
        exemptions: [{ namespaces: ["infra"], names: ["cni"], reason: "CNI agent: needs the host network" }],
      },
    }),
  );
  const r = ws.pulumi(["preview", "--policy-pack", POLICY_PACK, "--policy-pack-config", config], {
    PALISADE_RENDER_DIR: path.join(ws.dir, "..", "rendered"),
  });
  const v = violations(r.output);
  // Neither exempted control blocks; both appear in the advisory audit trail with their reasons.
  expect(v.filter((x) => x.level === "mandatory").map((x) => x.policy)).not.toContain("pod-host-network");
  expect(v.map((x) => x.policy)).not.toContain("rbac-admin-equivalent-binding");
  expect(r.output).toMatch(
    /palisade-exemptions[\s\S]*?exempted rbac-admin-equivalent-binding by annotation \(break-glass group, reviewed in SEC-7\)/,
  );
  expect(r.output).toMatch(
    /palisade-exemptions[\s\S]*?exempted pod-host-network by config \(CNI agent: needs the host network\)/,
  );
  expect(r.output).not.toMatch(/internal error/);
});
