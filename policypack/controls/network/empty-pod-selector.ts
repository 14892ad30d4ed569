import { resourceControl } from "../define";
import { activeRules, isNetworkPolicy, podSelectorOf, ruleLabel } from "./policy";
import { isEverything } from "./selectors";

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
