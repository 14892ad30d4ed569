import { join, str } from "../../engine/access";
import { describe, resourceRef } from "../../engine/kinds";
import { POD_KINDS } from "../../engine/pod";
import type { Violation } from "../../engine/types";
import { stackControl } from "../define";
import { PRIVILEGED } from "./permissions";
import { BindingIndex, bindingScope, describeRole, RoleResolver, type ResolvedRole } from "./roles";
import { grantsOf, type GrantScope } from "./rules";
import { describeSubject } from "./subjects";

/**
 * RBAC-029. pod → its ServiceAccount (serviceAccountName, else `default`) → every binding that
 * names it, or a group its token carries (system:serviceaccounts, system:serviceaccounts:<ns>,
 * system:authenticated) → the role, resolved the authorizer's way (a RoleBinding may reference a
 * ClusterRole), aggregation and the built-in admin/edit/view included → must grant none of the
 * sensitive capabilities of RBAC-006…017 (the wildcard rows count through what they reach). A
 * RoleBinding grants only in its namespace, so cluster-scoped capabilities (nodes/proxy,
 * PersistentVolumes, admission configuration, …) count only through ClusterRoleBindings. Bindings
 * whose role is unknown are RBAC-021's. Reported whether or not the token is mounted: the binding
 * is the risk (SA-001 covers the mount).
 */
export const rbacWorkloadSaPrivileges = stackControl({
  id: "rbac-workload-sa-privileges",
  title: "Workload ServiceAccounts not bound to privileged roles",
  family: "rbac",
  level: "hardened",
  severity: "high",
  references: {
    catalog: "RBAC-029",
    nsaCisa: "Authentication and authorization › Role-based access control",
  },
  remediation:
    "Give the workload a dedicated ServiceAccount bound to a Role with only the verbs and resources it calls; move Secret reads, pod creation and exec to operators that need them.",
  kinds: POD_KINDS,
  checkStack(stack) {
    const resolver = new RoleResolver(stack);
    const index = new BindingIndex(stack);
    const memo = new Map<ResolvedRole, Map<GrantScope, string[]>>();
    const privileges = (role: ResolvedRole, scope: GrantScope): string[] => {
      let byScope = memo.get(role);
      if (byScope === undefined) memo.set(role, (byScope = new Map()));
      let found = byScope.get(scope);
      if (found === undefined) {
        found = PRIVILEGED.filter((s) => grantsOf(role.rules, s, scope).length > 0).map(
          (s) => `${s.what} (${s.catalog})`,
        );
        byScope.set(scope, found);
      }
      return found;
    };
    const out: Violation[] = [];
    for (const { object, pod, namespace } of stack.workloads) {
      if (stack.isPatch(object)) continue;
      const sa = str(pod.spec["serviceAccountName"]) || str(pod.spec["serviceAccount"]) || "default";
      for (const ref of index.forServiceAccount(namespace, sa)) {
        const role = resolver.resolveBinding(ref.binding);
        if (role === undefined) continue;
        const scope = bindingScope(ref.binding);
        const found = privileges(role, scope);
        if (found.length === 0) continue;
        const ns = scope === "namespace" ? stack.namespaceOf(ref.binding) : undefined;
        const where = ns !== undefined ? `in namespace ${JSON.stringify(ns)}` : "cluster-wide";
        const via = ref.subject.kind === "Group" ? ` through ${describeSubject(ref.binding, ref.subject, ns)}` : "";
        out.push({
          object,
          path: join(pod.specPath, "serviceAccountName"),
          message: `ServiceAccount ${JSON.stringify(`${namespace}/${sa}`)} is bound${via} by ${describe(resourceRef(ref.binding))} to ${describeRole(role)} ${where}, which lets it ${found.join("; ")}`,
        });
      }
    }
    return out;
  },
});
