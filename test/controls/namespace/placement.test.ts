import { NAMESPACED_KINDS } from "../../../policypack/engine/kinds";
import { namespaceNotDefault } from "../../../policypack/controls/namespace/not-default";
import { namespaceNotSystem } from "../../../policypack/controls/namespace/not-system";
import { isNamespaced } from "../../../policypack/engine/kinds";
import type { KubeObject } from "../../../policypack/engine/types";
import { runControl } from "../../helpers/objects";

const GROUPS: Record<string, string> = {
  Deployment: "apps/v1",
  ReplicaSet: "apps/v1",
  StatefulSet: "apps/v1",
  DaemonSet: "apps/v1",
  ControllerRevision: "apps/v1",
  Job: "batch/v1",
  CronJob: "batch/v1",
  NetworkPolicy: "networking.k8s.io/v1",
  Ingress: "networking.k8s.io/v1",
  EndpointSlice: "discovery.k8s.io/v1",
  CSIStorageCapacity: "storage.k8s.io/v1",
  Role: "rbac.authorization.k8s.io/v1",
  RoleBinding: "rbac.authorization.k8s.io/v1",
  PodDisruptionBudget: "policy/v1",
  HorizontalPodAutoscaler: "autoscaling/v2",
  Lease: "coordination.k8s.io/v1",
};
const objectOf = (kind: string, namespace?: string): KubeObject => ({
  apiVersion: GROUPS[kind] ?? "v1",
  kind,
  metadata: namespace === undefined ? { name: "x" } : { name: "x", namespace },
});

it("NAMESPACED_KINDS are exactly namespaced built-in kinds", () => {
  for (const kind of NAMESPACED_KINDS) expect([kind, isNamespaced(objectOf(kind))]).toEqual([kind, true]);
  for (const kind of ["Namespace", "ClusterRole", "ClusterRoleBinding", "Node", "PersistentVolume", "StorageClass"]) {
    expect(NAMESPACED_KINDS).not.toContain(kind);
  }
});

describe("namespace-not-default", () => {
  // RBAC for a namespace must live in it: Roles and RoleBindings are judged by the RBAC controls.
  const ACCESS = ["Role", "RoleBinding"];

  it.each(ACCESS.map((k) => [k]))("%s in default grants access to default: not reported", (kind) => {
    expect(runControl(namespaceNotDefault, objectOf(kind, "default"))).toEqual([]);
  });

  it("the API server's own kubernetes Service and Endpoints are not reported; a lookalike with a selector is", () => {
    const service = (spec: Record<string, unknown>): KubeObject => ({
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "kubernetes", namespace: "default" },
      spec,
    });
    expect(runControl(namespaceNotDefault, service({ type: "ClusterIP", ports: [{ port: 443 }] }))).toEqual([]);
    expect(
      runControl(namespaceNotDefault, {
        ...objectOf("Endpoints", "default"),
        metadata: { name: "kubernetes", namespace: "default" },
      }),
    ).toEqual([]);
    expect(runControl(namespaceNotDefault, service({ selector: { app: "proxy" } }))).toHaveLength(1);
    expect(runControl(namespaceNotDefault, service({ type: "LoadBalancer" }))).toHaveLength(1);
    expect(
      runControl(namespaceNotDefault, { ...service({}), metadata: { name: "kubernetes-api", namespace: "default" } }),
    ).toHaveLength(1);
  });

  it.each(NAMESPACED_KINDS.filter((k) => !ACCESS.includes(k)).map((k) => [k]))("%s", (kind) => {
    expect(runControl(namespaceNotDefault, objectOf(kind, "shop"))).toEqual([]);
    expect(runControl(namespaceNotDefault, objectOf(kind, "default")).map((v) => v.path)).toEqual([
      "metadata.namespace",
    ]);
    const [unset] = runControl(namespaceNotDefault, objectOf(kind));
    expect(unset?.message).toMatch(/^no metadata\.namespace: lands in the default namespace/);
  });

  it.each<[string, KubeObject]>([
    ["an empty namespace counts as unset", objectOf("ConfigMap", "")],
    ["an odd namespace counts as unset", { ...objectOf("ConfigMap"), metadata: { name: "x", namespace: 3 as never } }],
  ])("%s", (_n, o) => expect(runControl(namespaceNotDefault, o)).toHaveLength(1));

  it("passes over cluster-scoped and unknown kinds", () => {
    expect(
      runControl(namespaceNotDefault, { apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } }),
    ).toEqual([]);
    expect(
      runControl(namespaceNotDefault, { apiVersion: "example.com/v1", kind: "Service", metadata: { name: "x" } }),
    ).toEqual([]);
  });
});

describe("namespace-not-system", () => {
  it.each<[string | undefined, Record<string, unknown>, boolean]>([
    ["shop", {}, false],
    [undefined, {}, false],
    ["kube-system", {}, true],
    ["kube-public", {}, true],
    ["kube-node-lease", {}, true],
    ["kube-system", { allowed: ["kube-system/x"] }, false],
    ["kube-system", { allowed: ["kube-system/y*"] }, true],
    ["platform", { systemNamespaces: ["platform"] }, true],
    ["kube-system", { systemNamespaces: ["platform"] }, false],
  ])("%s %j → reported %s", (namespace, config, reported) => {
    for (const kind of ["Deployment", "ConfigMap"]) {
      expect(runControl(namespaceNotSystem, objectOf(kind, namespace), { config }).map((v) => v.path)).toEqual(
        reported ? ["metadata.namespace"] : [],
      );
    }
    // A Role or RoleBinding for the namespace must live in it, system or not.
    for (const kind of ["Role", "RoleBinding"])
      expect(runControl(namespaceNotSystem, objectOf(kind, namespace), { config })).toEqual([]);
  });
});
