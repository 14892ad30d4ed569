import { join } from "../../engine/access";
import type { Violation } from "../../engine/types";
import { resourceControl } from "../define";
import { celSelectsEverything, NETWORK_POLICY_VARIABLES } from "./empty-pod-selector";
import { activeRules, isNetworkPolicy, PEERS_FIELD, peerSelector, ruleLabel } from "./policy";
import { describeSelector, isEverything, requiresKey } from "./selectors";

const NAMESPACE_NAME = "kubernetes.io/metadata.name";

/**
 * A peer namespaceSelector on ordinary labels (`team: payments`) admits any namespace whose
 * owner adds that label, and tenants can usually label their own namespaces. The API server sets
 * `kubernetes.io/metadata.name` to the namespace's name and no one can change it, so a selector
 * must require it (`matchLabels`, or `In` on that key). `namespaceSelector: {}` selects every
 * namespace on purpose and is network-no-allow-all-peers' concern.
 */
export const networkNamespaceSelectorName = resourceControl({
  id: "network-namespace-selector-name",
  title: "Peer namespaceSelectors key on kubernetes.io/metadata.name",
  family: "network",
  level: "hardened",
  severity: "medium",
  references: {
    catalog: "NET-008",
    nsaCisa: "Network separation and hardening › Network policies",
  },
  remediation:
    "Select peer namespaces by name: namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: <namespace>}} (or matchExpressions with operator In on that key).",
  kinds: ["NetworkPolicy"],
  cel: {
    variables: NETWORK_POLICY_VARIABLES,
    validations: [
      {
        // The API server rejects invalid selectors before admission policies run.
        expression: `variables.rulePeers.all(ps, ps.all(p, !has(p.namespaceSelector) || ${celSelectsEverything("p.namespaceSelector")} || (has(p.namespaceSelector.matchLabels) && ${JSON.stringify(NAMESPACE_NAME)} in p.namespaceSelector.matchLabels) || (has(p.namespaceSelector.matchExpressions) && p.namespaceSelector.matchExpressions.exists(e, e.key == ${JSON.stringify(NAMESPACE_NAME)} && e.operator == 'In'))))`,
        message: `peer namespaceSelectors must require ${NAMESPACE_NAME}`,
      },
    ],
  },
  check(object) {
    if (!isNetworkPolicy(object)) return [];
    const out: Violation[] = [];
    for (const rule of activeRules(object)) {
      for (const p of rule.peers) {
        const selector = peerSelector(p.peer, "namespaceSelector");
        if (selector === "absent") continue;
        if (selector !== undefined && (isEverything(selector) || requiresKey(selector, NAMESPACE_NAME))) continue;
        out.push({
          message: `${ruleLabel(rule)} ${PEERS_FIELD[rule.direction]}[${p.index}]: namespaceSelector ${selector === undefined ? "is not a valid label selector" : describeSelector(selector)} does not require ${NAMESPACE_NAME}, which tenants can spoof by labelling their own namespace`,
          path: join(p.path, "namespaceSelector"),
        });
      }
    }
    return out;
  },
});
