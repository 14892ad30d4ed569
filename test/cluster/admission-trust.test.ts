/**
 * The exported admission policies' trust model on a real kube-apiserver, as a tenant and as a
 * platform team would meet it:
 * - a tenant (bound to `edit` in its namespace) cannot exempt its own object by annotation;
 * - the platform's config exemption admits the same object, and the audit log records each
 *   request it let through, with the reason;
 * - a kube-system service account that is not one of the controller manager's is judged, a
 *   controller's is not, and the list of controllers matches the server's bootstrap RBAC;
 * - an advisory control's violation is admitted with a warning, a mandatory one denied.
 *
 * Three controls are installed, so that each denial, warning and audit annotation names the one
 * policy it can come from (the server reports only the first of several denials):
 * pod-privileged (mandatory), pod-host-network (mandatory; no pod here sets it) and
 * container-probes (advisory; no pod here has probes).
 */
import { stringify } from "yaml";
import { catalog } from "../../policypack/controls";
import type { PalisadeConfig } from "../../policypack/engine/config";
import type { KubeObject } from "../../policypack/engine/types";
import { CONTROLLER_SERVICE_ACCOUNTS, exportVap, PARAMS_CRD_NAME, paramsCrd } from "../../policypack/engine/vap";
import {
  ControlPlane,
  SETUP_TIMEOUT_MS,
  TEST_TIMEOUT_MS,
  type ApiResponse,
  type AuditEvent,
  type RequestOptions,
} from "./control-plane";

jest.setTimeout(TEST_TIMEOUT_MS);

const CONTROLS = ["pod-privileged", "pod-host-network", "container-probes"];
const TENANT = "tenant-a";
const TENANT_USER = { as: "dana", asGroups: ["system:authenticated"] };
const PLATFORM_GROUP = "platform-admins";
const CONFIG: PalisadeConfig = {
  exemptions: [
    {
      controls: ["*"],
      namespaces: [TENANT],
      names: ["platform-node-agent"],
      reason: "node agent approved in SEC-42",
    },
  ],
};

let cp: ControlPlane;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function apply(objects: readonly KubeObject[]): Promise<void> {
  const r = await cp.kubectl(["apply", "--server-side", "--force-conflicts", "-f", "-"], {
    input: objects.map((o) => `---\n${stringify(o)}`).join(""),
  });
  if (r.code !== 0) throw new Error(`kubectl apply: ${r.stderr}`);
}

async function installExport(): Promise<void> {
  const out = exportVap({
    controls: catalog.filter((c) => CONTROLS.includes(c.id)),
    level: "hardened",
    config: CONFIG,
    annotationExemptionsFrom: [`group:${PLATFORM_GROUP}`],
  });
  await apply([paramsCrd()]);
  for (let i = 0; i < 100; i++) {
    const r = await cp.request("GET", `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${PARAMS_CRD_NAME}`);
    const conditions = (r.body as { status?: { conditions?: { type: string; status: string }[] } }).status?.conditions;
    if ((conditions ?? []).some((c) => c.type === "Established" && c.status === "True")) break;
    await sleep(200);
  }
  expect([...out.exported].sort()).toEqual([...CONTROLS].sort());
  expect(out.enforcement).toEqual({
    "pod-privileged": "mandatory",
    "pod-host-network": "mandatory",
    "container-probes": "advisory",
  });
  await apply(out.objects.filter((o) => o.kind !== "CustomResourceDefinition"));
}

const privilegedPod = (name: string, annotations: Record<string, string> = {}): KubeObject => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace: TENANT, annotations },
  spec: {
    containers: [{ name: "agent", image: "registry.example.com/agent:1.0", securityContext: { privileged: true } }],
  },
});

/** Not privileged: only container-probes (advisory) objects. */
const restrictedPod = (name: string): KubeObject => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace: TENANT },
  spec: {
    securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
    containers: [
      {
        name: "app",
        image: "registry.example.com/app:1.0",
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
      },
    ],
  },
});

function createPod(pod: KubeObject, options: RequestOptions = {}): Promise<ApiResponse> {
  return cp.request("POST", `/api/v1/namespaces/${TENANT}/pods`, pod, {
    ...options,
    query: { dryRun: "All", fieldValidation: "Strict" },
  });
}

/** The policy whose denial the server reports (the first of several, so the tests install few). */
const deniedBy = (r: ApiResponse): string[] => {
  const message = (r.body as { message?: string } | undefined)?.message ?? "";
  return [...message.matchAll(/ValidatingAdmissionPolicy '([^']+)'/g)].map((m) => m[1] ?? "");
};

/**
 * Bindings reach the admission plugin through an informer: repeat a request until the policies
 * have caught up (a privileged pod by the tenant is denied), so later single requests are judged
 * by the complete set.
 */
async function waitForPolicies(): Promise<void> {
  for (let i = 0; i < 60; i++) {
    const r = await createPod(privilegedPod(`warm-up-${i}`), TENANT_USER);
    if (r.status === 403 && deniedBy(r).includes("palisade-pod-privileged")) return;
    await sleep(500);
  }
  throw new Error("the exported policies never denied a privileged pod");
}

beforeAll(async () => {
  cp = await ControlPlane.start({ auditLog: true });
  await cp.ensureNamespace(TENANT);
  // The tenant: `edit` in its own namespace (the aggregation controller fills the built-in role).
  await apply([
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { name: "dana-edit", namespace: TENANT },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "edit" },
      subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: "dana" }],
    },
  ]);
  for (let i = 0; i < 100 && !(await cp.can({ user: "dana" }, "create", "pods", TENANT)); i++) await sleep(200);
  expect(await cp.can({ user: "dana" }, "create", "pods", TENANT)).toBe(true);
  await installExport();
  await waitForPolicies();
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await cp?.stop();
});

/** The audit event of the one request that created (dry run) this pod as this user. */
async function auditOf(name: string, username: string): Promise<AuditEvent> {
  for (let i = 0; i < 50; i++) {
    const event = cp
      .auditEvents()
      .find(
        (e) =>
          e.objectRef?.resource === "pods" &&
          e.objectRef.name === name &&
          e.stage === "ResponseComplete" &&
          (e.impersonatedUser ?? e.user).username === username,
      );
    if (event !== undefined) return event;
    await sleep(200);
  }
  throw new Error(
    `no audit event for pod ${name} by ${username}: ${JSON.stringify(
      cp
        .auditEvents()
        .filter((e) => e.objectRef?.resource === "pods")
        .slice(-3),
    )}`,
  );
}

describe("exemptions at admission come only from the platform's side", () => {
  const selfExemption = {
    "palisade.dev/exempt": "pod-privileged",
    "palisade.dev/exempt-reason": "trust me",
  };

  it("a tenant's privileged pod annotated with its own exemption and a reason is denied, and no exemption is recorded", async () => {
    const r = await createPod(privilegedPod("self-exempted", selfExemption), TENANT_USER);
    expect(r.status).toBe(403);
    expect(deniedBy(r)).toEqual(["palisade-pod-privileged"]);
    const event = await auditOf("self-exempted", "dana");
    expect(Object.keys(event.annotations ?? {}).filter((k) => k.endsWith("/exempted"))).toEqual([]);
  });

  it("the same annotation in a request of the trusted platform group is honoured, and recorded with who asked", async () => {
    const r = await createPod(privilegedPod("platform-annotated", selfExemption), {
      as: "pat",
      asGroups: ["system:authenticated", PLATFORM_GROUP, "system:masters"],
    });
    expect(r.status).toBe(201);
    const event = await auditOf("platform-annotated", "pat");
    expect(event.annotations?.["palisade-pod-privileged/exempted"]).toBe("annotation, requested by pat: trust me");
  });

  it("a dated annotation is not honoured even for the platform group (admission has no clock)", async () => {
    const r = await createPod(
      privilegedPod("platform-dated", { ...selfExemption, "palisade.dev/exempt-until": "2999-01-01" }),
      { as: "pat", asGroups: ["system:authenticated", PLATFORM_GROUP, "system:masters"] },
    );
    expect(r.status).toBe(403);
    expect(deniedBy(r)).toEqual(["palisade-pod-privileged"]);
  });

  it("the pod exempted through the export's config is admitted, and the audit log records each exemption used", async () => {
    const r = await createPod(privilegedPod("platform-node-agent"), TENANT_USER);
    expect(r.status).toBe(201);
    // The exemption covers every control: the advisory one it lets through warns no more either.
    expect(r.warnings.filter((w) => w.includes("ValidatingAdmissionPolicy"))).toEqual([]);
    const event = await auditOf("platform-node-agent", "dana");
    expect(event.annotations?.["palisade-pod-privileged/exempted"]).toBe(
      "config exemptions[0]: node agent approved in SEC-42",
    );
    expect(event.annotations?.["palisade-container-probes/exempted"]).toBe(
      "config exemptions[0]: node agent approved in SEC-42",
    );
    // A policy the pod passes records nothing: the trail lists the exemptions that were used.
    expect(event.annotations?.["palisade-pod-host-network/exempted"]).toBeUndefined();
  });
});

describe("control-plane trust is narrow", () => {
  it("a kube-system service account that is not a controller is judged, with its own token", async () => {
    await apply([
      { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "vendor-operator", namespace: "kube-system" } },
      {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "ClusterRoleBinding",
        metadata: { name: "vendor-operator-edit" },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "edit" },
        subjects: [{ kind: "ServiceAccount", name: "vendor-operator", namespace: "kube-system" }],
      },
    ]);
    const tr = await cp.request("POST", "/api/v1/namespaces/kube-system/serviceaccounts/vendor-operator/token", {
      apiVersion: "authentication.k8s.io/v1",
      kind: "TokenRequest",
      spec: { expirationSeconds: 600 },
    });
    expect(tr.status).toBe(201);
    const token = (tr.body as { status: { token: string } }).status.token;
    const r = await createPod(privilegedPod("operator-made"), { token });
    expect(r.status).toBe(403);
    expect(deniedBy(r)).toEqual(["palisade-pod-privileged"]);
  });

  it("the controller manager's own service accounts are not judged (they create pods from judged templates)", async () => {
    const r = await createPod(privilegedPod("from-a-replicaset"), {
      as: "system:serviceaccount:kube-system:replicaset-controller",
      asGroups: ["system:serviceaccounts", "system:serviceaccounts:kube-system", "system:authenticated"],
    });
    expect(r.status).toBe(201);
  });

  it("a kubelet is trusted for its own mirror pods only", async () => {
    const node = { as: "system:node:worker-1", asGroups: ["system:nodes", "system:authenticated"] };
    const bound = (nodeName: string): KubeObject => {
      const pod = privilegedPod(`mirror-${nodeName}`) as KubeObject & { spec: Record<string, unknown> };
      return { ...pod, spec: { ...pod.spec, nodeName } };
    };
    // Without the NodeRestriction plugin the server lets a node write any pod: the policy still judges another node's.
    const own = await createPod(bound("worker-1"), { ...node, asGroups: [...node.asGroups, "system:masters"] });
    expect(own.status).toBe(201);
    const other = await createPod(bound("worker-2"), { ...node, asGroups: [...node.asGroups, "system:masters"] });
    expect(other.status).toBe(403);
    expect(deniedBy(other)).toEqual(["palisade-pod-privileged"]);
  });

  it("every controller service account the server's bootstrap RBAC binds in kube-system is in the trusted list", async () => {
    const subjects = new Set<string>();
    for (const list of [
      "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings",
      "/apis/rbac.authorization.k8s.io/v1/rolebindings",
    ]) {
      const r = await cp.request("GET", list);
      for (const b of (
        r.body as {
          items: { metadata: { name: string }; subjects?: { kind: string; name: string; namespace?: string }[] }[];
        }
      ).items)
        if (b.metadata.name.startsWith("system:controller:"))
          for (const s of b.subjects ?? [])
            if (s.kind === "ServiceAccount" && s.namespace === "kube-system") subjects.add(s.name);
    }
    expect(subjects.size).toBeGreaterThan(30);
    expect([...subjects].filter((s) => !CONTROLLER_SERVICE_ACCOUNTS.includes(s))).toEqual([]);
    process.stdout.write(
      `admission trust: ${subjects.size} controller service accounts bound by the server, all trusted; ` +
        `${CONTROLLER_SERVICE_ACCOUNTS.length - subjects.size} more trusted for feature-gated controllers\n`,
    );
  });
});

describe("actions follow enforcement", () => {
  it("an advisory control's violation is admitted with a warning; a mandatory one is denied", async () => {
    const advisory = await createPod(restrictedPod("no-probes"), TENANT_USER);
    expect(advisory.status).toBe(201);
    expect(advisory.warnings.some((w) => w.includes("ValidatingAdmissionPolicy 'palisade-container-probes'"))).toBe(
      true,
    );
    const mandatory = await createPod(privilegedPod("plain-privileged"), TENANT_USER);
    expect(mandatory.status).toBe(403);
    expect(deniedBy(mandatory)).toEqual(["palisade-pod-privileged"]);
  });
});
