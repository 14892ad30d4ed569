/** The check shared by the role controls: every rule, every grant of one sensitive capability. */
import { configStrings, type CheckContext, type ConfigProperty } from "../../engine/control";
import { globMatch } from "../../engine/exemptions";
import type { KubeObject, Violation } from "../../engine/types";
import { describeGrant, grantsOf, rulesOf, type Sensitive } from "./rules";
import { writtenNamespace } from "./subjects";

/** One violation per rule that grants the capability, at `rules[i]`. */
export function grantViolations(object: KubeObject, sensitive: Sensitive): Violation[] {
  // A Role is only ever bound by RoleBindings, which cannot grant cluster-scoped requests: the
  // authorizer denies them whatever the Role says, so they are not findings.
  return grantsOf(rulesOf(object), sensitive, object.kind === "Role" ? "namespace" : "cluster").map((g) => ({
    message: describeGrant(g, sensitive.what),
    path: g.rule.path,
  }));
}

export function grantCheck(
  sensitive: Sensitive,
  applies: (object: KubeObject, ctx: CheckContext) => boolean = () => true,
): (object: KubeObject, ctx: CheckContext) => Violation[] {
  // The gate is asked only of roles that grant the permission: most grant none, and some gates
  // (rbac-admission-writes-named asking rbac-admission-writes' question) cost as much again.
  return (object, ctx) => {
    const found = grantViolations(object, sensitive);
    return found.length > 0 && applies(object, ctx) ? found : [];
  };
}

export const DEFAULT_PLATFORM_NAMESPACES = ["kube-system", "kube-public", "kube-node-lease"];

export const PLATFORM_NAMESPACES_CONFIG: ConfigProperty = {
  type: "array",
  items: { type: "string" },
  description:
    "Namespaces run by the platform team rather than tenants; every other namespace is a tenant namespace. `*` and `?` are wildcards.",
  default: DEFAULT_PLATFORM_NAMESPACES,
};

/** Whether a namespace is a platform namespace under the control's `platformNamespaces`. */
export function isPlatformNamespace(ctx: { readonly config: CheckContext["config"] }, namespace: string): boolean {
  return configStrings(ctx.config, "platformNamespaces").some((p) => p === namespace || globMatch(p, namespace));
}

/**
 * Tenant roles: every ClusterRole (any tenant can be bound to one through a RoleBinding) and the
 * Roles outside the platform namespaces.
 */
export function isTenantRole(object: KubeObject, ctx: CheckContext): boolean {
  if (object.kind !== "Role") return true;
  const ns = writtenNamespace(object);
  return ns === undefined || !isPlatformNamespace(ctx, ns);
}
