import { quoteList } from "../../engine/access";
import { resourceControl } from "../define";
import { RULES_VARIABLE } from "./cel";
import { ROLE_KINDS, rulesOf } from "./rules";

/**
 * RBAC-003. Restricted field: rules[*].apiGroups of every rule. Disallowed value: `*` (the rule's
 * resources in every API group, including groups that CRDs and aggregated APIs add later).
 */
export const rbacWildcardApiGroups = resourceControl({
  id: "rbac-wildcard-api-groups",
  title: "No wildcard API groups in roles",
  family: "rbac",
  level: "hardened",
  severity: "medium",
  references: {
    catalog: "RBAC-003",
    nsaCisa: "Authentication and authorization › Role-based access control",
    cis: "5.1.3",
  },
  remediation:
    'List the API groups the rule is meant for (e.g. ["", "apps"]) instead of "*", which extends it to every group served now or later.',
  kinds: ROLE_KINDS,
  cel: {
    variables: [RULES_VARIABLE],
    validations: [{ expression: "!variables.rules.exists(r, has(r.apiGroups) && '*' in r.apiGroups)" }],
  },
  check(object) {
    return rulesOf(object)
      .filter((rule) => rule.apiGroups.includes("*"))
      .map((rule) => ({
        message: `${rule.path} grants ${quoteList(rule.verbs)} on ${quoteList(rule.resources)} in every API group ("*")`,
        path: `${rule.path}.apiGroups`,
      }));
  },
});
