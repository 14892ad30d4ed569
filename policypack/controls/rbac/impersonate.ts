import { resourceControl } from "../define";
import { grantPolicy } from "./cel";
import { grantCheck } from "./check";
import { IMPERSONATE } from "./permissions";
import { ROLE_KINDS } from "./rules";

/**
 * RBAC-011. No `impersonate` (or `*`) on users, groups, serviceaccounts (core group) or uids,
 * userextras/* (authentication.k8s.io); both groups are checked for every resource. Peers miss the
 * ordinary core-group form (Trivy KSV043 wants apiGroups `*`; Kyverno only looks at roles).
 */
export const rbacImpersonate = resourceControl({
  id: "rbac-impersonate",
  title: "No impersonate",
  family: "rbac",
  level: "hardened",
  severity: "critical",
  references: {
    catalog: "RBAC-011",
    nsaCisa: "Authentication and authorization › Role-based access control",
    cis: "5.1.8",
  },
  remediation:
    "Remove impersonate; a subject that must act as another identity should get that identity's permissions directly.",
  kinds: ROLE_KINDS,
  cel: grantPolicy(IMPERSONATE),
  check: grantCheck(IMPERSONATE),
});
