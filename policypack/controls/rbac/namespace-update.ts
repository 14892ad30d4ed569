import { resourceControl } from "../define";
import { grantPolicy } from "./cel";
import { grantCheck } from "./check";
import { NAMESPACE_UPDATE } from "./permissions";
import { ROLE_KINDS } from "./rules";

/**
 * RBAC-026. No update/patch (or `*`) on namespaces: it rewrites the Pod Security Admission labels.
 * Roles too: a request on Namespace X is authorized in namespace X, so a RoleBinding in `team-a`
 * lets its subjects relabel Namespace team-a.
 */
export const rbacNamespaceUpdate = resourceControl({
  id: "rbac-namespace-update",
  title: "Tenants cannot update Namespaces",
  family: "rbac",
  level: "hardened",
  severity: "high",
  references: {
    catalog: "RBAC-026",
    nsaCisa: "Kubernetes Pod security › Pod security enforcement",
  },
  remediation: "Remove update and patch on namespaces; the platform sets Namespace labels, tenants read them.",
  kinds: ROLE_KINDS,
  cel: grantPolicy(NAMESPACE_UPDATE),
  check: grantCheck(NAMESPACE_UPDATE),
});
