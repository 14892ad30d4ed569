import { join, rec } from "../../engine/access";
import { StackIndex } from "../../engine/stack";
import { lazyCel } from "../../engine/cel";
import type { CelPolicy } from "../../engine/control";
import type { Violation } from "../../engine/types";
import { resourceControl } from "../define";
import { celRulesGrantAny, celSelectorMatches, RULES_VARIABLE } from "./cel";
import { AGGREGATE_LABEL_PREFIX, AGGREGATION_TARGETS, BUILTIN_CLUSTER_ROLES } from "./builtin-roles";
import { ALL_SENSITIVE } from "./permissions";
import { aggregationSelectors, RoleResolver, selectorMatches } from "./roles";
import { allows, describeGrant, requestsOf, ruleGrant, rulesOf, type Request, type Rule } from "./rules";

let targets: ReadonlyMap<string, readonly Rule[]> | undefined;

/** The rules of the built-in view/edit/admin, computed once from the model. */
function targetRules(target: string): readonly Rule[] {
  if (targets === undefined) {
    const resolver = new RoleResolver(new StackIndex([]));
    targets = new Map(AGGREGATION_TARGETS.map((t) => [t, resolver.clusterRole(t)?.rules ?? []]));
  }
  return targets.get(target) ?? [];
}

const CLUSTER_ADMIN_LABELS = (BUILTIN_CLUSTER_ROLES[0]?.metadata?.labels ?? {}) as Record<string, string>;

/** The requests a rule must not grant in a ClusterRole aggregated into `target`: those the target lacks. */
function injectedRequests(target: string): Request[] {
  const base = targetRules(target);
  return ALL_SENSITIVE.flatMap((sensitive) => requestsOf(sensitive).filter((r) => allows(base, r) === undefined));
}

/** The CEL form: the target chosen as the check does (view before edit before admin), then the selectors. */
function aggregationCel(): CelPolicy {
  const label = (t: string): string => `${AGGREGATE_LABEL_PREFIX}${t}`;
  const target = AGGREGATION_TARGETS.reduceRight(
    (rest, t) =>
      `(${JSON.stringify(label(t))} in variables.labels && variables.labels[${JSON.stringify(label(t))}] == 'true' ? ${JSON.stringify(t)} : ${rest})`,
    "''",
  );
  const injection = AGGREGATION_TARGETS.map(
    (t) => `(variables.target == ${JSON.stringify(t)} && ${celRulesGrantAny(injectedRequests(t))})`,
  ).join(" || ");
  const selects = `${celSelectorMatches("sel", CLUSTER_ADMIN_LABELS)} || ${celSelectorMatches("sel", {})}`;
  return {
    variables: [
      RULES_VARIABLE,
      { name: "labels", expression: "has(object.metadata.labels) ? object.metadata.labels : {}" },
      { name: "target", expression: target },
    ],
    validations: [
      { expression: `!(${injection})`, message: "the rules inject sensitive permissions into a built-in role" },
      {
        expression: `!has(object.aggregationRule) || !has(object.aggregationRule.clusterRoleSelectors) || !object.aggregationRule.clusterRoleSelectors.exists(sel, ${selects})`,
        message: "aggregationRule selectors must not select cluster-admin or unlabelled ClusterRoles",
      },
    ],
  };
}

/**
 * RBAC-024. A ClusterRole labelled rbac.authorization.k8s.io/aggregate-to-{view,edit,admin}: "true"
 * has its rules copied into that built-in role (and, through the built-ins' own labels, view →
 * edit → admin), so every subject bound to it gains them. Restricted: rules granting a sensitive
 * capability (RBAC-006…017, 025…028) that the target does not already grant — secrets read is
 * injection into view, not into edit; impersonating users is injection even into edit, which only
 * impersonates ServiceAccounts. Also restricted: aggregationRule selectors that select cluster-admin
 * or unlabelled ClusterRoles (an empty selector selects every ClusterRole).
 */
export const rbacAggregationInjection = resourceControl({
  id: "rbac-aggregation-injection",
  title: "No privilege injection through ClusterRole aggregation",
  family: "rbac",
  level: "hardened",
  severity: "high",
  references: {
    catalog: "RBAC-024",
    nsaCisa: "Authentication and authorization › Role-based access control",
  },
  remediation:
    "Aggregate only the permissions the built-in role already grants for comparable resources (e.g. your CRDs); bind sensitive permissions explicitly, and scope aggregationRule selectors to dedicated labels.",
  kinds: ["ClusterRole"],
  cel: lazyCel(aggregationCel),
  check(object) {
    const out: Violation[] = [];
    const labels = rec(object.metadata?.labels) ?? {};
    // The least privileged target decides: its rules flow into the others.
    const target = AGGREGATION_TARGETS.find((t) => labels[`${AGGREGATE_LABEL_PREFIX}${t}`] === "true");
    if (target !== undefined) {
      const base = targetRules(target);
      for (const rule of rulesOf(object)) {
        for (const sensitive of ALL_SENSITIVE) {
          const injected = requestsOf(sensitive).filter((r) => allows(base, r) === undefined);
          const grant = ruleGrant(rule, sensitive, "cluster", injected);
          if (grant === undefined) continue;
          out.push({
            message: `${describeGrant(grant, sensitive.what)}, which label ${AGGREGATE_LABEL_PREFIX}${target} injects into the built-in ClusterRole "${target}"`,
            path: rule.path,
          });
        }
      }
    }
    (aggregationSelectors(object) ?? []).forEach((selector, k) => {
      const what = selectorMatches(selector, CLUSTER_ADMIN_LABELS)
        ? 'ClusterRole "cluster-admin"'
        : selectorMatches(selector, {})
          ? "every ClusterRole without labels"
          : undefined;
      if (what === undefined) return;
      const path = join("aggregationRule.clusterRoleSelectors", k);
      out.push({ message: `${path} selects ${what}, whose rules this ClusterRole then grants`, path });
    });
    return out;
  },
});
