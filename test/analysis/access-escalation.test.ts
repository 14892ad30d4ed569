/** The "can become" graph and who reaches cluster-admin-equivalent, edge kind by edge kind. */
import {
  buildAccessModel,
  buildEscalationGraph,
  CLUSTER_ADMIN,
  subjectKey,
  type EscalationGraph,
} from "../../policypack/analysis/access";
import type { KubeObject } from "../../policypack/engine/types";
import { clusterRole, RBAC, role, rule } from "./access-objects";

const bind = (namespace: string | undefined, roleRef: string, subjects: Record<string, string>[]): KubeObject => ({
  apiVersion: `${RBAC}/v1`,
  kind: namespace === undefined ? "ClusterRoleBinding" : "RoleBinding",
  metadata: { name: `b-${roleRef.replace(/[/:]/g, "-")}`, ...(namespace !== undefined ? { namespace } : {}) },
  roleRef: { apiGroup: RBAC, kind: roleRef.split("/")[0], name: roleRef.split("/")[1] },
  subjects,
});
const user = (name: string): Record<string, string> => ({ kind: "User", name, apiGroup: RBAC });
const sa = (namespace: string, name: string): KubeObject => ({
  apiVersion: "v1",
  kind: "ServiceAccount",
  metadata: { name, namespace },
});

function graph(objects: KubeObject[]): EscalationGraph {
  return buildEscalationGraph(buildAccessModel(objects));
}
const targets = (g: EscalationGraph, from: string): string[] => [...new Set(g.edgesFrom(from).map((e) => e.to))].sort();

test("creating a pod controller in a namespace becomes every ServiceAccount there, default included", () => {
  const g = graph([
    sa("app", "worker"),
    role("app", "deployer", [rule(["apps"], ["deployments"], ["create"])]),
    bind("app", "Role/deployer", [user("ci")]),
  ]);
  expect(targets(g, "User:ci")).toEqual(["ServiceAccount:app/default", "ServiceAccount:app/worker"]);
  const e = g.edgesFrom("User:ci")[0];
  expect(e?.permission).toBe('create deployments.apps in "app"');
  expect(e?.grant?.binding).toBe("RoleBinding/app/b-Role-deployer");
  expect(g.adminEquivalent.map((p) => subjectKey(p.subject))).toEqual(["Group:system:masters"]);
});

test("pod creation in kube-system, or anywhere through a ClusterRoleBinding, is cluster-admin-equivalent", () => {
  const g = graph([
    clusterRole("pods", [rule([""], ["pods"], ["create"])]),
    bind("kube-system", "ClusterRole/pods", [user("a")]),
    bind(undefined, "ClusterRole/pods", [user("b")]),
  ]);
  expect(g.pathTo("User:a", CLUSTER_ADMIN)?.[0]?.permission).toBe('create pods in "kube-system"');
  expect(g.pathTo("User:b", CLUSTER_ADMIN)?.[0]?.permission).toBe("create pods in every namespace");
});

test("the closure: a user that becomes a ServiceAccount that can impersonate groups", () => {
  const g = graph([
    sa("ops", "robot"),
    role("ops", "tokens", [rule([""], ["serviceaccounts/token"], ["create"], ["robot"])]),
    bind("ops", "Role/tokens", [user("alice")]),
    clusterRole("imp", [rule([""], ["groups"], ["impersonate"])]),
    bind(undefined, "ClusterRole/imp", [{ kind: "ServiceAccount", name: "robot", namespace: "ops" }]),
  ]);
  const path = g.pathTo("User:alice", CLUSTER_ADMIN);
  expect(path?.map((e) => `${e.from} → ${e.to}: ${e.permission}`)).toEqual([
    'User:alice → ServiceAccount:ops/robot: create serviceaccounts/token "robot" in "ops"',
    'ServiceAccount:ops/robot → cluster-admin-equivalent: impersonate group "system:masters"',
  ]);
  // A token for robot only: the namespace's default ServiceAccount is not reached.
  expect(targets(g, "User:alice")).toEqual(["ServiceAccount:ops/robot"]);
});

test("reading Secrets reaches the ServiceAccounts whose legacy token Secrets are there", () => {
  const g = graph([
    {
      apiVersion: "v1",
      kind: "Secret",
      type: "kubernetes.io/service-account-token",
      metadata: {
        name: "builder-token",
        namespace: "ci",
        annotations: { "kubernetes.io/service-account.name": "builder" },
      },
    },
    role("ci", "read", [rule([""], ["secrets"], ["get"], ["builder-token"])]),
    bind("ci", "Role/read", [user("reader")]),
  ]);
  expect(targets(g, "User:reader")).toEqual(["ServiceAccount:ci/builder"]);
});

test("bind plus binding writes in a namespace grants any role there; cluster-wide it is admin", () => {
  const g = graph([
    role("t", "binder", [
      rule([RBAC], ["roles", "clusterroles"], ["bind"]),
      rule([RBAC], ["rolebindings"], ["create"]),
    ]),
    bind("t", "Role/binder", [user("x")]),
    clusterRole("crb", [rule([RBAC], ["clusterroles"], ["bind"]), rule([RBAC], ["clusterrolebindings"], ["create"])]),
    bind(undefined, "ClusterRole/crb", [user("y")]),
  ]);
  expect(targets(g, "User:x")).toEqual(["ServiceAccount:t/default"]);
  expect(g.pathTo("User:x", CLUSTER_ADMIN)).toBeUndefined();
  expect(g.pathTo("User:y", CLUSTER_ADMIN)?.length).toBe(1);
});

test("impersonating named users reaches those users only; reading pods reaches nobody", () => {
  const g = graph([
    clusterRole("imp", [rule([""], ["users"], ["impersonate"], ["bob"])]),
    bind(undefined, "ClusterRole/imp", [user("alice")]),
    role("t", "view", [rule([""], ["pods"], ["get", "list"])]),
    bind("t", "Role/view", [user("bob")]),
  ]);
  expect(targets(g, "User:alice")).toEqual(["User:bob"]);
  expect(targets(g, "User:bob")).toEqual([]);
});
