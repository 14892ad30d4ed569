import { resourceControl } from "../define";
import { SUBJECTS_VARIABLE, userOrGroupNamed } from "./cel";
import { BINDING_KINDS } from "./rules";
import { subjectsOf } from "./subjects";

const NAMES: readonly string[] = ["system:masters"];

/**
 * RBAC-020. Restricted field: subjects[*]. Disallowed: Group system:masters. Its members bypass
 * RBAC altogether and cannot be revoked by deleting bindings; a binding to it signals credentials
 * minted into that group.
 */
export const rbacSystemMastersBinding = resourceControl({
  id: "rbac-system-masters-binding",
  title: "No bindings to system:masters",
  family: "rbac",
  level: "hardened",
  severity: "high",
  references: {
    catalog: "RBAC-020",
    nsaCisa: "Authentication and authorization › Role-based access control",
    cis: "5.1.7",
  },
  remediation: "Remove the subject and issue credentials for a named group bound to a scoped role.",
  kinds: BINDING_KINDS,
  cel: {
    variables: [SUBJECTS_VARIABLE],
    validations: [
      { expression: `!${userOrGroupNamed(NAMES)}`, message: "the binding must not name Group system:masters" },
    ],
  },
  check(object) {
    return subjectsOf(object)
      .filter((s) => (s.kind === "User" || s.kind === "Group") && s.name !== undefined && NAMES.includes(s.name))
      .map((s) => ({
        message: `${s.path} is ${s.kind} ${JSON.stringify(s.name)}: the binding names the group that bypasses RBAC`,
        path: s.path,
      }));
  },
});
