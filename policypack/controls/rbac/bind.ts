import { resourceControl } from "../define";
import { grantPolicy } from "./cel";
import { grantCheck } from "./check";
import { BIND } from "./permissions";
import { ROLE_KINDS } from "./rules";

/**
 * RBAC-010. No `bind` (or `*`) on roles or clusterroles. The API server authorizes bind against
 * the role a binding references, not against rolebindings (Checkov CKV_K8S_157 looks there).
 */
export const rbacBind = resourceControl({
  id: "rbac-bind",
  title: "No bind on roles",
  family: "rbac",
  level: "hardened",
  severity: "critical",
  references: {
    catalog: "RBAC-010",
    nsaCisa: "Authentication and authorization › Role-based access control",
    cis: "5.1.8",
  },
  remediation:
    'Remove the bind verb (and "*") on roles and clusterroles; a subject may only bind roles whose permissions it already holds.',
  kinds: ROLE_KINDS,
  cel: grantPolicy(BIND),
  check: grantCheck(BIND),
});
