import { configStrings } from "../../engine/control";
import type { Violation } from "../../engine/types";
import { stackControl } from "../define";
import { adminEquivalence, bindingScope, describeRole, RoleResolver, type ResolvedRole } from "./roles";
import { BINDING_KINDS } from "./rules";
import { describeSubject, isAllowed, refersToClusterAdmin, subjectId, subjectsOf, SUBJECT_ID_FORMAT } from "./subjects";

/**
 * RBAC-005. A binding must not grant an admin-equivalent role: `*` verbs on `*` resources in `*`
 * groups, or a one-step path to it where the binding applies (see adminEquivalence: impersonating
 * users/groups, escalate or bind with the matching write, and — cluster-wide only — pod creation,
 * exec or nodes/proxy, which reach kube-system's controller ServiceAccounts). The roleRef is
 * resolved the authorizer's way (RoleBinding → Role or ClusterRole), aggregation included, with
 * the built-in admin/edit/view modelled. Bindings to cluster-admin itself are RBAC-004's.
 */
export const rbacAdminEquivalentBinding = stackControl({
  id: "rbac-admin-equivalent-binding",
  title: "No bindings to admin-equivalent roles",
  family: "rbac",
  level: "hardened",
  severity: "critical",
  references: {
    catalog: "RBAC-005",
    nsaCisa: "Authentication and authorization › Role-based access control",
    cis: "5.1.1",
  },
  remediation:
    "Bind a role that lists the verbs and resources the subject needs, in a RoleBinding of the namespace it works in; grant edit or admin through RoleBindings, never a ClusterRoleBinding.",
  kinds: BINDING_KINDS,
  config: {
    allowedSubjects: {
      type: "array",
      items: { type: "string" },
      description: `Subjects that may hold admin-equivalent roles, as ${SUBJECT_ID_FORMAT}.`,
      default: [],
    },
  },
  checkStack(stack, ctx) {
    const resolver = new RoleResolver(stack);
    const allowed = configStrings(ctx.config, "allowedSubjects");
    const memo = new Map<ResolvedRole, Map<string, string | undefined>>();
    const reasonFor = (role: ResolvedRole, scope: "cluster" | "namespace"): string | undefined => {
      let byScope = memo.get(role);
      if (byScope === undefined) memo.set(role, (byScope = new Map()));
      if (!byScope.has(scope)) byScope.set(scope, adminEquivalence(role.rules, scope));
      return byScope.get(scope);
    };
    const out: Violation[] = [];
    for (const kind of BINDING_KINDS) {
      for (const binding of stack.byKind(kind)) {
        if (stack.isPatch(binding) || refersToClusterAdmin(binding)) continue;
        const role = resolver.resolveBinding(binding);
        if (role === undefined) continue;
        const scope = bindingScope(binding);
        const reason = reasonFor(role, scope);
        if (reason === undefined) continue;
        const ns = kind === "RoleBinding" ? stack.namespaceOf(binding) : undefined;
        const where = ns !== undefined ? `in namespace ${JSON.stringify(ns)}` : "cluster-wide";
        for (const subject of subjectsOf(binding)) {
          if (isAllowed(allowed, subjectId(binding, subject, ns))) continue;
          out.push({
            object: binding,
            path: subject.path,
            message: `${describeSubject(binding, subject, ns)} is bound to ${describeRole(role)} ${where}, which is admin-equivalent: ${reason}`,
          });
        }
      }
    }
    return out;
  },
});
