/** Preview-time behaviour: unknown values, patches and annotation exemptions through the pack. */
import { buildPolicies, EXEMPTIONS_POLICY } from "../../policypack/policies";
import { analyzeResource, UNKNOWN } from "./harness";

const policies = buildPolicies({ now: () => new Date("2026-06-01T00:00:00Z") });
const hostNetwork = policies.filter((p) => p.name === "pod-host-network" || p.name === EXEMPTIONS_POLICY);

const deployment = (podSpec: Record<string, unknown>, annotations?: Record<string, string>) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", namespace: "shop", ...(annotations ? { annotations } : {}) },
  spec: { template: { metadata: { labels: { app: "web" } }, spec: podSpec } },
});

describe("unknown values during preview", () => {
  it("an unknown field the control needs is 'cannot verify' (advisory), never a pass", async () => {
    const d = await analyzeResource(hostNetwork, {
      type: "kubernetes:apps/v1:Deployment",
      props: deployment({ hostNetwork: UNKNOWN.boolean, containers: [] }),
    });
    expect(d).toEqual([
      expect.objectContaining({
        policyName: "pod-host-network",
        enforcementLevel: "advisory",
        message: expect.stringMatching(/can't run .* during preview/),
      }),
    ]);
  });

  it("an unknown pod template is 'cannot verify' too", async () => {
    const props = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "w" },
      spec: { template: UNKNOWN.object },
    };
    const d = await analyzeResource(hostNetwork, { type: "kubernetes:apps/v1:Deployment", props });
    expect(d).toEqual([expect.objectContaining({ policyName: "pod-host-network", enforcementLevel: "advisory" })]);
  });

  it("an unknown value elsewhere does not stop the check", async () => {
    const d = await analyzeResource(hostNetwork, {
      type: "kubernetes:apps/v1:Deployment",
      props: deployment({ hostNetwork: true, containers: [], nodeName: UNKNOWN.string }),
    });
    expect(d).toEqual([expect.objectContaining({ policyName: "pod-host-network", enforcementLevel: "mandatory" })]);
  });

  it("apiVersion and kind missing from the inputs are taken from the type token", async () => {
    const { apiVersion: _a, kind: _k, ...props } = deployment({ hostNetwork: true, containers: [] });
    const d = await analyzeResource(hostNetwork, { type: "kubernetes:apps/v1:Deployment", props });
    expect(d.map((x) => x.policyName)).toEqual(["pod-host-network"]);
  });
});

describe("patches", () => {
  it("a patch that sets a forbidden value is a violation", async () => {
    const d = await analyzeResource(hostNetwork, {
      type: "kubernetes:apps/v1:DeploymentPatch",
      props: deployment({ hostNetwork: true }),
    });
    expect(d.map((x) => x.policyName)).toEqual(["pod-host-network"]);
  });

  it("a patch that does not touch the field is not judged on it", async () => {
    const d = await analyzeResource(hostNetwork, {
      type: "kubernetes:apps/v1:DeploymentPatch",
      props: { metadata: { name: "web" }, spec: { replicas: 3 } },
    });
    expect(d).toEqual([]);
  });
});

describe("annotation exemptions in the pack", () => {
  it("silence the control's policy and show up in the audit policy with the reason", async () => {
    const props = deployment(
      { hostNetwork: true, containers: [] },
      { "palisade.dev/exempt": "pod-host-network", "palisade.dev/exempt-reason": "CNI agent" },
    );
    const d = await analyzeResource(hostNetwork, { type: "kubernetes:apps/v1:Deployment", props });
    expect(d).toEqual([
      expect.objectContaining({
        policyName: EXEMPTIONS_POLICY,
        enforcementLevel: "advisory",
        message: expect.stringMatching(/^exempted pod-host-network \(CNI agent\): /),
      }),
    ]);
  });

  it("an exemption without a reason does not exempt, and the audit policy says why", async () => {
    const props = deployment({ hostNetwork: true, containers: [] }, { "palisade.dev/exempt": "pod-host-network" });
    const d = await analyzeResource(hostNetwork, { type: "kubernetes:apps/v1:Deployment", props });
    expect(d.map((x) => [x.policyName, x.enforcementLevel])).toEqual([
      ["pod-host-network", "mandatory"],
      [EXEMPTIONS_POLICY, "advisory"],
    ]);
    expect(d[1]!.message).toMatch(/exempt-reason is required/);
  });

  it("config exemptions per policy", async () => {
    const d = await analyzeResource(
      hostNetwork,
      { type: "kubernetes:apps/v1:Deployment", props: deployment({ hostNetwork: true, containers: [] }) },
      { "pod-host-network": { exemptions: [{ namespaces: ["sh*"], reason: "legacy" }] } },
    );
    expect(d).toEqual([]);
  });
});
