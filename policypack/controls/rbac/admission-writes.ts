import { resourceControl } from "../define";
import { grantPolicy } from "./cel";
import { grantCheck } from "./check";
import { ADMISSION_WRITES } from "./permissions";
import { ROLE_KINDS } from "./rules";

/**
 * RBAC-016. No create/update/patch/delete/deletecollection (or `*`) on validating and mutating
 * webhook configurations, nor on validating and mutating admission policies and their bindings:
 * each can switch policy off or inject into every pod (peers check the webhook kinds only).
 * Rules limited by resourceNames (a webhook server patching its own configuration's caBundle)
 * are rbac-admission-writes-named's, at medium.
 */
export const rbacAdmissionWrites = resourceControl({
  id: "rbac-admission-writes",
  title: "No writes to admission configuration",
  family: "rbac",
  level: "hardened",
  severity: "critical",
  references: {
    catalog: "RBAC-016",
    nsaCisa: "Authentication and authorization › Role-based access control",
    cis: "5.1.12",
  },
  remediation:
    "Keep admission configuration with the platform pipeline; remove writes on webhook configurations and admission policies (and their bindings) from this role.",
  kinds: ROLE_KINDS,
  cel: grantPolicy(ADMISSION_WRITES),
  check: grantCheck(ADMISSION_WRITES),
});
