/**
 * examples/yaml-insecure: plain kubernetes:apps/v1:Deployment, Role and Service resources in a
 * Pulumi YAML program. The policy pack (a Node.js plugin, whatever the program's language) must
 * refuse it, naming the same controls at the same levels as for examples/insecure-app.
 */
import * as path from "node:path";
import { timed } from "./pulumi-package";
import { POLICY_PACK, PulumiWorkspace, ROOT, type RunResult, SETUP_TIMEOUT, toolchainEnv, violations } from "./pulumi";

let yaml: RunResult;
let typescript: RunResult;
const timings: string[] = [];

/** Violated controls as "level policy", sorted and without repeats. */
function named(r: RunResult): string[] {
  return [...new Set(violations(r.output).map((v) => `${v.level} ${v.policy}`))].sort();
}

beforeAll(() => {
  toolchainEnv();
  const ws = new PulumiWorkspace("yaml-insecure", path.join(ROOT, "examples", "yaml-insecure"));
  ws.stack("dev");
  expect(ws.pulumi(["config", "set", "renderDir", path.join(ws.scratch, "rendered")]).code).toBe(0);
  const y = timed(() => ws.pulumi(["preview", "--policy-pack", POLICY_PACK]));
  yaml = y.result;
  timings.push(`yaml-insecure: pulumi preview --policy-pack: ${y.seconds.toFixed(1)} s`);
  const ts = new PulumiWorkspace("yaml-insecure-ts", path.join(ROOT, "examples", "insecure-app"));
  ts.stack("dev");
  const t = timed(() =>
    ts.pulumi(["preview", "--policy-pack", POLICY_PACK], { PALISADE_RENDER_DIR: path.join(ts.scratch, "rendered") }),
  );
  typescript = t.result;
  timings.push(`insecure-app (Node.js): pulumi preview --policy-pack: ${t.seconds.toFixed(1)} s`);
}, SETUP_TIMEOUT);

afterAll(() => process.stdout.write(`yaml-insecure timings:\n  ${timings.join("\n  ")}\n`));

it("preview of the YAML program is refused by the pack", () => {
  expect(yaml.code).not.toBe(0);
  expect(yaml.output).toMatch(/kubernetes:apps\/v1:Deployment/);
  expect(yaml.output).toMatch(/container "shop" must not set securityContext\.privileged=true/);
  expect(yaml.output).not.toMatch(/internal error|can't run/);
});

it("names the controls insecure-app's test expects, at the same levels", () => {
  const got = new Set(named(yaml));
  for (const id of [
    "pod-host-network",
    "pod-privileged",
    "pod-capabilities-baseline",
    "pod-host-ports",
    "pod-run-as-non-root",
    "pod-seccomp-restricted",
    "rbac-wildcard-verbs",
    "rbac-wildcard-resources",
    "rbac-escalate",
    "rbac-bind",
    "rbac-impersonate",
  ])
    expect([id, got.has(`mandatory ${id}`)]).toEqual([id, true]);
  for (const id of ["image-latest-tag", "plaintext-credentials", "network-service-type", "network-external-ips"])
    expect([id, got.has(`advisory ${id}`)]).toEqual([id, true]);
});

it("names exactly the controls the pack names for examples/insecure-app (Node.js)", () => {
  expect(typescript.code).not.toBe(0);
  expect(named(yaml).length).toBeGreaterThan(30);
  expect(named(yaml)).toEqual(named(typescript));
});
