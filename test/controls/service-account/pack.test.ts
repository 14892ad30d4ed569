/** The service-account controls through the CrossGuard pack: remediation, patches, stack resolution. */
import { buildPolicies } from "../../../policypack/policies";
import { analyzeResource, analyzeStack, remediate, typeOf, UNKNOWN } from "../../policypack/harness";
import type { KubeObject } from "../../../policypack/engine/types";
import { deployment } from "../namespace/stack-run";

const policies = buildPolicies({ now: () => new Date("2026-06-01T00:00:00Z") });
const only = (...names: string[]) => policies.filter((p) => names.includes(p.name));
const defaultSa = (extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: "v1",
  kind: "ServiceAccount",
  metadata: { name: "default", namespace: "shop" },
  ...extra,
});

describe("sa-default-automount", () => {
  it("remediates the default ServiceAccount", async () => {
    const sa = defaultSa();
    const fixed = await remediate(
      only("sa-default-automount"),
      { type: typeOf(sa), props: sa },
      { "sa-default-automount": "remediate" },
    );
    expect(fixed["automountServiceAccountToken"]).toBe(false);
    expect(sa).not.toHaveProperty("automountServiceAccountToken");
  });

  it("does not ask a ServiceAccountPatch for a field it leaves alone, but reports one that sets true", async () => {
    const policy = only("sa-default-automount");
    const quiet = defaultSa({ metadata: { name: "default", namespace: "shop", labels: { a: "b" } } });
    expect(await analyzeResource(policy, { type: typeOf(quiet, true), props: quiet })).toEqual([]);
    const loud = defaultSa({ automountServiceAccountToken: true });
    expect(await analyzeResource(policy, { type: typeOf(loud, true), props: loud })).toHaveLength(1);
  });
});

describe("sa-token-automount", () => {
  const web = deployment("web", "shop");

  it("resolves the default ServiceAccount patched to false", async () => {
    const patch = defaultSa({ automountServiceAccountToken: false });
    const d = await analyzeStack(only("sa-token-automount", "sa-default-declared"), [
      { type: typeOf(web), props: web },
      { type: typeOf(patch, true), props: patch },
    ]);
    expect(d).toEqual([]);
  });

  it("reports on the workload's URN", async () => {
    const d = await analyzeStack(only("sa-token-automount"), [{ type: typeOf(web), props: web, name: "web" }]);
    expect(d).toEqual([expect.objectContaining({ urn: expect.stringContaining("Deployment::web") })]);
  });

  it("cannot decide while the ServiceAccount's value is unknown", async () => {
    const sa = defaultSa({ automountServiceAccountToken: UNKNOWN.boolean });
    const d = await analyzeStack(only("sa-token-automount"), [
      { type: typeOf(web), props: web },
      { type: typeOf(sa), props: sa },
    ]);
    expect(d.map((x) => [x.enforcementLevel, /can't run/.test(x.message)])).toEqual([["advisory", true]]);
  });
});
