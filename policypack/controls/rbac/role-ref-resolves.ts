import { configStrings } from "../../engine/control";
import type { Violation } from "../../engine/types";
import { stackControl } from "../define";
import { isBuiltinClusterRoleName, isBuiltinRole } from "./builtin-roles";
import { BINDING_KINDS, RBAC_GROUP } from "./rules";
import { isAllowed, roleRefOf } from "./subjects";

/**
 * RBAC-021. A binding's roleRef must resolve the way the authorizer resolves it: a RoleBinding to
 * a Role of its own namespace or to a ClusterRole (kube-linter looks for a Role even when roleRef
 * says ClusterRole), a ClusterRoleBinding to a ClusterRole only. The bootstrap roles of the API
 * server (every ClusterRole and the kube-system/kube-public Roles it creates at start-up, by exact
 * name: builtin-roles.ts) and `knownRoles` exist without being declared. A dangling binding is a
 * latent grant: whoever later creates a role of that name hands it out.
 */
export const rbacRoleRefResolves = stackControl({
  id: "rbac-role-ref-resolves",
  title: "roleRef resolves to an existing Role or ClusterRole",
  family: "rbac",
  level: "hardened",
  severity: "medium",
  references: {
    catalog: "RBAC-021",
    nsaCisa: "Authentication and authorization › Role-based access control",
  },
  remediation:
    "Point roleRef at a Role of the binding's namespace or a ClusterRole declared with it (or list a role that exists in the cluster in knownRoles); delete bindings whose role is gone.",
  kinds: BINDING_KINDS,
  config: {
    knownRoles: {
      type: "array",
      items: { type: "string" },
      description:
        'Roles that exist in the cluster without being in the stack: "<name>" for a ClusterRole, "<namespace>/<name>" for a Role. `*` and `?` are wildcards.',
      default: [],
    },
  },
  checkStack(stack, ctx) {
    const known = configStrings(ctx.config, "knownRoles");
    const clusterRoleExists = (name: string): boolean =>
      isBuiltinClusterRoleName(name) ||
      stack.get("ClusterRole", undefined, name) !== undefined ||
      isAllowed(known, name);
    const out: Violation[] = [];
    for (const kind of BINDING_KINDS) {
      for (const binding of stack.byKind(kind)) {
        if (stack.isPatch(binding)) continue;
        const report = (path: string, message: string): void => void out.push({ object: binding, path, message });
        const ref = roleRefOf(binding);
        if (ref === undefined) {
          report("roleRef", "roleRef is missing: the binding grants nothing and the API server rejects it");
          continue;
        }
        if (ref.apiGroup !== undefined && ref.apiGroup !== "" && ref.apiGroup !== RBAC_GROUP)
          report("roleRef.apiGroup", `roleRef.apiGroup ${JSON.stringify(ref.apiGroup)} must be "${RBAC_GROUP}"`);
        const name = ref.name;
        if (name === undefined || name === "") {
          report("roleRef.name", "roleRef.name is missing");
          continue;
        }
        if (ref.kind === "ClusterRole") {
          if (!clusterRoleExists(name))
            report(
              "roleRef.name",
              `roleRef ClusterRole ${JSON.stringify(name)} is neither declared in the stack, nor a bootstrap role of Kubernetes, nor in knownRoles (a role your distribution creates belongs there)`,
            );
        } else if (ref.kind === "Role") {
          if (kind === "ClusterRoleBinding") {
            report("roleRef.kind", "a ClusterRoleBinding can only reference a ClusterRole, not a Role");
            continue;
          }
          const ns = stack.namespaceOf(binding) ?? "";
          if (stack.get("Role", ns, name) !== undefined || isBuiltinRole(ns, name) || isAllowed(known, `${ns}/${name}`))
            continue;
          const hint = clusterRoleExists(name)
            ? `; a ClusterRole of that name exists: set roleRef.kind: ClusterRole`
            : "";
          report(
            "roleRef.name",
            `roleRef Role ${JSON.stringify(name)} is not declared in namespace ${JSON.stringify(ns)} nor in knownRoles${hint}`,
          );
        } else {
          report("roleRef.kind", `roleRef.kind ${JSON.stringify(ref.kind ?? "")} must be Role or ClusterRole`);
        }
      }
    }
    return out;
  },
});
