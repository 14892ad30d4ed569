/** Builders for RBAC test objects and a runner for stack controls. */
import type { ResourceControl, StackControl } from "../../../policypack/engine/control";
import { controlConfig } from "../../../policypack/engine/config";
import { LATEST } from "../../../policypack/engine/psa-version";
import { StackIndex } from "../../../policypack/engine/stack";
import type { JsonValue, KubeObject, Violation } from "../../../policypack/engine/types";
import { runControl } from "../../helpers/objects";

export interface RuleInput {
  apiGroups?: unknown;
  resources?: unknown;
  verbs?: unknown;
  resourceNames?: unknown;
  nonResourceURLs?: unknown;
}

export function rule(apiGroups: string[], resources: string[], verbs: string[], extra: RuleInput = {}): RuleInput {
  return { apiGroups, resources, verbs, ...extra };
}

export function role(rules: unknown[], namespace = "team-a", name = "r"): KubeObject {
  return { apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: { name, namespace }, rules };
}

export function clusterRole(rules: unknown[], name = "cr", labels?: Record<string, string>): KubeObject {
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRole",
    metadata: labels !== undefined ? { name, labels } : { name },
    rules,
  };
}

export interface SubjectInput {
  kind?: unknown;
  name?: unknown;
  namespace?: unknown;
  apiGroup?: unknown;
}

export const sa = (name: string, namespace?: string): SubjectInput =>
  namespace === undefined ? { kind: "ServiceAccount", name } : { kind: "ServiceAccount", name, namespace };
export const user = (name: string): SubjectInput => ({ kind: "User", name, apiGroup: "rbac.authorization.k8s.io" });
export const group = (name: string): SubjectInput => ({ kind: "Group", name, apiGroup: "rbac.authorization.k8s.io" });

export function roleBinding(
  roleRef: { kind: string; name: string },
  subjects: SubjectInput[],
  namespace = "team-a",
  name = "rb",
): KubeObject {
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "RoleBinding",
    metadata: { name, namespace },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", ...roleRef },
    subjects,
  };
}

export function clusterRoleBinding(name: string, roleName: string, subjects: SubjectInput[]): KubeObject {
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRoleBinding",
    metadata: { name },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: roleName },
    subjects,
  };
}

export function deployment(name: string, namespace: string, serviceAccountName?: string): KubeObject {
  const spec: Record<string, unknown> = { containers: [{ name: "app", image: "registry.example/app@sha256:abc" }] };
  if (serviceAccountName !== undefined) spec["serviceAccountName"] = serviceAccountName;
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace },
    spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec } },
  };
}

/** Runs one resource control; the config overlays the control's defaults. */
export function check(control: ResourceControl, object: KubeObject, config: Record<string, unknown> = {}): Violation[] {
  return runControl(control, object, { config });
}

/** Runs one stack control over a set of objects. */
export function checkStack(
  control: StackControl,
  objects: KubeObject[],
  config: Record<string, JsonValue> = {},
): Violation[] {
  const ctx = {
    level: "hardened" as const,
    policyVersion: LATEST,
    config: { ...controlConfig(control, {}), ...config },
  };
  return control.checkStack(new StackIndex(objects), ctx);
}

export const paths = (violations: readonly Violation[]): (string | undefined)[] => violations.map((v) => v.path);
