import { join } from "../../engine/access";
import type { Violation } from "../../engine/types";
import { stackControl } from "../define";
import { declaredIn } from "../namespace/namespaces";
import { activeRules, isNetworkPolicy, peerSelector, podSelectorOf, ruleLabel } from "./policy";
import { describeSelector, isEverything, labelsOf, parseSelector, selects, type Selector } from "./selectors";
import { operatorFor } from "../controller-made";

/**
 * A NetworkPolicy whose podSelector (or a same-namespace peer's podSelector) matches no pod is
 * a typo or a leftover: it protects nothing, or the allowance it was meant to grant goes
 * elsewhere once a pod gets those labels. Checked against the pod templates of the set, only in
 * namespaces where the set has workloads (a set of policies alone cannot tell); peers with a
 * namespaceSelector point at other namespaces and are not checked. Empty selectors always match.
 * A selector that asks for the pods an operator makes from a custom resource of the namespace
 * (controller-made.ts: a label value naming the resource, or a label key in its API domain)
 * cannot be verified from the set and is passed over: reporting it would ask the reviewer to fix
 * what is right.
 */
export const networkDanglingSelectors = stackControl({
  id: "network-dangling-selectors",
  title: "NetworkPolicy selectors match existing pods",
  family: "network",
  level: "hardened",
  severity: "low",
  references: {
    catalog: "NET-007",
    nsaCisa: "Network separation and hardening › Network policies",
  },
  remediation:
    "Fix the selector's labels to match the pod template labels of the intended workload, or delete the policy or rule if the workload is gone.",
  kinds: ["NetworkPolicy"],
  checkStack(stack) {
    const workloads = stack.workloadsByNamespace;
    const out: Violation[] = [];
    for (const [namespace, entries] of workloads) {
      const labelSets = entries.map((w) => labelsOf(w.pod.metadata));
      const memo = new Map<string, boolean>();
      const madeByOperator = (selector: Selector): boolean =>
        operatorFor(
          stack,
          namespace,
          selector.requirements.filter((r) => r.operator === "In" || r.operator === "Exists"),
        ) !== undefined;
      const matchesSome = (selector: Selector): boolean => {
        const key = describeSelector(selector);
        let hit = memo.get(key);
        if (hit === undefined) {
          hit = labelSets.some((labels) => selects(selector, labels));
          memo.set(key, hit);
        }
        return hit;
      };
      for (const policy of declaredIn(stack, "NetworkPolicy", namespace)) {
        if (!isNetworkPolicy(policy)) continue;
        const own = podSelectorOf(policy);
        if (own === undefined) {
          out.push({
            message: "spec.podSelector is not a valid label selector: it selects no pod",
            path: "spec.podSelector",
            object: policy,
          });
        } else if (!isEverything(own) && !matchesSome(own) && !madeByOperator(own)) {
          out.push({
            message: `spec.podSelector ${describeSelector(own)} matches no pod template in namespace ${JSON.stringify(namespace)}`,
            path: "spec.podSelector",
            object: policy,
          });
        }
        for (const rule of activeRules(policy)) {
          for (const p of rule.peers) {
            if (peerSelector(p.peer, "namespaceSelector") !== "absent") continue;
            const raw = p.peer["podSelector"];
            if (raw === undefined || raw === null) continue;
            const selector = parseSelector(raw);
            if (selector !== undefined && (isEverything(selector) || matchesSome(selector) || madeByOperator(selector)))
              continue;
            out.push({
              message:
                selector === undefined
                  ? `${ruleLabel(rule)} peer ${p.index}: podSelector is not a valid label selector: it selects no pod`
                  : `${ruleLabel(rule)} peer ${p.index}: podSelector ${describeSelector(selector)} matches no pod template in namespace ${JSON.stringify(namespace)}`,
              path: join(p.path, "podSelector"),
              object: policy,
            });
          }
        }
      }
    }
    return out;
  },
});
