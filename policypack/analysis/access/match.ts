/**
 * Whether one PolicyRule allows one resource request, exactly as the kube-apiserver's RBAC
 * authorizer decides it (pkg/apis/rbac/v1/evaluation_helpers.go RuleAllows: VerbMatches,
 * APIGroupMatches, ResourceMatches, ResourceNameMatches). Kept apart from the catalog's matcher
 * (controls/rbac/rules.ts), which asks "does this rule grant a capability" and so reads
 * `resource/*` and ANY_VERB its own way; this one answers only what the server would.
 */
import type { Rule } from "../../controls/rbac/rules";

export interface ResourceAttributes {
  readonly verb: string;
  readonly apiGroup: string;
  readonly resource: string;
  readonly subresource?: string;
  readonly name?: string;
}

function resourceMatches(rule: Rule, combined: string, subresource: string): boolean {
  for (const r of rule.resources) {
    if (r === "*" || r === combined) return true;
    // `*/sub` grants that subresource of every resource; `pods/*` is only ever the literal string.
    if (subresource !== "" && r.length === subresource.length + 2 && r.startsWith("*/") && r.endsWith(subresource))
      return true;
  }
  return false;
}

/** RuleAllows for a resource request. A rule with resourceNames never matches a request without a name. */
export function ruleAllows(rule: Rule, request: ResourceAttributes): boolean {
  if (!rule.verbs.some((v) => v === "*" || v === request.verb)) return false;
  if (!rule.apiGroups.some((g) => g === "*" || g === request.apiGroup)) return false;
  const sub = request.subresource ?? "";
  const combined = sub === "" ? request.resource : `${request.resource}/${sub}`;
  if (!resourceMatches(rule, combined, sub)) return false;
  if (rule.resourceNames.length === 0) return true;
  return rule.resourceNames.includes(request.name ?? "");
}
