import { quoteList } from "../../engine/access";
import { resourceControl } from "../define";
import { RULES_VARIABLE } from "./cel";
import { ROLE_KINDS, rulesOf } from "./rules";

/**
 * RBAC-002. Restricted field: rules[*].resources of every rule. Disallowed values: `*` (every
 * resource and subresource), `*\/sub` (that subresource of every resource, e.g. `*\/exec`) and
 * `resource/*` (every subresource of a resource, e.g. `pods/*`).
 */
export const rbacWildcardResources = resourceControl({
  id: "rbac-wildcard-resources",
  title: "No wildcard resources in roles",
  family: "rbac",
  level: "hardened",
  severity: "high",
  references: {
    catalog: "RBAC-002",
    nsaCisa: "Authentication and authorization › Role-based access control",
    cis: "5.1.3",
  },
  remediation:
    'List the resources the subject needs (e.g. ["configmaps", "deployments"]) instead of "*", "*/sub" or "resource/*", which reach Secrets, pods/exec and resources added later.',
  kinds: ROLE_KINDS,
  cel: {
    variables: [RULES_VARIABLE],
    validations: [
      { expression: "!variables.rules.exists(r, has(r.resources) && r.resources.exists(x, x.contains('*')))" },
    ],
  },
  check(object) {
    return rulesOf(object).flatMap((rule) => {
      const wild = rule.resources.filter((r) => r.includes("*"));
      if (wild.length === 0) return [];
      const groups = rule.apiGroups.length > 0 ? ` in apiGroups ${quoteList(rule.apiGroups)}` : "";
      return [
        {
          message: `${rule.path} grants ${quoteList(rule.verbs)} on wildcard resources ${quoteList(wild)}${groups}`,
          path: `${rule.path}.resources`,
        },
      ];
    });
  },
});
