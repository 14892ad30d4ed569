import { num, rec, str, type Rec } from "../../engine/access";
import { configStrings } from "../../engine/control";
import type { Violation } from "../../engine/types";
import { resourceControl } from "../define";
import { parseCidr, surelyWithin, type Cidr } from "./cidr";
import { NETWORK_POLICY_VARIABLES } from "./empty-pod-selector";
import { celCidr, celParamList, celSurelyWithin } from "./metadata-egress";
import { activeRules, isNetworkPolicy, namespaceOf, peerSelector, portOf, type RuleView } from "./policy";
import { requiresLabel } from "./selectors";

/** kube-dns/CoreDNS's named container ports, besides the number. */
const DNS_PORT_NAMES = ["dns", "dns-tcp"];
const NAMESPACE_NAME = "kubernetes.io/metadata.name";

function allowsDns(rule: RuleView): boolean {
  return rule.ports.some((p) => {
    const port = portOf(p);
    if (port === 53 || (typeof port === "string" && DNS_PORT_NAMES.includes(port))) return true;
    // A range (port…endPort) that spans 53 opens DNS just the same.
    const end = num(p["endPort"]);
    return typeof port === "number" && end !== undefined && port <= 53 && 53 <= end;
  });
}

interface DnsTarget {
  readonly namespaces: readonly string[];
  /** Pod label key → allowed values. */
  readonly labels: ReadonlyMap<string, readonly string[]>;
  readonly cidrs: readonly Cidr[];
}

function isDnsPeer(peer: Rec, policyNamespace: string | undefined, target: DnsTarget): boolean {
  const block = rec(peer["ipBlock"]);
  if (block !== undefined) {
    const cidr = parseCidr(str(block["cidr"]) ?? "");
    return cidr !== undefined && target.cidrs.some((c) => surelyWithin(cidr, c));
  }
  const pods = peerSelector(peer, "podSelector");
  if (pods === undefined || pods === "absent") return false;
  if (![...target.labels].some(([key, values]) => requiresLabel(pods, key, values))) return false;
  const namespaces = peerSelector(peer, "namespaceSelector");
  if (namespaces === "absent") return policyNamespace !== undefined && target.namespaces.includes(policyNamespace);
  return namespaces !== undefined && requiresLabel(namespaces, NAMESPACE_NAME, target.namespaces);
}

/** CEL: the rule `r` opens DNS (allowsDns). */
const CEL_ALLOWS_DNS =
  "has(r.ports) && r.ports.exists(pt, has(pt.port) && (type(pt.port) == int ? (pt.port == 53 || (has(pt.endPort) && pt.port <= 53 && 53 <= pt.endPort)) : pt.port in " +
  `${JSON.stringify(DNS_PORT_NAMES)}))`;

/** CEL: the selector `s` requires one of the configured DNS pod labels (requiresLabel over the "key=value" pairs). */
const celRequiresDnsLabel = (s: string): string => {
  const labels = celParamList("dnsPodLabels");
  const pair = (key: string, value: string): string =>
    `${key} != '' && !${key}.contains('=') && (${key} + '=' + ${value}) in ${labels}`;
  return (
    `((has(${s}.matchLabels) && ${s}.matchLabels.exists(k, ${pair("k", `${s}.matchLabels[k]`)})) || ` +
    `(has(${s}.matchExpressions) && ${s}.matchExpressions.exists(e, e.operator == 'In' && has(e.values) && size(e.values) > 0 && e.values.all(v, ${pair("e.key", "v")}))))`
  );
};

/** CEL: the selector `s` requires kubernetes.io/metadata.name to be one of the DNS namespaces. */
const celRequiresDnsNamespace = (s: string): string => {
  const namespaces = celParamList("dnsNamespaces");
  const key = JSON.stringify(NAMESPACE_NAME);
  return (
    `((has(${s}.matchLabels) && ${key} in ${s}.matchLabels && ${s}.matchLabels[${key}] in ${namespaces}) || ` +
    `(has(${s}.matchExpressions) && ${s}.matchExpressions.exists(e, e.key == ${key} && e.operator == 'In' && has(e.values) && size(e.values) > 0 && e.values.all(v, v in ${namespaces}))))`
  );
};

/** CEL: the peer `p` is the cluster DNS (isDnsPeer). */
const CEL_IS_DNS_PEER =
  `(has(p.ipBlock) ? [${celCidr("has(p.ipBlock.cidr) ? p.ipBlock.cidr : ''")}].exists(c, c.b != '' && variables.dnsCidrs.exists(d, ${celSurelyWithin("c", "d")})) : ` +
  `has(p.podSelector) && ${celRequiresDnsLabel("p.podSelector")} && (has(p.namespaceSelector) ? ${celRequiresDnsNamespace("p.namespaceSelector")} : ` +
  `has(object.metadata.namespace) && object.metadata.namespace != '' && object.metadata.namespace in ${celParamList("dnsNamespaces")}))`;

/**
 * An egress rule that opens DNS (port 53, or kube-dns's named ports `dns`/`dns-tcp`) opens it
 * only to the cluster DNS: pods labelled `k8s-app=kube-dns` in a namespace selected by its
 * immutable `kubernetes.io/metadata.name` label (kube-system), or configured resolver CIDRs
 * such as NodeLocal DNSCache's. DNS open to everything is an exfiltration channel. Rules that
 * open every port (no `ports`) are network-no-allow-all-peers' concern, not this control's.
 */
export const networkDnsEgress = resourceControl({
  id: "network-dns-egress",
  title: "DNS egress only to the cluster DNS",
  family: "network",
  level: "hardened",
  severity: "medium",
  references: {
    catalog: "NET-003",
    nsaCisa: "Network separation and hardening › Network policies",
  },
  remediation:
    "Allow port 53 (UDP and TCP) only to namespaceSelector {matchLabels: {kubernetes.io/metadata.name: kube-system}} with podSelector {matchLabels: {k8s-app: kube-dns}}.",
  kinds: ["NetworkPolicy"],
  cel: {
    variables: [
      ...NETWORK_POLICY_VARIABLES,
      {
        name: "dnsCidrs",
        expression: `${celParamList("dnsCIDRs")}.filter(x, type(x) == string).map(x, ${celCidr("x")}).filter(c, c.b != '')`,
      },
    ],
    validations: [
      {
        expression: `variables.egressRules.all(r, !(${CEL_ALLOWS_DNS}) || (has(r.to) && size(r.to) > 0 && r.to.all(p, ${CEL_IS_DNS_PEER})))`,
        message: "egress rules that open DNS (port 53) must reach only the cluster DNS",
      },
    ],
  },
  config: {
    dnsNamespaces: {
      type: "array",
      items: { type: "string" },
      description: "Namespaces where the cluster DNS runs.",
      default: ["kube-system"],
    },
    dnsPodLabels: {
      type: "array",
      items: { type: "string" },
      description: 'Labels ("key=value") that identify the cluster DNS pods; a peer must require one of them.',
      default: ["k8s-app=kube-dns"],
    },
    dnsCIDRs: {
      type: "array",
      items: { type: "string" },
      description: 'ipBlock CIDRs of node-local resolvers allowed for DNS, e.g. "169.254.20.10/32".',
      default: [],
    },
  },
  check(object, ctx) {
    if (!isNetworkPolicy(object)) return [];
    const labels = new Map<string, string[]>();
    for (const pair of configStrings(ctx.config, "dnsPodLabels")) {
      const eq = pair.indexOf("=");
      if (eq <= 0) continue;
      const key = pair.slice(0, eq);
      labels.set(key, [...(labels.get(key) ?? []), pair.slice(eq + 1)]);
    }
    const target: DnsTarget = {
      namespaces: configStrings(ctx.config, "dnsNamespaces"),
      labels,
      cidrs: configStrings(ctx.config, "dnsCIDRs")
        .map(parseCidr)
        .filter((c): c is Cidr => c !== undefined),
    };
    const namespace = namespaceOf(object);
    const out: Violation[] = [];
    for (const rule of activeRules(object, "Egress")) {
      if (!allowsDns(rule)) continue;
      if (rule.peers.length === 0) {
        out.push({
          message: `egress rule ${rule.index} allows DNS (port 53) to every destination: it has no "to" peers`,
          path: rule.path,
        });
        continue;
      }
      for (const p of rule.peers) {
        if (isDnsPeer(p.peer, namespace, target)) continue;
        out.push({
          message: `egress rule ${rule.index} allows DNS (port 53) to peer ${p.index}, which is not the cluster DNS (pods ${configStrings(ctx.config, "dnsPodLabels").join(" or ")} in namespace ${target.namespaces.join(" or ")})`,
          path: p.path,
        });
      }
    }
    return out;
  },
});
