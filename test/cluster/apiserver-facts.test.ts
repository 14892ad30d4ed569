/**
 * The facts of shared/APISERVER.md the harness relies on, checked against the real binaries:
 * what each default flag of test/cluster/control-plane.ts is for, and what is missing without a
 * kube-controller-manager. docs/cluster.md lists what proved wrong.
 */
import { ControlPlane, SETUP_TIMEOUT_MS, TEST_TIMEOUT_MS } from "./control-plane";

jest.setTimeout(TEST_TIMEOUT_MS);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const pod = (name: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name },
  spec: { containers: [{ name: "app", image: "registry.example/app:1" }], ...spec },
});
const privileged = pod("priv", {
  containers: [{ name: "app", image: "registry.example/app:1", securityContext: { privileged: true } }],
});
const restricted = {
  "pod-security.kubernetes.io/enforce": "restricted",
  "pod-security.kubernetes.io/enforce-version": "v1.35",
};

/** Polls `check` every 200 ms for up to `ms`; returns its last answer. */
async function eventually<T>(ms: number, check: () => Promise<T>, done: (t: T) => boolean): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const t = await check();
    if (done(t) || Date.now() > deadline) return t;
    await sleep(200);
  }
}

describe("kube-apiserver defaults the harness overrides", () => {
  it(
    "--allow-privileged defaults to false: a privileged Pod is refused by validation, before PodSecurity",
    async () => {
      const cp = await ControlPlane.start({ controllers: [], omitApiserverFlags: ["--allow-privileged"] });
      try {
        await cp.ensureNamespace("plain");
        await cp.ensureNamespace("locked", restricted);
        for (const ns of ["plain", "locked"]) {
          const v = await cp.dryRunPod(privileged, ns);
          expect(v).toMatchObject({ outcome: "rejected", status: 422 });
          expect(v.outcome === "rejected" && v.message).toMatch(/privileged: Forbidden: disallowed by cluster policy/);
        }
      } finally {
        await cp.stop();
      }
    },
    SETUP_TIMEOUT_MS,
  );

  it(
    "--authorization-mode defaults to AlwaysAllow: every identity may do everything",
    async () => {
      const cp = await ControlPlane.start({ controllers: [], omitApiserverFlags: ["--authorization-mode"] });
      try {
        expect(await cp.can({ user: "nobody" }, "get", "secrets", "kube-system")).toBe(true);
        expect(await cp.can({ user: "nobody" }, "impersonate", "users")).toBe(true);
      } finally {
        await cp.stop();
      }
    },
    SETUP_TIMEOUT_MS,
  );

  it(
    "the ServiceAccount admission plugin refuses pods while no `default` ServiceAccount exists",
    async () => {
      const cp = await ControlPlane.start({ controllers: [], omitApiserverFlags: ["--disable-admission-plugins"] });
      try {
        await cp.ensureNamespace("plain");
        const v = await cp.dryRunPod(pod("p"), "plain");
        expect(v.outcome).toBe("rejected");
        expect(v.outcome === "rejected" && `${v.status} ${v.message}`).toMatch(/serviceaccount "default" not found/);
      } finally {
        await cp.stop();
      }
    },
    SETUP_TIMEOUT_MS,
  );
});

describe("without kube-controller-manager", () => {
  let cp: ControlPlane;
  beforeAll(async () => {
    cp = await ControlPlane.start({ controllers: [] });
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => {
    await cp?.stop();
  });

  it("the built-in admin, edit and view ClusterRoles have no rules (no aggregation controller)", async () => {
    for (const name of ["admin", "edit", "view"]) {
      const r = await cp.request("GET", `/apis/rbac.authorization.k8s.io/v1/clusterroles/${name}`);
      expect([name, r.status, (r.body as { rules?: unknown[] }).rules ?? []]).toEqual([name, 200, []]);
    }
  });

  it("a new namespace gets no `default` ServiceAccount and no kube-root-ca.crt", async () => {
    await cp.ensureNamespace("bare");
    await sleep(2_000);
    expect((await cp.request("GET", "/api/v1/namespaces/bare/serviceaccounts/default")).status).toBe(404);
    expect((await cp.request("GET", "/api/v1/namespaces/bare/configmaps/kube-root-ca.crt")).status).toBe(404);
  });

  it("a deleted namespace stays Terminating", async () => {
    await cp.ensureNamespace("doomed");
    expect((await cp.request("DELETE", "/api/v1/namespaces/doomed")).status).toBe(200);
    await sleep(3_000);
    const r = await cp.request("GET", "/api/v1/namespaces/doomed");
    expect((r.body as { status?: { phase?: string } }).status?.phase).toBe("Terminating");
  });

  it("a ResourceQuota is not enforced: its status is never computed, so a pods: 0 quota admits pods", async () => {
    await cp.ensureNamespace("quota");
    const q = await cp.request("POST", "/api/v1/namespaces/quota/resourcequotas", {
      apiVersion: "v1",
      kind: "ResourceQuota",
      metadata: { name: "q" },
      spec: { hard: { pods: "0" } },
    });
    expect(q.status).toBe(201);
    await sleep(2_000);
    const stored = await cp.request("GET", "/api/v1/namespaces/quota/resourcequotas/q");
    expect((stored.body as { status?: unknown }).status ?? {}).toEqual({});
    expect((await cp.dryRunPod(pod("p"), "quota")).outcome).toBe("allowed");
  });

  it("ValidatingAdmissionPolicy is on by default and enforces once its informer sees the binding", async () => {
    const vap = await cp.request("POST", "/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies", {
      apiVersion: "admissionregistration.k8s.io/v1",
      kind: "ValidatingAdmissionPolicy",
      metadata: { name: "no-forbidden-configmaps" },
      spec: {
        failurePolicy: "Fail",
        matchConstraints: {
          resourceRules: [{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE"], resources: ["configmaps"] }],
        },
        validations: [{ expression: "!object.metadata.name.startsWith('forbidden-')", message: "no forbidden-*" }],
      },
    });
    expect(vap.status).toBe(201);
    const binding = await cp.request(
      "POST",
      "/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings",
      {
        apiVersion: "admissionregistration.k8s.io/v1",
        kind: "ValidatingAdmissionPolicyBinding",
        metadata: { name: "no-forbidden-configmaps" },
        spec: { policyName: "no-forbidden-configmaps", validationActions: ["Deny"] },
      },
    );
    expect(binding.status).toBe(201);
    const started = Date.now();
    const cm = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "forbidden-x" } };
    const r = await eventually(
      30_000,
      () => cp.request("POST", "/api/v1/namespaces/default/configmaps", cm, { query: { dryRun: "All" } }),
      (x) => x.status !== 201,
    );
    process.stderr.write(`[apiserver-facts] ValidatingAdmissionPolicy enforced after ${Date.now() - started} ms\n`);
    expect(r.status).toBe(422);
    expect(JSON.stringify(r.body)).toMatch(/no forbidden-\*/);
  });
});

describe("with the controllers APISERVER.md names", () => {
  it(
    "namespace, serviceaccount, resourcequota and clusterrole-aggregation controllers fill those gaps",
    async () => {
      const cp = await ControlPlane.start({
        controllers: [
          "namespace-controller",
          "serviceaccount-controller",
          "resourcequota-controller",
          "clusterrole-aggregation-controller",
        ],
      });
      try {
        await cp.ensureNamespace("filled");
        const sa = await eventually(
          30_000,
          () => cp.request("GET", "/api/v1/namespaces/filled/serviceaccounts/default"),
          (r) => r.status === 200,
        );
        expect(sa.status).toBe(200);
        await cp.request("POST", "/api/v1/namespaces/filled/resourcequotas", {
          apiVersion: "v1",
          kind: "ResourceQuota",
          metadata: { name: "q" },
          spec: { hard: { pods: "10" } },
        });
        const v = await eventually(
          60_000,
          () => cp.dryRunPod(pod("p"), "filled"),
          (x) => x.outcome === "allowed",
        );
        expect(v.outcome).toBe("allowed");
        await cp.ensureNamespace("doomed");
        await cp.request("DELETE", "/api/v1/namespaces/doomed");
        const gone = await eventually(
          60_000,
          () => cp.request("GET", "/api/v1/namespaces/doomed"),
          (r) => r.status === 404,
        );
        expect(gone.status).toBe(404);
      } finally {
        await cp.stop();
      }
    },
    SETUP_TIMEOUT_MS,
  );
});

it(
  "the kubernetes Service's endpoint reconciler fails on a loopback advertise address (hence --endpoint-reconciler-type=none)",
  async () => {
    const cp = await ControlPlane.start({ controllers: [], omitApiserverFlags: ["--endpoint-reconciler-type"] });
    try {
      await sleep(12_000);
      const logs = cp.tailLogs(400);
      const ep = await cp.request("GET", "/api/v1/namespaces/default/endpoints/kubernetes");
      process.stderr.write(
        `[apiserver-facts] endpoints/kubernetes: ${ep.status}; reconciler log lines: ${
          logs
            .split("\n")
            .filter((l) => /endpoint|loopback/i.test(l))
            .slice(0, 5)
            .join(" | ") || "(none)"
        }\n`,
      );
      expect(logs).toMatch(/loopback/);
    } finally {
      await cp.stop();
    }
  },
  SETUP_TIMEOUT_MS,
);
