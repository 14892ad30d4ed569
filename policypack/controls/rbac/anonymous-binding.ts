import { resourceControl } from "../define";
import { SUBJECTS_VARIABLE, userOrGroupNamed } from "./cel";
import { BINDING_KINDS } from "./rules";
import { describeRoleRef, subjectsOf } from "./subjects";

const NAMES: readonly string[] = ["system:anonymous", "system:unauthenticated"];

/**
 * RBAC-018. Restricted field: subjects[*]. Disallowed: User system:anonymous and Group
 * system:unauthenticated (either kind is matched: neither name should appear in a binding), which
 * grant the role to every request that carries no credentials.
 */
export const rbacAnonymousBinding = resourceControl({
  id: "rbac-anonymous-binding",
  title: "No bindings to system:anonymous or system:unauthenticated",
  family: "rbac",
  level: "hardened",
  severity: "critical",
  references: {
    catalog: "RBAC-018",
    nsaCisa: "Authentication and authorization › Authentication",
  },
  remediation: "Remove the subject; grant the role to authenticated identities that need it.",
  kinds: BINDING_KINDS,
  cel: {
    variables: [SUBJECTS_VARIABLE],
    validations: [
      {
        expression: `!${userOrGroupNamed(NAMES)}`,
        message: "the binding must not name system:anonymous or system:unauthenticated",
      },
    ],
  },
  check(object) {
    return subjectsOf(object)
      .filter((s) => (s.kind === "User" || s.kind === "Group") && s.name !== undefined && NAMES.includes(s.name))
      .map((s) => ({
        message: `${s.path} is ${s.kind} ${JSON.stringify(s.name)}: the binding grants ${describeRoleRef(object)} to unauthenticated requests`,
        path: s.path,
      }));
  },
});
