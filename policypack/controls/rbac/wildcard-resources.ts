import { quoteList } from "../../engine/access";
import { resourceControl } from "../define";
import { RULES_VARIABLE } from "./cel";
import { ROLE_KINDS, rulesOf } from "./rules";

/** `pods/*`: the authorizer has no such wildcard and matches it literally (rules.ts matchResource). */
const isLiteralStar = (entry: string): boolean => entry.endsWith("/*") && !entry.startsWith("*");

/**
 * RBAC-002. Restricted field: rules[*].resources of every rule. Disallowed values: `*` (every
 * resource and subresource), `*\/sub` (that subresource of every resource, e.g. `*\/exec`) and
 * `resource/*`. The last is no wildcard for the authorizer, which matches it literally and so
 * grants nothing through it; it is flagged because its author meant every subresource, and the
 * message says what it really does, so the reviewer lists the subresources meant.
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
    'List the resources the subject needs (e.g. ["configmaps", "deployments"]) instead of "*" or "*/sub", which reach Secrets, pods/exec and resources added later; replace "resource/*", which grants nothing, with the subresources meant.',
  kinds: ROLE_KINDS,
  cel: {
    variables: [RULES_VARIABLE],
    validations: [
      { expression: "!variables.rules.exists(r, has(r.resources) && r.resources.exists(x, x.contains('*')))" },
    ],
  },
  check(object) {
    return rulesOf(object).flatMap((rule) => {
      const wild = rule.resources.filter((r) => r.includes("*") && !isLiteralStar(r));
      const literal = rule.resources.filter(isLiteralStar);
      if (wild.length === 0 && literal.length === 0) return [];
      const groups = rule.apiGroups.length > 0 ? ` in apiGroups ${quoteList(rule.apiGroups)}` : "";
      const parts: string[] = [];
      if (wild.length > 0)
        parts.push(`grants ${quoteList(rule.verbs)} on wildcard resources ${quoteList(wild)}${groups}`);
      if (literal.length > 0)
        parts.push(
          `lists ${quoteList(literal)}, which the authorizer matches literally (no subresource is named "*"): ${literal.length === 1 ? "that entry grants" : "those entries grant"} nothing; name the subresources meant (e.g. "pods/log")`,
        );
      return [{ message: `${rule.path} ${parts.join("; it also ")}`, path: `${rule.path}.resources` }];
    });
  },
});
