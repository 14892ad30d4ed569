import { quoteList } from "../../engine/access";
import { resourceControl } from "../define";
import { RULES_VARIABLE } from "./cel";
import { BIND, ESCALATE, IMPERSONATE } from "./permissions";
import { ROLE_KINDS, ruleGrant, rulesOf, type Rule } from "./rules";

/** The verbs `*` adds that are privilege escalations in themselves, where the rule's resources take them. */
const SPECIAL_VERBS = [
  ["escalate", ESCALATE],
  ["bind", BIND],
  ["impersonate", IMPERSONATE],
] as const;

/**
 * What `*` means for this rule, for the message: escalate, bind and impersonate only where the
 * rule reaches roles, users or serviceaccounts (on statefulsets or configmaps they mean nothing);
 * on nonResourceURLs the verbs are HTTP methods.
 */
function meaning(rule: Rule, kind: string | undefined): string {
  if (rule.resources.length === 0)
    return `on nonResourceURLs ${quoteList(rule.nonResourceURLs)}: every HTTP method, where such endpoints are usually only read (get)`;
  const scope = kind === "Role" ? "namespace" : "cluster";
  const special = SPECIAL_VERBS.filter(([, sensitive]) => ruleGrant(rule, sensitive, scope) !== undefined).map(
    ([verb]) => verb,
  );
  const on = `on ${quoteList(rule.resources)}`;
  if (special.length === 0)
    return `${on}: every write (create, update, patch, delete, deletecollection) and any verb added later`;
  const list =
    special.length === 1 ? special[0] : `${special.slice(0, -1).join(", ")} and ${special[special.length - 1]}`;
  return `${on}, including ${list ?? ""}`;
}

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
    'List the verbs the subject needs (e.g. ["get", "list", "watch"]) instead of "*", which grants every write and every verb added later (and escalate, bind and impersonate where the rule reaches roles, users or serviceaccounts).',
  kinds: ROLE_KINDS,
  cel: {
    variables: [RULES_VARIABLE],
    validations: [{ expression: "!variables.rules.exists(r, has(r.verbs) && '*' in r.verbs)" }],
  },
  check(object) {
    return rulesOf(object)
      .filter((rule) => rule.verbs.includes("*"))
      .map((rule) => ({
        message: `${rule.path} grants every verb ("*") ${meaning(rule, object.kind)}`,
        path: `${rule.path}.verbs`,
      }));
  },
});
