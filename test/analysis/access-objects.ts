/** RBAC objects for the access tests, written as the API server would hold them. */
import type { KubeObject } from "../../policypack/engine/types";

export const RBAC = "rbac.authorization.k8s.io";

export const role = (namespace: string, name: string, rules: unknown[]): KubeObject => ({
  apiVersion: `${RBAC}/v1`,
  kind: "Role",
  metadata: { name, namespace },
  rules,
});

export const clusterRole = (name: string, rules: unknown[], extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: `${RBAC}/v1`,
  kind: "ClusterRole",
  metadata: { name, ...(extra["labels"] !== undefined ? { labels: extra["labels"] as Record<string, string> } : {}) },
  rules,
  ...(extra["aggregationRule"] !== undefined ? { aggregationRule: extra["aggregationRule"] } : {}),
});

export const rule = (apiGroups: string[], resources: string[], verbs: string[], resourceNames?: string[]): unknown => ({
  apiGroups,
  resources,
  verbs,
  ...(resourceNames !== undefined ? { resourceNames } : {}),
});
