import { resourceControl } from "../define";
import { CEL_IS_TENANT_ROLE, grantPolicy } from "./cel";
import { grantCheck, isTenantRole, PLATFORM_NAMESPACES_CONFIG } from "./check";
import { BINDING_WRITES } from "./permissions";
import { ROLE_KINDS } from "./rules";

/**
 * RBAC-012. Tenant roles have no create/update/patch (or `*`) on rolebindings or
 * clusterrolebindings: a subject can hand its permissions to anyone, system:anonymous included.
 * Tenant roles are every ClusterRole and the Roles outside `platformNamespaces`.
 */
export const rbacBindingWrites = resourceControl({
  id: "rbac-binding-writes",
  title: "Restrict writes to role bindings",
  family: "rbac",
  level: "hardened",
  severity: "medium",
  references: {
    catalog: "RBAC-012",
    nsaCisa: "Authentication and authorization › Role-based access control",
    cis: "5.1.8",
  },
  remediation:
    "Let the platform's RBAC pipeline write bindings; remove create/update/patch on rolebindings and clusterrolebindings from tenant roles.",
  kinds: ROLE_KINDS,
  config: { platformNamespaces: PLATFORM_NAMESPACES_CONFIG },
  cel: grantPolicy(BINDING_WRITES, CEL_IS_TENANT_ROLE),
  check: grantCheck(BINDING_WRITES, isTenantRole),
});
