import { resourceControl } from "../define";
import { grantPolicy } from "./cel";
import { grantCheck } from "./check";
import { DESTRUCTIVE } from "./permissions";
import { ROLE_KINDS } from "./rules";

/**
 * RBAC-027. No delete/deletecollection (or `*`) on events (core, events.k8s.io) or pods/log:
 * erasing events hides an intrusion.
 */
export const rbacDestructiveVerbs = resourceControl({
  id: "rbac-destructive-verbs",
  title: "No deletion of audit evidence",
  family: "rbac",
  level: "hardened",
  severity: "medium",
  references: {
    catalog: "RBAC-027",
    nsaCisa: "Audit logging and threat detection › Logging",
  },
  remediation: "Remove delete and deletecollection on events and pods/log; events expire on their own.",
  kinds: ROLE_KINDS,
  cel: grantPolicy(DESTRUCTIVE),
  check: grantCheck(DESTRUCTIVE),
});
