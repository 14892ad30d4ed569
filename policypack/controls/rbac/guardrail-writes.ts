import { resourceControl } from "../define";
import { CEL_IS_TENANT_ROLE, grantPolicy } from "./cel";
import { grantCheck, isTenantRole, PLATFORM_NAMESPACES_CONFIG } from "./check";
import { GUARDRAIL_WRITES } from "./permissions";
import { ROLE_KINDS } from "./rules";

/**
 * RBAC-025. Tenant roles have no create/update/patch/delete/deletecollection (or `*`) on
 * networkpolicies (networking.k8s.io, extensions), resourcequotas or limitranges (core). Tenant
 * roles are every ClusterRole and the Roles outside `platformNamespaces`.
 */
export const rbacGuardrailWrites = resourceControl({
  id: "rbac-guardrail-writes",
  title: "Tenants cannot modify guardrail objects",
  family: "rbac",
  level: "hardened",
  severity: "medium",
  references: {
    catalog: "RBAC-025",
    nsaCisa: "Network separation and hardening › Network policies; Resource policies",
  },
  remediation:
    "Let the platform manage NetworkPolicies, ResourceQuotas and LimitRanges; give tenants read access only.",
  kinds: ROLE_KINDS,
  config: { platformNamespaces: PLATFORM_NAMESPACES_CONFIG },
  cel: grantPolicy(GUARDRAIL_WRITES, CEL_IS_TENANT_ROLE),
  check: grantCheck(GUARDRAIL_WRITES, isTenantRole),
});
