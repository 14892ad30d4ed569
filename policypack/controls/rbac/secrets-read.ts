import { resourceControl } from "../define";
import { grantPolicy } from "./cel";
import { grantCheck } from "./check";
import { SECRETS_READ } from "./permissions";
import { ROLE_KINDS } from "./rules";

/**
 * RBAC-006. No get, list or watch (or `*`) on secrets in the core group, through any wildcard form.
 * list and watch return whole objects, so they disclose Secret data as get does (Kyverno's
 * restrict-secret-role-verbs misses verb `*`; Trivy KSV041 matches the literal name only).
 */
export const rbacSecretsRead = resourceControl({
  id: "rbac-secrets-read",
  title: "Minimize read access to Secrets",
  family: "rbac",
  level: "hardened",
  severity: "high",
  references: {
    catalog: "RBAC-006",
    nsaCisa: "Authentication and authorization › Role-based access control",
    cis: "5.1.2",
  },
  remediation:
    "Drop get/list/watch on secrets; mount the one Secret the workload needs, or name it in resourceNames with get only.",
  kinds: ROLE_KINDS,
  cel: grantPolicy(SECRETS_READ),
  check: grantCheck(SECRETS_READ),
});
