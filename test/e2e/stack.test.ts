/**
 * The main job: `pulumi up --policy-pack policypack` of the multi-tenant baseline (stacks/, stack
 * dev) succeeds with no mandatory violation, and what it rendered passes `palisade check`.
 */
import * as path from "node:path";
import { cliProcess } from "../helpers/cli";
import { POLICY_PACK, PulumiWorkspace, renderedFiles, ROOT, SETUP_TIMEOUT, toolchainEnv, violations } from "./pulumi";

interface Report {
  findings: { control: string; exempted: boolean; kind: string; namespace: string | null; name: string | null }[];
  summary: { failing: number; objects: number };
}

let ws: PulumiWorkspace;
let out: string;
let up: ReturnType<PulumiWorkspace["pulumi"]>;

beforeAll(() => {
  toolchainEnv();
  ws = new PulumiWorkspace("stack", ROOT, { inPlace: true });
  out = path.join(ws.scratch, "rendered");
  ws.stack("dev");
  up = ws.pulumi(["up", "--yes", "--stack", "dev", "--policy-pack", POLICY_PACK], { PALISADE_RENDER_DIR: out });
}, SETUP_TIMEOUT);

it("pulumi up succeeds with no mandatory violation", () => {
  expect(up.code).toBe(0);
  expect(violations(up.output).filter((v) => v.level === "mandatory")).toEqual([]);
  // The only advisory lines are the audit trail of the deploy preset's documented exemption.
  expect(new Set(violations(up.output).map((v) => v.policy))).toEqual(new Set(["palisade-exemptions"]));
});

it("renders one namespace per tenant with its guardrails", () => {
  const files = renderedFiles(out).map((f) => path.basename(f));
  for (const tenant of ["payments", "search", "ci"]) {
    expect(files).toContain(`v1-namespace-default-${tenant}.yaml`);
    expect(files).toContain(`networking.k8s.io_v1-networkpolicy-${tenant}-default-deny.yaml`);
    expect(files).toContain(`v1-resourcequota-${tenant}-tenant-quota.yaml`);
    expect(files).toContain(`v1-limitrange-${tenant}-container-defaults.yaml`);
  }
});

it("the rendered YAML passes palisade check with zero failing findings", () => {
  const r = cliProcess(["check", "--format", "json", out]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  const report = JSON.parse(r.stdout) as Report;
  expect(report.summary.failing).toBe(0);
  // What is exempted is exactly the deploy preset's workload creation, with its reason on the Role.
  expect(report.findings.map((f) => [f.control, f.kind, f.namespace, f.name, f.exempted])).toEqual([
    ["rbac-create-pods", "Role", "payments", "palisade-deploy", true],
    ["rbac-create-pods", "Role", "payments", "palisade-deploy", true],
  ]);
});
