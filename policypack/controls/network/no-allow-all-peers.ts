import { join, rec, str, strings } from "../../engine/access";
import { configStrings } from "../../engine/control";
import { globMatch } from "../../engine/exemptions";
import type { Violation } from "../../engine/types";
import { resourceControl } from "../define";
import { celSelectsEverything, NETWORK_POLICY_VARIABLES } from "./empty-pod-selector";
import { celCidr, celMayBeUniversal, celParamList } from "./metadata-egress";
import { celGlobMatch } from "../cel";
import { CEL_OBJECT_ID } from "./service-type";
import { mayBeUniversal, parseCidr } from "./cidr";
import { activeRules, isNetworkPolicy, namespaceOf, PEERS_FIELD, peerSelector, ruleLabel } from "./policy";
import { isEverything } from "./selectors";

/**
 * A NetworkPolicy rule whose peers are "everyone" undoes the isolation the policy exists for:
 * a rule with no `from`/`to` (or an empty list), a peer `{}`, `namespaceSelector: {}` with no
 * (or an empty) podSelector — every pod of every namespace — and an ipBlock of a whole address
 * family (0.0.0.0/0, ::/0, ::ffff:0:0/96) with no except. Only rules of the directions the policy
 * governs count. Policies that must admit everyone (an ingress controller's) are allowlisted by
 * `namespace/name` pattern.
 */
export const networkNoAllowAllPeers = resourceControl({
  id: "network-no-allow-all-peers",
  title: "No allow-all peers in NetworkPolicy rules",
  family: "network",
  level: "hardened",
  severity: "medium",
  references: {
    catalog: "NET-005",
    nsaCisa: "Network separation and hardening › Network policies",
  },
  remediation:
    "Name the peers each rule allows with podSelector and a namespaceSelector on kubernetes.io/metadata.name, or with narrow ipBlocks; allowlist the policies that must admit everyone.",
  kinds: ["NetworkPolicy"],
  config: {
    allowedPolicies: {
      type: "array",
      items: { type: "string" },
      description:
        'NetworkPolicies ("namespace/name", with * and ? wildcards) that may allow every peer, e.g. "ingress-nginx/allow-public".',
      default: [],
    },
  },
  cel: {
    variables: [
      ...NETWORK_POLICY_VARIABLES,
      {
        name: "allowlisted",
        expression: `${celParamList("allowedPolicies")}.exists(g, type(g) == string && ${celGlobMatch("g", `(${CEL_OBJECT_ID})`)})`,
      },
    ],
    validations: [
      {
        expression: "variables.allowlisted || variables.rulePeers.all(ps, size(ps) > 0)",
        message: "a rule with no from/to peers allows everyone",
      },
      {
        expression:
          "variables.allowlisted || variables.rulePeers.all(ps, ps.all(p, has(p.podSelector) || has(p.namespaceSelector) || has(p.ipBlock)))",
        message: "an empty peer {} allows everyone",
      },
      {
        expression: `variables.allowlisted || variables.rulePeers.all(ps, ps.all(p, !has(p.namespaceSelector) || !${celSelectsEverything("p.namespaceSelector")} || (has(p.podSelector) && !${celSelectsEverything("p.podSelector")})))`,
        message: "namespaceSelector: {} without a podSelector restriction allows every pod of every namespace",
      },
      {
        expression:
          "variables.allowlisted || variables.rulePeers.all(ps, ps.all(p, !has(p.ipBlock) || (has(p.ipBlock.except) && size(p.ipBlock.except) > 0) || " +
          `[${celCidr("has(p.ipBlock.cidr) ? p.ipBlock.cidr : ''")}].all(c, c.b == '' || !${celMayBeUniversal("c")})))`,
        message: "an ipBlock of a whole address family with no except allows everyone",
      },
    ],
  },
  check(object, ctx) {
    if (!isNetworkPolicy(object)) return [];
    const id = `${namespaceOf(object) ?? "default"}/${str(object.metadata?.name) ?? ""}`;
    if (configStrings(ctx.config, "allowedPolicies").some((p) => globMatch(p, id))) return [];
    const out: Violation[] = [];
    for (const rule of activeRules(object)) {
      const field = PEERS_FIELD[rule.direction];
      const who = rule.direction === "Ingress" ? "every source" : "every destination";
      if (rule.peers.length === 0) {
        // Say what the rule still limits, so the reviewer sees what is open (a webhook port, not everything).
        const ports = rule.ports.map(
          (p) =>
            `${str(p["protocol"]) ?? "TCP"}/${String(p["port"] ?? "any")}${typeof p["endPort"] === "number" ? `-${p["endPort"]}` : ""}`,
        );
        const on = ports.length > 0 ? ` on ${ports.join(", ")}` : " on every port";
        out.push({ message: `${ruleLabel(rule)} has no "${field}" peers: it allows ${who}${on}`, path: rule.path });
        continue;
      }
      for (const p of rule.peers) {
        const pods = peerSelector(p.peer, "podSelector");
        const namespaces = peerSelector(p.peer, "namespaceSelector");
        const block = rec(p.peer["ipBlock"]);
        if (pods === "absent" && namespaces === "absent" && block === undefined) {
          out.push({
            message: `${ruleLabel(rule)} ${field}[${p.index}] is an empty peer {}: it allows ${who}`,
            path: p.path,
          });
          continue;
        }
        const allPods = pods === "absent" || (pods !== undefined && isEverything(pods));
        if (namespaces !== "absent" && namespaces !== undefined && isEverything(namespaces) && allPods) {
          out.push({
            message: `${ruleLabel(rule)} ${field}[${p.index}] has namespaceSelector: {} and no podSelector restriction: it allows every pod of every namespace`,
            path: join(p.path, "namespaceSelector"),
          });
        }
        if (block !== undefined) {
          const text = str(block["cidr"]) ?? "";
          const cidr = parseCidr(text);
          if (cidr !== undefined && mayBeUniversal(cidr) && strings(block["except"]).length === 0) {
            out.push({
              message: `${ruleLabel(rule)} ${field}[${p.index}] has ipBlock ${text} with no except: it allows ${who}`,
              path: join(join(p.path, "ipBlock"), "cidr"),
            });
          }
        }
      }
    }
    return out;
  },
});
