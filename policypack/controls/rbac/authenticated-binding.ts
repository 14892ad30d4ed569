import { resourceControl } from "../define";
import { SUBJECTS_VARIABLE, userOrGroupNamed } from "./cel";
import { BINDING_KINDS } from "./rules";
import { describeRoleRef, subjectsOf } from "./subjects";

const NAMES: readonly string[] = ["system:authenticated"];

/**
 * RBAC-019. Restricted field: subjects[*]. Disallowed: Group system:authenticated, which every
 * user and every ServiceAccount token of every namespace carries (Kyverno misses it; Trivy checks
 * it on GKE only).
 */
export const rbacAuthenticatedBinding = resourceControl({
  id: "rbac-authenticated-binding",
  title: "No bindings to system:authenticated",
  family: "rbac",
  level: "hardened",
  severity: "high",
  references: {
    catalog: "RBAC-019",
    nsaCisa: "Authentication and authorization › Role-based access control",
  },
  remediation: "Bind the groups or ServiceAccounts that need the role instead of every authenticated identity.",
  kinds: BINDING_KINDS,
  cel: {
    variables: [SUBJECTS_VARIABLE],
    validations: [
      { expression: `!${userOrGroupNamed(NAMES)}`, message: "the binding must not name Group system:authenticated" },
    ],
  },
  check(object) {
    return subjectsOf(object)
      .filter((s) => (s.kind === "User" || s.kind === "Group") && s.name !== undefined && NAMES.includes(s.name))
      .map((s) => ({
        message: `${s.path} is ${s.kind} ${JSON.stringify(s.name)}: the binding grants ${describeRoleRef(object)} to every authenticated identity, every ServiceAccount of every namespace included`,
        path: s.path,
      }));
  },
});
