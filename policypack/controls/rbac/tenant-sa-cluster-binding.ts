import { resourceControl } from "../define";
import { celString } from "../../engine/cel";
import { celIsPlatformNamespace, SUBJECTS_VARIABLE } from "./cel";
import { isPlatformNamespace, PLATFORM_NAMESPACES_CONFIG } from "./check";
import { describeRoleRef, subjectsOf } from "./subjects";

const SA_GROUP_PREFIX = "system:serviceaccounts:";

/**
 * RBAC-023. A ClusterRoleBinding grants its role in every namespace; tenant workloads should get
 * theirs through RoleBindings. Restricted field: subjects[*] of ClusterRoleBindings. Disallowed:
 * ServiceAccounts of tenant namespaces (any namespace not in `platformNamespaces`), the group
 * system:serviceaccounts:<tenant namespace>, and system:serviceaccounts (every ServiceAccount).
 */
export const rbacTenantSaClusterBinding = resourceControl({
  id: "rbac-tenant-sa-cluster-binding",
  title: "No ClusterRoleBinding to tenant ServiceAccounts",
  family: "rbac",
  level: "hardened",
  severity: "medium",
  references: {
    catalog: "RBAC-023",
    nsaCisa: "Authentication and authorization › Role-based access control",
  },
  remediation:
    "Bind the ClusterRole with a RoleBinding in each namespace where the ServiceAccount needs it, instead of a ClusterRoleBinding.",
  kinds: ["ClusterRoleBinding"],
  config: { platformNamespaces: PLATFORM_NAMESPACES_CONFIG },
  cel: {
    variables: [SUBJECTS_VARIABLE],
    validations: [
      {
        expression:
          "!variables.subjects.exists(s, has(s.name) && has(s.kind) && (" +
          `(s.kind == 'ServiceAccount' && has(s.namespace) && s.namespace != '' && !${celIsPlatformNamespace("s.namespace")}) || ` +
          "(s.kind == 'Group' && s.name == 'system:serviceaccounts') || " +
          `(s.kind == 'Group' && s.name.startsWith(${celString(SA_GROUP_PREFIX)}) && s.name.size() > ${SA_GROUP_PREFIX.length} && ` +
          `!${celIsPlatformNamespace(`s.name.substring(${SA_GROUP_PREFIX.length})`)})))`,
        message: "a ClusterRoleBinding must not name tenant ServiceAccounts or their groups",
      },
    ],
  },
  check(object, ctx) {
    const role = describeRoleRef(object);
    return subjectsOf(object).flatMap((s) => {
      if (s.name === undefined) return [];
      let who: string | undefined;
      if (s.kind === "ServiceAccount" && s.namespace !== undefined && !isPlatformNamespace(ctx, s.namespace))
        who = `ServiceAccount ${JSON.stringify(`${s.namespace}/${s.name}`)} of tenant namespace ${JSON.stringify(s.namespace)}`;
      else if (s.kind === "Group" && s.name === "system:serviceaccounts")
        who = `Group "system:serviceaccounts" (every ServiceAccount, tenants' included)`;
      else if (s.kind === "Group" && s.name.startsWith(SA_GROUP_PREFIX)) {
        const ns = s.name.slice(SA_GROUP_PREFIX.length);
        if (ns !== "" && !isPlatformNamespace(ctx, ns))
          who = `Group ${JSON.stringify(s.name)} (the ServiceAccounts of tenant namespace ${JSON.stringify(ns)})`;
      }
      if (who === undefined) return [];
      return [
        { message: `${s.path} is ${who}: the ClusterRoleBinding grants ${role} in every namespace`, path: s.path },
      ];
    });
  },
});
