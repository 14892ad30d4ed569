/**
 * What the builders emit, field by field, for the defaults and the settings that shape the
 * output (network rules, metadata exclusion, RBAC presets, workload kinds).
 */
import {
  hardenedWorkload,
  PRESET_RULES,
  secureNamespace,
  type HardenedWorkloadArgs,
  type Manifest,
} from "../../components/manifests";
import { catalog } from "../../policypack/controls";
import { evaluate } from "../../policypack/engine/evaluate";

const IMAGE = `ghcr.io/acme/web:1.4.2@sha256:${"0123456789abcdef".repeat(4)}`;
const WORKLOAD: HardenedWorkloadArgs = { name: "web", namespace: "shop", image: IMAGE, ports: [{ port: 8080 }] };

function find(objects: readonly Manifest[], kind: string, name: string): Manifest & Record<string, unknown> {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (found === undefined)
    throw new Error(`no ${kind} ${name} in ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(", ")}`);
  return found as Manifest & Record<string, unknown>;
}

const SHOP_LABELS = {
  "app.kubernetes.io/name": "secure-namespace",
  "app.kubernetes.io/instance": "shop",
  "app.kubernetes.io/part-of": "shop",
  "app.kubernetes.io/managed-by": "palisade",
  "palisade.dev/tenant": "shop",
};

describe("secureNamespace defaults", () => {
  const objects = secureNamespace({ name: "shop" });

  it("emits the namespace's objects, Namespace first", () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      "Namespace/shop",
      "NetworkPolicy/default-deny",
      "NetworkPolicy/allow-cluster-dns",
      "ResourceQuota/tenant-quota",
      "ResourceQuota/no-system-priority",
      "LimitRange/container-defaults",
      "ServiceAccount/default",
    ]);
  });

  it("labels the Namespace for Pod Security Admission at restricted, pinned to v1.35", () => {
    expect(objects[0]).toEqual({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: {
        name: "shop",
        labels: {
          ...SHOP_LABELS,
          "app.kubernetes.io/component": "namespace",
          "pod-security.kubernetes.io/enforce": "restricted",
          "pod-security.kubernetes.io/enforce-version": "v1.35",
          "pod-security.kubernetes.io/audit": "restricted",
          "pod-security.kubernetes.io/audit-version": "v1.35",
          "pod-security.kubernetes.io/warn": "restricted",
          "pod-security.kubernetes.io/warn-version": "v1.35",
        },
      },
    });
  });

  it("denies all ingress and egress by default, with no rules", () => {
    expect(find(objects, "NetworkPolicy", "default-deny")["spec"]).toEqual({
      podSelector: {},
      policyTypes: ["Ingress", "Egress"],
    });
  });

  it("opens DNS to the cluster DNS only, for the tenant's pods, selecting kube-system by its immutable name", () => {
    expect(find(objects, "NetworkPolicy", "allow-cluster-dns")["spec"]).toEqual({
      podSelector: { matchLabels: { "palisade.dev/tenant": "shop" } },
      policyTypes: ["Egress"],
      egress: [
        {
          to: [
            {
              namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
              podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
            },
          ],
          ports: [
            { protocol: "UDP", port: 53 },
            { protocol: "TCP", port: 53 },
          ],
        },
      ],
    });
    expect(
      secureNamespace({ name: "shop", dnsEgress: false }).some((o) => o.metadata.name === "allow-cluster-dns"),
    ).toBe(false);
  });

  it("bounds the namespace with a quota (no LoadBalancers or NodePorts) and container defaults", () => {
    const quota = find(objects, "ResourceQuota", "tenant-quota")["spec"] as { hard: Record<string, string> };
    expect(quota.hard).toMatchObject({
      "requests.cpu": "4",
      "requests.memory": "8Gi",
      "limits.cpu": "8",
      "limits.memory": "16Gi",
      pods: "50",
      "services.loadbalancers": "0",
      "services.nodeports": "0",
      persistentvolumeclaims: "10",
      "count/secrets": "50",
    });
    expect(find(objects, "ResourceQuota", "no-system-priority")["spec"]).toEqual({
      hard: { pods: "0" },
      scopeSelector: {
        matchExpressions: [
          { scopeName: "PriorityClass", operator: "In", values: ["system-cluster-critical", "system-node-critical"] },
        ],
      },
    });
    expect(find(objects, "LimitRange", "container-defaults")["spec"]).toEqual({
      limits: [
        {
          type: "Container",
          default: { cpu: "500m", memory: "512Mi", "ephemeral-storage": "1Gi" },
          defaultRequest: { cpu: "100m", memory: "128Mi", "ephemeral-storage": "256Mi" },
          max: { cpu: "2", memory: "4Gi", "ephemeral-storage": "8Gi" },
        },
      ],
    });
    const merged = secureNamespace({ name: "shop", quota: { hard: { pods: 10, "count/jobs.batch": "5" } } });
    expect(
      (find(merged, "ResourceQuota", "tenant-quota")["spec"] as { hard: Record<string, string> }).hard,
    ).toMatchObject({
      pods: "10",
      "count/jobs.batch": "5",
      "services.loadbalancers": "0",
    });
  });

  it("declares the default ServiceAccount (and the others) without token automount", () => {
    const accounts = secureNamespace({ name: "shop", serviceAccounts: ["reporter"] }).filter(
      (o) => o.kind === "ServiceAccount",
    );
    expect(accounts.map((a) => [a.metadata.name, a["automountServiceAccountToken"]])).toEqual([
      ["default", false],
      ["reporter", false],
    ]);
  });
});

describe("secureNamespace network allowances", () => {
  const egressOf = (objects: readonly Manifest[]): unknown =>
    (find(objects, "NetworkPolicy", "allow-egress")["spec"] as { egress: unknown }).egress;

  it("excludes the cloud metadata addresses from every egress block that covers them", () => {
    const objects = secureNamespace({
      name: "shop",
      egress: [
        {
          to: [
            { cidr: "0.0.0.0/0" },
            { cidr: "::/0" },
            { cidr: "169.254.0.0/16", except: ["169.254.1.0/24"] },
            { cidr: "10.0.0.0/8" },
          ],
          ports: [{ port: 443 }],
        },
        { to: [{ cidr: "169.254.0.0/16", except: ["169.254.169.0/24"] }] },
      ],
    });
    expect(egressOf(objects)).toEqual([
      {
        to: [
          { ipBlock: { cidr: "0.0.0.0/0", except: ["169.254.169.254/32"] } },
          { ipBlock: { cidr: "::/0", except: ["fd00:ec2::254/128"] } },
          { ipBlock: { cidr: "169.254.0.0/16", except: ["169.254.1.0/24", "169.254.169.254/32"] } },
          { ipBlock: { cidr: "10.0.0.0/8" } },
        ],
        ports: [{ protocol: "TCP", port: 443 }],
      },
      // An except that already covers the address is enough.
      { to: [{ ipBlock: { cidr: "169.254.0.0/16", except: ["169.254.169.0/24"] } }] },
    ]);
  });

  it("selects peer namespaces by kubernetes.io/metadata.name, same-namespace peers by pod labels", () => {
    const objects = secureNamespace({
      name: "shop",
      ingress: [
        {
          from: [
            { namespace: "ingress-nginx", podLabels: { "app.kubernetes.io/name": "ingress-nginx" } },
            { podLabels: { role: "frontend" } },
          ],
          ports: [{ port: 8080 }],
        },
      ],
      allowSameNamespace: true,
    });
    expect(find(objects, "NetworkPolicy", "allow-ingress")["spec"]).toEqual({
      podSelector: { matchLabels: { "palisade.dev/tenant": "shop" } },
      policyTypes: ["Ingress"],
      ingress: [
        {
          from: [
            {
              namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } },
              podSelector: { matchLabels: { "app.kubernetes.io/name": "ingress-nginx" } },
            },
            { podSelector: { matchLabels: { role: "frontend" } } },
          ],
          ports: [{ protocol: "TCP", port: 8080 }],
        },
      ],
    });
    const tenant = { podSelector: { matchLabels: { "palisade.dev/tenant": "shop" } } };
    expect(find(objects, "NetworkPolicy", "allow-same-namespace")["spec"]).toEqual({
      ...tenant,
      policyTypes: ["Ingress", "Egress"],
      ingress: [{ from: [tenant] }],
      egress: [{ to: [tenant] }],
    });
  });
});

describe("secureNamespace access", () => {
  it("binds presets with RoleBindings only, merging the subjects of a role", () => {
    const objects = secureNamespace({
      name: "shop",
      access: [
        { role: "view", groups: ["devs"], users: ["alice@example.com"] },
        { role: "view", serviceAccounts: [{ name: "runner", namespace: "ci" }], groups: ["devs"] },
        { role: "deploy", serviceAccounts: ["ci"] },
      ],
    });
    expect(objects.filter((o) => o.kind.startsWith("Cluster"))).toEqual([]);
    expect(find(objects, "RoleBinding", "palisade-view")).toMatchObject({
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "palisade-view" },
      subjects: [
        { kind: "User", apiGroup: "rbac.authorization.k8s.io", name: "alice@example.com" },
        { kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: "devs" },
        { kind: "ServiceAccount", name: "runner", namespace: "ci" },
      ],
    });
    // A ServiceAccount of this namespace named in a grant is declared, without token automount.
    expect(find(objects, "ServiceAccount", "ci")["automountServiceAccountToken"]).toBe(false);
  });

  it("presets pass the rbac family: none reads Secrets, execs, or writes RBAC; only deploy creates workloads", () => {
    const rbac = catalog.filter((c) => c.family === "rbac");
    for (const [preset, rules] of Object.entries(PRESET_RULES)) {
      const role = {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "Role",
        metadata: { name: preset, namespace: "shop" },
        rules,
      };
      const controls = [...new Set(evaluate([role], { controls: rbac }).findings.map((f) => f.control))];
      expect([preset, controls]).toEqual([preset, preset === "deploy" ? ["rbac-create-pods"] : []]);
    }
    const grants = (rules: readonly { resources: readonly string[]; verbs: readonly string[] }[], resource: string) =>
      rules.filter((r) => r.resources.includes(resource)).flatMap((r) => r.verbs);
    expect(grants(PRESET_RULES.edit, "secrets")).toEqual([]);
    expect(grants(PRESET_RULES.edit, "pods/exec")).toEqual([]);
    expect(grants(PRESET_RULES.deploy, "deployments")).toEqual(expect.arrayContaining(["create", "update", "patch"]));
  });

  it("checks a custom role against the catalog and keeps its exemption on the Role", () => {
    const objects = secureNamespace({
      name: "shop",
      access: [
        {
          role: {
            name: "tls-reader",
            rules: [{ apiGroups: [""], resources: ["secrets"], verbs: ["get", "list", "watch"] }],
            exempt: { controls: ["rbac-secrets-read"], reason: "serves every certificate of the namespace" },
          },
          serviceAccounts: ["cert-checker"],
        },
      ],
    });
    expect(find(objects, "Role", "tls-reader").metadata.annotations).toEqual({
      "palisade.dev/exempt": "rbac-secrets-read",
      "palisade.dev/exempt-reason": "exempt: serves every certificate of the namespace",
    });
  });
});

describe("hardenedWorkload defaults", () => {
  const objects = hardenedWorkload(WORKLOAD);
  const deployment = find(objects, "Deployment", "web") as unknown as {
    metadata: Manifest["metadata"];
    spec: {
      replicas: number;
      selector: unknown;
      template: {
        metadata: { labels: Record<string, string> };
        spec: Record<string, unknown> & { containers: Record<string, unknown>[] };
      };
    };
  };
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0] as Record<string, unknown>;

  it("emits the ServiceAccount, the Deployment, the Service, the NetworkPolicy and a PodDisruptionBudget", () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      "ServiceAccount/web",
      "Deployment/web",
      "Service/web",
      "NetworkPolicy/web",
      "PodDisruptionBudget/web",
    ]);
    expect(deployment.spec.replicas).toBe(2);
    expect(find(objects, "ServiceAccount", "web")["automountServiceAccountToken"]).toBe(false);
  });

  it("runs under the restricted security context at pod and container level", () => {
    expect(pod["securityContext"]).toEqual({
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      fsGroup: 10001,
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(container["securityContext"]).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(pod["serviceAccountName"]).toBe("web");
    expect(pod["automountServiceAccountToken"]).toBe(false);
    expect(pod["volumes"]).toEqual([{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }]);
    expect(container["volumeMounts"]).toEqual([{ name: "tmp", mountPath: "/tmp" }]);
  });

  it("sets requests, limits, probes and the pull policy of a pinned image", () => {
    expect(container["resources"]).toEqual({
      requests: { cpu: "100m", memory: "128Mi", "ephemeral-storage": "64Mi" },
      limits: { cpu: "500m", memory: "256Mi", "ephemeral-storage": "512Mi" },
    });
    expect(container["livenessProbe"]).toEqual({ tcpSocket: { port: "tcp-8080" } });
    expect(container["readinessProbe"]).toEqual({ tcpSocket: { port: "tcp-8080" } });
    expect(container["imagePullPolicy"]).toBe("IfNotPresent");
    expect(
      hardenedWorkload({
        ...WORKLOAD,
        image: "nginx:1.27.3",
        allowUnpinnedImage: { reason: "vendor publishes tags only" },
      })[1],
    ).toMatchObject({
      spec: { template: { spec: { containers: [{ image: "nginx:1.27.3", imagePullPolicy: "Always" }] } } },
    });
  });

  it("admits only the declared sources on the declared ports", () => {
    const policy = find(
      hardenedWorkload({
        ...WORKLOAD,
        ports: [
          { port: 8080, servicePort: 80 },
          { port: 9090, name: "metrics" },
        ],
        ingressFrom: [{ namespace: "ingress-nginx" }],
      }),
      "NetworkPolicy",
      "web",
    );
    expect(policy["spec"]).toEqual({
      podSelector: { matchLabels: { "app.kubernetes.io/name": "web", "app.kubernetes.io/instance": "web" } },
      policyTypes: ["Ingress", "Egress"],
      ingress: [
        {
          from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } }],
          ports: [
            { protocol: "TCP", port: 8080 },
            { protocol: "TCP", port: 9090 },
          ],
        },
      ],
    });
    expect(find(objects, "NetworkPolicy", "web")["spec"]).toEqual({
      podSelector: { matchLabels: { "app.kubernetes.io/name": "web", "app.kubernetes.io/instance": "web" } },
      policyTypes: ["Ingress", "Egress"],
    });
  });

  it("exposes a ClusterIP Service by port name", () => {
    expect(
      find(hardenedWorkload({ ...WORKLOAD, ports: [{ port: 8080, servicePort: 80 }] }), "Service", "web")["spec"],
    ).toEqual({
      type: "ClusterIP",
      selector: { "app.kubernetes.io/name": "web", "app.kubernetes.io/instance": "web" },
      ports: [{ name: "tcp-8080", port: 80, targetPort: "tcp-8080", protocol: "TCP" }],
    });
  });

  it("adds a PodDisruptionBudget only when there is more than one replica", () => {
    expect(find(objects, "PodDisruptionBudget", "web")["spec"]).toEqual({
      maxUnavailable: 1,
      selector: { matchLabels: { "app.kubernetes.io/name": "web", "app.kubernetes.io/instance": "web" } },
    });
    expect(hardenedWorkload({ ...WORKLOAD, replicas: 1 }).some((o) => o.kind === "PodDisruptionBudget")).toBe(false);
  });

  it("labels the pods with the tenant, opting them in to the namespace's allowances", () => {
    expect(deployment.spec.template.metadata.labels["palisade.dev/tenant"]).toBeUndefined();
    const withTenant = hardenedWorkload({ ...WORKLOAD, tenant: "shop" })[1] as unknown as typeof deployment;
    expect(withTenant.spec.template.metadata.labels).toMatchObject({
      "palisade.dev/tenant": "shop",
      "app.kubernetes.io/part-of": "shop",
    });
  });

  it("makes a StatefulSet with its Service name and per-replica claims", () => {
    const set = find(
      hardenedWorkload({
        ...WORKLOAD,
        kind: "StatefulSet",
        volumeClaims: [{ name: "data", mountPath: "/data", size: "10Gi", storageClassName: "fast" }],
      }),
      "StatefulSet",
      "web",
    ) as unknown as {
      spec: Record<string, unknown> & { template: { spec: { containers: { volumeMounts: unknown[] }[] } } };
    };
    expect(set.spec["serviceName"]).toBe("web");
    expect(set.spec["volumeClaimTemplates"]).toMatchObject([
      {
        metadata: { name: "data" },
        spec: {
          accessModes: ["ReadWriteOnce"],
          storageClassName: "fast",
          resources: { requests: { storage: "10Gi" } },
        },
      },
    ]);
    expect(set.spec.template.spec.containers[0]?.volumeMounts).toContainEqual({ name: "data", mountPath: "/data" });
  });

  it("mounts Secrets as read-only files, never as environment variables", () => {
    const [, workload] = hardenedWorkload({
      ...WORKLOAD,
      volumes: [{ name: "tls", mountPath: "/etc/tls", secret: "web-tls" }],
    }) as [Manifest, Manifest & { spec: { template: { spec: Record<string, unknown> } } }];
    expect(workload.spec.template.spec["volumes"]).toContainEqual({
      name: "tls",
      secret: { secretName: "web-tls", defaultMode: 0o440 },
    });
  });
});
