import { ACCESS_KINDS, buildAccessModel, tenantAccessFindings, tenantsOf } from "../../analysis/access";
import { POD_KINDS } from "../../engine/pod";
import type { Violation } from "../../engine/types";
import { stackControl } from "../define";

/**
 * RBAC-030. Between namespaces of different tenants (the `palisade.dev/tenant` label
 * SecureNamespace sets), every permission a subject of one tenant holds in another tenant's
 * namespace must be granted by a RoleBinding in that namespace naming the subject (or its
 * namespace's group system:serviceaccounts:<ns>). Reported, one finding per cause naming the
 * path: a ClusterRoleBinding, a RoleBinding to a broad group, and escalation paths (pod creation,
 * exec, impersonation, bind/escalate, token minting, legacy token Secrets) that reach what was
 * not granted by name, or cluster-admin-equivalent. The analysis is `palisade access`'s
 * (docs/access.md).
 */
export const rbacTenantAccessIsolation = stackControl({
  id: "tenant-access-isolation",
  title: "No cross-tenant permission except through RoleBindings that name the subject",
  family: "rbac",
  level: "hardened",
  severity: "high",
  references: {
    catalog: "RBAC-030",
    nsaCisa: "Authentication and authorization › Role-based access control",
  },
  remediation:
    "Grant a subject of another tenant access only with a RoleBinding in the namespace that names it; replace ClusterRoleBindings and bindings to system:serviceaccounts or system:authenticated that reach tenant namespaces, and remove the pod creation, impersonation, bind/escalate or token permissions that let one tenant act as another's identities.",
  kinds: [...ACCESS_KINDS, ...POD_KINDS],
  checkStack(stack) {
    // Most sets have fewer than two tenants: skip building the access model for them.
    if (new Set(tenantsOf(stack).values()).size < 2) return [];
    const out: Violation[] = [];
    for (const cause of tenantAccessFindings(buildAccessModel(stack))) {
      const shown = cause.pairs.slice(0, 3).join("; ");
      const more = cause.pairs.length > 3 ? `; and ${cause.pairs.length - 3} more` : "";
      out.push({
        message: `cross-tenant access not granted by name: ${cause.what}, reaching ${shown}${more}`,
        ...(cause.path !== undefined ? { path: cause.path } : {}),
        object: cause.object,
      });
    }
    return out;
  },
});
