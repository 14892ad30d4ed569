import { quoteList } from "../../engine/access";
import { resourceControl } from "../define";
import { RULES_VARIABLE } from "./cel";
import { ROLE_KINDS, rulesOf } from "./rules";

/**
 * RBAC-001. Restricted field: rules[*].verbs of every rule (not rules[0] only, Checkov's miss),
 * resource and nonResourceURL rules alike. Allowed values: any verb but `*`.
 */
export const rbacWildcardVerbs = resourceControl({
  id: "rbac-wildcard-verbs",
  title: "No wildcard verbs in roles",
  family: "rbac",
  level: "hardened",
  severity: "high",
  references: {
    catalog: "RBAC-001",
    nsaCisa: "Authentication and authorization › Role-based access control",
    cis: "5.1.3",
  },
  remediation:
    'List the verbs the subject needs (e.g. ["get", "list", "watch"]) instead of "*", which also grants escalate, bind and impersonate and every verb added later.',
  kinds: ROLE_KINDS,
  cel: {
    variables: [RULES_VARIABLE],
    validations: [{ expression: "!variables.rules.exists(r, has(r.verbs) && '*' in r.verbs)" }],
  },
  check(object) {
    return rulesOf(object)
      .filter((rule) => rule.verbs.includes("*"))
      .map((rule) => {
        const on =
          rule.resources.length > 0
            ? `on ${quoteList(rule.resources)}`
            : `on nonResourceURLs ${quoteList(rule.nonResourceURLs)}`;
        return {
          message: `${rule.path} grants every verb ("*") ${on}, including escalate, bind and impersonate`,
          path: `${rule.path}.verbs`,
        };
      });
  },
});
