import { join, rec, str, strings } from "../../engine/access";
import { configStrings } from "../../engine/control";
import type { Violation } from "../../engine/types";
import { resourceControl } from "../define";
import { mayContain, parseAddress, parseCidr, surelyContains, type Address, type Cidr } from "./cidr";
import { activeRules, isNetworkPolicy } from "./policy";

function hostCidr(text: string, a: Address): string {
  return `${text}/${a.family === 4 ? 32 : 128}`;
}

/**
 * Egress that reaches the cloud metadata endpoint hands out the node's cloud credentials. Any
 * egress ipBlock whose CIDR covers a metadata address (169.254.169.254, AWS's IPv6
 * fd00:ec2::254) must list it in `except`; CIDRs are compared numerically, so `169.254.0.0/16`
 * and `::ffff:0:0/96` count too. A rule with no `to` reaches every address and is reported as
 * well; pod and namespace selectors never reach the endpoint.
 */
export const networkMetadataEgress = resourceControl({
  id: "network-metadata-egress",
  title: "Egress ipBlocks exclude the cloud metadata endpoint",
  family: "network",
  level: "hardened",
  severity: "high",
  references: {
    catalog: "NET-004",
    nsaCisa: "Network separation and hardening › Protecting sensitive cloud infrastructure",
  },
  remediation:
    'Add "169.254.169.254/32" (and "fd00:ec2::254/128" for IPv6) to the except list of every egress ipBlock that covers it, e.g. 0.0.0.0/0.',
  kinds: ["NetworkPolicy"],
  config: {
    metadataAddresses: {
      type: "array",
      items: { type: "string" },
      description: "Addresses of cloud metadata endpoints that egress must not reach.",
      default: ["169.254.169.254", "fd00:ec2::254"],
    },
  },
  check(object, ctx) {
    if (!isNetworkPolicy(object)) return [];
    const targets = configStrings(ctx.config, "metadataAddresses")
      .map((text) => ({ text, address: parseAddress(text) }))
      .filter((t): t is { text: string; address: Address } => t.address !== undefined);
    const out: Violation[] = [];
    for (const rule of activeRules(object, "Egress")) {
      if (rule.peers.length === 0) {
        out.push({
          message: `egress rule ${rule.index} has no "to" peers: it allows every destination, including the cloud metadata endpoint ${targets.map((t) => t.text).join(", ")}`,
          path: rule.path,
        });
        continue;
      }
      for (const p of rule.peers) {
        const block = rec(p.peer["ipBlock"]);
        if (block === undefined) continue;
        const text = str(block["cidr"]) ?? "";
        const cidrPath = join(join(p.path, "ipBlock"), "cidr");
        const cidr = parseCidr(text);
        if (cidr === undefined) {
          out.push({
            message: `egress rule ${rule.index} peer ${p.index}: ipBlock.cidr ${JSON.stringify(text)} is not a valid CIDR, so it cannot be shown to exclude the cloud metadata endpoint`,
            path: cidrPath,
          });
          continue;
        }
        const excepts = strings(block["except"])
          .map(parseCidr)
          .filter((c): c is Cidr => c !== undefined);
        const reached = targets.filter(
          (t) => mayContain(cidr, t.address) && !excepts.some((e) => surelyContains(e, t.address)),
        );
        if (reached.length === 0) continue;
        out.push({
          message: `egress rule ${rule.index} peer ${p.index}: ipBlock ${text} reaches the cloud metadata endpoint ${reached.map((t) => t.text).join(", ")}; add ${reached.map((t) => JSON.stringify(hostCidr(t.text, t.address))).join(", ")} to ipBlock.except`,
          path: cidrPath,
        });
      }
    }
    return out;
  },
});
