import { resourceControl } from "../define";
import { lazyCel } from "../../engine/cel";
import { celGrants, grantPolicy } from "./cel";
import { grantCheck, grantViolations } from "./check";
import { ADMISSION_WRITES, ADMISSION_WRITES_NAMED } from "./permissions";
import { ROLE_KINDS } from "./rules";

/**
 * RBAC-016 for rules limited by resourceNames: writes to the webhook configurations or admission
 * policies a role names. Webhook servers and cert injectors hold exactly this to keep their own
 * configuration's caBundle current. It is not rbac-admission-writes' critical "switch any policy
 * off", but the named objects can still be rewritten: a mutating webhook widened to every pod, a
 * failurePolicy set to Ignore. Worth a reviewer's look, at medium — unless the role also writes
 * admission configuration unrestricted, which the critical control reports.
 */
export const rbacAdmissionWritesNamed = resourceControl({
  id: "rbac-admission-writes-named",
  title: "Writes to named admission configuration only where needed",
  family: "rbac",
  level: "hardened",
  severity: "medium",
  references: {
    catalog: "RBAC-016",
    nsaCisa: "Authentication and authorization › Role-based access control",
    cis: "5.1.12",
  },
  remediation:
    "Keep the named writes only on the subject's own webhook configuration and only the verbs it uses (update or patch to inject a caBundle); prefer a cert injector or the platform pipeline owning the configuration.",
  kinds: ROLE_KINDS,
  // A role that also writes admission configuration without resourceNames is
  // rbac-admission-writes' (critical) to report: its named grants add nothing to fix first.
  cel: lazyCel(() => grantPolicy(ADMISSION_WRITES_NAMED, `!${celGrants(ADMISSION_WRITES)}`)),
  check: grantCheck(ADMISSION_WRITES_NAMED, (object) => grantViolations(object, ADMISSION_WRITES).length === 0),
});
