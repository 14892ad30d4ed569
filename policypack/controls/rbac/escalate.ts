import { resourceControl } from "../define";
import { grantPolicy } from "./cel";
import { grantCheck } from "./check";
import { ESCALATE } from "./permissions";
import { ROLE_KINDS } from "./rules";

/**
 * RBAC-009. No `escalate` (or `*`) on roles or clusterroles in rbac.authorization.k8s.io (or `*`):
 * it lets a subject write roles holding permissions it does not have.
 */
export const rbacEscalate = resourceControl({
  id: "rbac-escalate",
  title: "No escalate on roles",
  family: "rbac",
  level: "hardened",
  severity: "critical",
  references: {
    catalog: "RBAC-009",
    nsaCisa: "Authentication and authorization › Role-based access control",
    cis: "5.1.8",
  },
  remediation:
    'Remove the escalate verb (and "*") on roles and clusterroles; only the platform\'s RBAC manager needs it.',
  kinds: ROLE_KINDS,
  cel: grantPolicy(ESCALATE),
  check: grantCheck(ESCALATE),
});
