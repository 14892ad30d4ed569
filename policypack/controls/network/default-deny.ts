import type { Violation } from "../../engine/types";
import { stackControl } from "../define";
import { declaredIn, namespaceLabel, namespaceSubject, isUndeclaredSystemNamespace } from "../namespace/namespaces";
import { deniesAll, DIRECTIONS, isNetworkPolicy, RULES_FIELD } from "./policy";

/**
 * NSA/CISA: "a default policy denying all ingress and egress" in every namespace. Checked for
 * each namespace that holds a workload of the set. Patches are not counted: a patch cannot show
 * that the patched policy has no allow rules.
 */
export const networkDefaultDeny = stackControl({
  id: "network-default-deny",
  title: "Default-deny NetworkPolicy for ingress and egress in every workload namespace",
  family: "network",
  level: "hardened",
  severity: "high",
  references: {
    catalog: "NET-001",
    nsaCisa: "Network separation and hardening › Network policies",
    cis: "5.3.2",
  },
  remediation:
    "Add to each namespace a NetworkPolicy with podSelector: {}, policyTypes: [Ingress, Egress] and no ingress or egress rules, then allow the traffic each workload needs with narrower policies.",
  kinds: ["Namespace"],
  checkStack(stack) {
    const out: Violation[] = [];
    for (const namespace of stack.workloadNamespaces) {
      if (isUndeclaredSystemNamespace(stack, namespace)) continue; // the platform's guardrails
      const policies = declaredIn(stack, "NetworkPolicy", namespace).filter(isNetworkPolicy);
      const missing = DIRECTIONS.filter((d) => !policies.some((p) => deniesAll(p, d)));
      if (missing.length === 0) continue;
      const what = missing.join(" and ");
      out.push({
        message: `${namespaceLabel(stack, namespace)} has no default-deny NetworkPolicy for ${what} (podSelector: {}, policyTypes: [${missing.join(", ")}], no ${missing.map((d) => RULES_FIELD[d]).join("/")} rules)`,
        object: namespaceSubject(stack, namespace),
      });
    }
    return out;
  },
});
