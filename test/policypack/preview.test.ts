/** Preview-time behaviour: unknown values, patches and annotation exemptions through the pack. */
import { buildPolicies, EXEMPTIONS_POLICY } from "../../policypack/policies";
import { analyzeResource, analyzeStack, remediate, UNKNOWN } from "./harness";

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
        message: expect.stringMatching(/^exempted pod-host-network by annotation \(CNI agent\): /),
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

  it("config exemptions per policy silence the control and are listed in the audit policy with the reason", async () => {
    const d = await analyzeResource(
      hostNetwork,
      { type: "kubernetes:apps/v1:Deployment", props: deployment({ hostNetwork: true, containers: [] }) },
      { "pod-host-network": { exemptions: [{ namespaces: ["sh*"], reason: "legacy", until: "2026-12-31" }] } },
    );
    expect(d).toEqual([
      expect.objectContaining({
        policyName: EXEMPTIONS_POLICY,
        enforcementLevel: "advisory",
        message: expect.stringMatching(/^exempted pod-host-network by config until 2026-12-31 \(legacy\): /),
      }),
    ]);
  });

  it("a lapsed config exemption no longer exempts, and the audit policy says it lapsed", async () => {
    const d = await analyzeResource(
      hostNetwork,
      { type: "kubernetes:apps/v1:Deployment", props: deployment({ hostNetwork: true, containers: [] }) },
      { "pod-host-network": { exemptions: [{ namespaces: ["shop"], reason: "legacy", until: "2026-05-31" }] } },
    );
    expect(d.map((x) => [x.policyName, x.enforcementLevel])).toEqual([
      ["pod-host-network", "mandatory"],
      [EXEMPTIONS_POLICY, "advisory"],
    ]);
    expect(d[1]!.message).toBe(
      "the config exemption of pod-host-network (legacy) lapsed on 2026-05-31: its findings are enforced again",
    );
  });
});

describe("exemptions across levels in the pack", () => {
  it("exempting pod-host-path covers the hostPath under pod-volume-types, which supersedes it, and the trail says so", async () => {
    const volumes = policies.filter((p) => ["pod-host-path", "pod-volume-types", EXEMPTIONS_POLICY].includes(p.name));
    const props = deployment(
      {
        volumes: [
          { name: "bin", hostPath: { path: "/opt/cni/bin" } },
          { name: "x", nfs: { server: "s", path: "/" } },
        ],
        containers: [],
      },
      { "palisade.dev/exempt": "pod-host-path", "palisade.dev/exempt-reason": "CNI agent" },
    );
    const d = await analyzeResource(volumes, { type: "kubernetes:apps/v1:Deployment", props });
    // The nfs volume is pod-volume-types' own finding: the exemption does not reach it.
    expect(d.filter((x) => x.enforcementLevel === "mandatory").map((x) => [x.policyName, x.message])).toEqual([
      ["pod-volume-types", expect.stringContaining("spec.template.spec.volumes[1].nfs")],
    ]);
    expect(d.filter((x) => x.policyName === EXEMPTIONS_POLICY).map((x) => x.message)).toEqual([
      expect.stringMatching(/^exempted pod-host-path by annotation \(CNI agent\): /),
      expect.stringMatching(
        /^exempted pod-volume-types by annotation, via pod-host-path \(CNI agent\): .*volumes\[0\]\.hostPath/,
      ),
    ]);
  });
});

describe("names in --policy-pack-config", () => {
  it("a name that matches no policy is reported, not silently ignored", async () => {
    const named = buildPolicies({
      configuredNames: () => ["all", "pod-privileged", "pod-privilegd", EXEMPTIONS_POLICY],
    });
    const d = await analyzeStack(
      named.filter((p) => p.name === EXEMPTIONS_POLICY),
      [],
    );
    expect(d).toEqual([
      expect.objectContaining({
        policyName: EXEMPTIONS_POLICY,
        enforcementLevel: "advisory",
        message:
          '--policy-pack-config names no policy "pod-privilegd" (a Palisade control id, or all): its settings are ignored',
      }),
    ]);
  });
});

describe("stack controls' exemptions in the pack", () => {
  const stackPolicies = policies.filter(
    (p) => p.name === "rbac-admin-equivalent-binding" || p.name === EXEMPTIONS_POLICY,
  );
  const binding = (annotations?: Record<string, string>) => ({
    type: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
    urn: "urn:pulumi:dev::p::kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding::devs-edit",
    props: {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: "devs-edit", ...(annotations ? { annotations } : {}) },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "edit" },
      subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: "devs" }],
    },
  });

  it("without an exemption the stack control reports the binding", async () => {
    const d = await analyzeStack(stackPolicies, [binding()]);
    expect(d.map((x) => x.policyName)).toEqual(["rbac-admin-equivalent-binding"]);
  });

  it("an annotation exemption of a stack control is listed in the audit policy, on the exempted resource", async () => {
    const d = await analyzeStack(stackPolicies, [
      binding({
        "palisade.dev/exempt": "rbac-admin-equivalent-binding",
        "palisade.dev/exempt-reason": "break-glass group",
      }),
    ]);
    expect(d).toEqual([
      expect.objectContaining({
        policyName: EXEMPTIONS_POLICY,
        enforcementLevel: "advisory",
        urn: binding().urn,
        message: expect.stringMatching(/^exempted rbac-admin-equivalent-binding by annotation \(break-glass group\): /),
      }),
    ]);
  });

  it("a config exemption of a stack control is listed too", async () => {
    const d = await analyzeStack(stackPolicies, [binding()], {
      "rbac-admin-equivalent-binding": { exemptions: [{ names: ["devs-*"], reason: "reviewed in SEC-12" }] },
    });
    expect(d).toEqual([
      expect.objectContaining({
        policyName: EXEMPTIONS_POLICY,
        message: expect.stringMatching(/^exempted rbac-admin-equivalent-binding by config \(reviewed in SEC-12\): /),
      }),
    ]);
  });
});

describe("remediation", () => {
  it("fixes through the server's proxies and keeps secret values secret", async () => {
    const { Secret } = await import("@pulumi/policy");
    const props = deployment({
      containers: [{ name: "web", image: "nginx", env: [{ name: "TOKEN", value: new Secret("s3cr3t") }] }],
    });
    const fixed = await remediate(
      policies,
      { type: "kubernetes:apps/v1:Deployment", props },
      { "pod-seccomp-restricted": "remediate", "pod-run-as-non-root": "remediate" },
    );
    const spec = (fixed["spec"] as { template: { spec: Record<string, unknown> } }).template.spec;
    expect(spec["securityContext"]).toEqual({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
    const env = (spec["containers"] as { env: { value: unknown }[] }[])[0]!.env[0]!.value;
    expect(env).toBeInstanceOf(Secret);
    expect((env as InstanceType<typeof Secret>).value).toBe("s3cr3t");
  });

  it("leaves an exempted or compliant resource alone", async () => {
    const props = deployment(
      { containers: [] },
      { "palisade.dev/exempt": "pod-seccomp-restricted", "palisade.dev/exempt-reason": "legacy" },
    );
    const fixed = await remediate(
      policies,
      { type: "kubernetes:apps/v1:Deployment", props },
      { "pod-seccomp-restricted": "remediate" },
    );
    expect(
      (fixed["spec"] as { template: { spec: Record<string, unknown> } }).template.spec["securityContext"],
    ).toBeUndefined();
  });
});

describe("an unknown namespace", () => {
  const props = () => {
    const d = deployment({ hostNetwork: true, containers: [] }) as { metadata: Record<string, unknown> };
    d.metadata["namespace"] = UNKNOWN.string;
    return d;
  };

  it("does not hide a certain violation when no config exemption could apply", async () => {
    const d = await analyzeResource(hostNetwork, { type: "kubernetes:apps/v1:Deployment", props: props() });
    expect(d).toEqual([expect.objectContaining({ policyName: "pod-host-network", enforcementLevel: "mandatory" })]);
  });

  it("is 'cannot verify' when a namespace-scoped config exemption might apply", async () => {
    const d = await analyzeResource(
      hostNetwork,
      { type: "kubernetes:apps/v1:Deployment", props: props() },
      { "pod-host-network": { exemptions: [{ namespaces: ["legacy"], reason: "old" }] } },
    );
    expect(d).toEqual([expect.objectContaining({ policyName: "pod-host-network", enforcementLevel: "advisory" })]);
  });
});
