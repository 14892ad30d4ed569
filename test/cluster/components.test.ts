/**
 * The components' output against a real kube-apiserver (test/cluster's control plane): the API
 * server accepts every object (validation beyond the OpenAPI schemas: LimitRange ordering, except
 * blocks inside their CIDR, selectors matching templates, …), Pod Security Admission at the
 * namespace's pinned restricted level admits the workload's pods and refuses a privileged one,
 * and the RBAC presets grant what they say and nothing more.
 */
import fc from "fast-check";
import { hardenedWorkload, secureNamespace, type Manifest } from "../../components/manifests";
import { scenario } from "../components/arbitraries";
import { ControlPlane, SETUP_TIMEOUT_MS } from "./control-plane";

const suite = describe;
/** Generated scenarios to apply, and the seed (fixed, so a failure reproduces). */
const SCENARIOS = Number(process.env["PALISADE_CLUSTER_SCENARIOS"] ?? 12);
const SEED = Number(process.env["PALISADE_CLUSTER_SEED"] ?? 42);
const IMAGE = `ghcr.io/acme/web:1.4.2@sha256:${"0123456789abcdef".repeat(4)}`;

let cp: ControlPlane;

async function apply(objects: readonly unknown[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return cp.kubectl(["apply", "--server-side", "--field-manager=palisade-test", "-o", "name", "-f", "-"], {
    input: JSON.stringify({ apiVersion: "v1", kind: "List", items: objects }),
  });
}

/** A Pod made from a workload's template, as its controller would make it (with a StatefulSet's claims). */
function podOf(workload: Manifest): Record<string, unknown> {
  const spec = workload["spec"] as {
    template: { metadata: Record<string, unknown>; spec: { volumes?: unknown[] } };
    volumeClaimTemplates?: { metadata: { name: string } }[];
  };
  const claims = (spec.volumeClaimTemplates ?? []).map((c) => ({
    name: c.metadata.name,
    persistentVolumeClaim: { claimName: `${c.metadata.name}-${workload.metadata.name}-0` },
  }));
  const podSpec = { ...spec.template.spec };
  if (claims.length > 0) podSpec.volumes = [...(podSpec.volumes ?? []), ...claims];
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      ...spec.template.metadata,
      name: `${workload.metadata.name}-probe`,
      namespace: workload.metadata.namespace,
    },
    spec: podSpec,
  };
}

/** The quota admission refuses pods until the controller has computed the quota's status. */
async function dryRunPodWhenQuotaReady(pod: Record<string, unknown>, namespace: string) {
  for (let attempt = 0; ; attempt++) {
    const verdict = await cp.dryRunPod(pod, namespace);
    if (verdict.outcome !== "rejected" || !/status unknown for quota/.test(verdict.message) || attempt >= 60)
      return verdict;
    await new Promise((r) => setTimeout(r, 500));
  }
}

suite("components on a real API server", () => {
  beforeAll(async () => {
    cp = await ControlPlane.start({
      controllers: [
        "namespace-controller",
        "serviceaccount-controller",
        "resourcequota-controller",
        "clusterrole-aggregation-controller",
      ],
    });
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await cp?.stop();
  });

  it(`accepts every object, and Pod Security Admission admits the workload's pods (${SCENARIOS} generated scenarios)`, async () => {
    // The sandboxes the generated workloads may name (a cluster provides them; here they are declared).
    const runtimeClasses = ["gvisor", "kata"].map((name) => ({
      apiVersion: "node.k8s.io/v1",
      kind: "RuntimeClass",
      metadata: { name },
      handler: name,
    }));
    expect((await apply(runtimeClasses)).code).toBe(0);
    const seen = new Set<string>();
    const scenarios = fc.sample(scenario, { numRuns: SCENARIOS * 3, seed: SEED }).filter((s) => {
      if (seen.has(s.namespace.name)) return false;
      seen.add(s.namespace.name);
      return true;
    });
    for (const s of scenarios.slice(0, SCENARIOS)) {
      const workloadObjects = hardenedWorkload(s.workload);
      const objects = [...secureNamespace(s.namespace), ...workloadObjects, ...s.extra];
      const applied = await apply(objects);
      expect({ namespace: s.namespace.name, code: applied.code, stderr: applied.stderr }).toEqual({
        namespace: s.namespace.name,
        code: 0,
        stderr: "",
      });
      const workload = workloadObjects.find((o) => o.kind === "Deployment" || o.kind === "StatefulSet") as Manifest;
      const verdict = await dryRunPodWhenQuotaReady(podOf(workload), s.namespace.name);
      if (verdict.outcome !== "allowed")
        process.stderr.write(`${JSON.stringify(verdict)}\n${JSON.stringify(podOf(workload))}\n`);
      expect({ namespace: s.namespace.name, verdict }).toMatchObject({
        namespace: s.namespace.name,
        verdict: { outcome: "allowed", warnings: [] },
      });
    }
  }, 300_000);

  it("enforces restricted in the namespace: a privileged pod is refused", async () => {
    expect((await apply(secureNamespace({ name: "psa-check" }))).code).toBe(0);
    const [, workload] = hardenedWorkload({
      name: "web",
      namespace: "psa-check",
      image: IMAGE,
      ports: [{ port: 8080 }],
    }) as [Manifest, Manifest];
    const pod = podOf(workload) as { spec: { containers: { securityContext: Record<string, unknown> }[] } };
    pod.spec.containers[0]!.securityContext["privileged"] = true;
    pod.spec.containers[0]!.securityContext["allowPrivilegeEscalation"] = true;
    const verdict = await dryRunPodWhenQuotaReady(pod as unknown as Record<string, unknown>, "psa-check");
    expect(verdict.outcome).toBe("pod-security");
  }, 120_000);

  it("grants the presets what they say, in the namespace only", async () => {
    const objects = secureNamespace({
      name: "rbac-check",
      access: [
        { role: "view", groups: ["viewers"] },
        { role: "edit", users: ["eve"] },
        { role: "deploy", serviceAccounts: ["ci"] },
      ],
    });
    expect((await apply(objects)).code).toBe(0);
    const ns = "rbac-check";
    const viewer = { user: "vic", groups: ["viewers"] };
    const editor = { user: "eve" };
    const ci = {
      user: "system:serviceaccount:rbac-check:ci",
      groups: ["system:serviceaccounts", "system:serviceaccounts:rbac-check"],
    };
    const apps = { group: "apps" };
    const cases: [typeof viewer | typeof editor, string, string, { group?: string }, boolean][] = [
      [viewer, "list", "pods", {}, true],
      [viewer, "get", "pods/log", {}, true],
      [viewer, "list", "secrets", {}, false],
      [viewer, "get", "pods/exec", {}, false],
      [viewer, "patch", "deployments", apps, false],
      [editor, "patch", "deployments", apps, true],
      [editor, "update", "deployments/scale", apps, true],
      [editor, "delete", "pods", {}, true],
      [editor, "create", "deployments", apps, false],
      [editor, "create", "pods", {}, false],
      [editor, "get", "secrets", {}, false],
      [editor, "create", "pods/exec", {}, false],
      [editor, "create", "pods/portforward", {}, false],
      [editor, "create", "rolebindings", { group: "rbac.authorization.k8s.io" }, false],
      [editor, "update", "networkpolicies", { group: "networking.k8s.io" }, false],
      [editor, "patch", "namespaces", {}, false],
      [ci, "create", "deployments", apps, true],
      [ci, "create", "services", {}, true],
      [ci, "get", "secrets", {}, false],
      [ci, "create", "pods/exec", {}, false],
      [ci, "create", "networkpolicies", { group: "networking.k8s.io" }, false],
      [ci, "create", "serviceaccounts/token", {}, false],
    ];
    const answers = await Promise.all(
      cases.map(([who, verb, resource, extra]) => cp.can(who, verb, resource, ns, extra)),
    );
    expect(cases.map((c, i) => [c[0].user, c[1], c[2], answers[i]])).toEqual(
      cases.map((c) => [c[0].user, c[1], c[2], c[4]]),
    );
    // Nothing outside the namespace: RoleBindings only.
    expect(await cp.can(editor, "list", "pods", "default")).toBe(false);
    expect(await cp.can(ci, "create", "deployments", "kube-system", apps)).toBe(false);
  }, 120_000);
});
