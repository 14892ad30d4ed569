import type { CelVariable } from "../../engine/control";
import { resourceControl } from "../define";
import { activeRules, isNetworkPolicy, podSelectorOf, ruleLabel } from "./policy";
import { isEverything } from "./selectors";

/**
 * CEL variables of the NetworkPolicy model (./policy.ts) for the network controls: the rules of
 * the directions the policy governs (`policyTypes`, defaulted as the API does), and each such
 * rule's peers (`from`/`to`, [] when unset), one list per rule.
 */
export const NETWORK_POLICY_VARIABLES: readonly CelVariable[] = [
  { name: "spec", expression: "has(object.spec) ? object.spec : {}" },
  {
    name: "typesDeclared",
    expression: "has(variables.spec.policyTypes) && size(variables.spec.policyTypes) > 0",
  },
  {
    name: "ingressRules",
    expression:
      "(variables.typesDeclared ? 'Ingress' in variables.spec.policyTypes : true) && has(variables.spec.ingress) ? variables.spec.ingress : []",
  },
  {
    name: "egressRules",
    expression:
      "(variables.typesDeclared ? 'Egress' in variables.spec.policyTypes : has(variables.spec.egress) && size(variables.spec.egress) > 0) && has(variables.spec.egress) ? variables.spec.egress : []",
  },
  {
    name: "rulePeers",
    expression:
      "variables.ingressRules.map(r, has(r.from) ? r.from : []) + variables.egressRules.map(r, has(r.to) ? r.to : [])",
  },
];

/** CEL: a LabelSelector with no requirements (selects everything). */
export function celSelectsEverything(s: string): string {
  return `((!has(${s}.matchLabels) || size(${s}.matchLabels) == 0) && (!has(${s}.matchExpressions) || size(${s}.matchExpressions) == 0))`;
}

/**
 * `spec.podSelector: {}` selects every pod of the namespace; only a pure deny policy should do
 * that, so an allow rule written for one workload never opens every pod. Decided by content,
 * not by name (Kyverno exempts policies *named* default-deny): the policy must allow nothing in
 * the directions it governs. A missing podSelector is `{}` too.
 */
export const networkEmptyPodSelector = resourceControl({
  id: "network-empty-pod-selector",
  title: "Empty podSelector only on a pure default-deny NetworkPolicy",
  family: "network",
  level: "hardened",
  severity: "low",
  references: {
    catalog: "NET-006",
    nsaCisa: "Network separation and hardening › Network policies",
  },
  remediation:
    "Give policies with allow rules a podSelector that names the pods they are for; keep podSelector: {} for the default-deny policy, which has no rules.",
  kinds: ["NetworkPolicy"],
  cel: {
    variables: [
      ...NETWORK_POLICY_VARIABLES,
      { name: "podSelector", expression: "has(variables.spec.podSelector) ? variables.spec.podSelector : {}" },
    ],
    validations: [
      {
        expression: `!${celSelectsEverything("variables.podSelector")} || size(variables.ingressRules) + size(variables.egressRules) == 0`,
        message: "spec.podSelector is empty (every pod) but the policy allows traffic",
      },
    ],
  },
  check(object) {
    if (!isNetworkPolicy(object)) return [];
    const selector = podSelectorOf(object);
    if (selector === undefined || !isEverything(selector)) return [];
    const rules = activeRules(object);
    if (rules.length === 0) return [];
    return [
      {
        message: `spec.podSelector is empty (every pod in the namespace) but the policy allows traffic (${rules.map(ruleLabel).join(", ")}): only a pure default-deny policy may select every pod`,
        path: "spec.podSelector",
      },
    ];
  },
});
