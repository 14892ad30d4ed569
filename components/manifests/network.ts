/**
 * NetworkPolicy rules from the builders' peer/port arguments. Peers are never "everyone":
 * namespaces are selected by their immutable `kubernetes.io/metadata.name` label (tenants cannot
 * spoof it), an empty peer is an error, and an egress IP block that covers a cloud metadata
 * address gets it in `except`, using the same CIDR arithmetic and address list as the catalog's
 * network-metadata-egress control.
 */
import type { JsonValue } from "../../policypack/engine/types";
import {
  mayBeUniversal,
  mayContain,
  parseAddress,
  parseCidr,
  surelyContains,
  surelyWithin,
  type Address,
  type Cidr,
} from "../../policypack/controls/network/cidr";
import { networkMetadataEgress } from "../../policypack/controls/network/metadata-egress";
import { NAMESPACE_NAME_LABEL } from "./labels";
import type { EgressRule, IngressRule, NetworkPeer, NetworkPort } from "./types";
import {
  cidr,
  dns1123Label,
  fail,
  formatNetwork,
  integer,
  knownKeys,
  labelMap,
  port,
  portName,
  protocol,
} from "./validate";

type Json = { [key: string]: JsonValue };

/** The metadata endpoints egress must not reach: the catalog control's own default list. */
export const METADATA_ADDRESSES: readonly string[] = (() => {
  const list = networkMetadataEgress.config?.["metadataAddresses"]?.default;
  return Array.isArray(list) ? list.filter((v): v is string => typeof v === "string") : [];
})();

const METADATA: readonly { readonly text: string; readonly address: Address }[] = METADATA_ADDRESSES.map((text) => ({
  text,
  address: parseAddress(text) as Address,
})).filter((m) => m.address !== undefined);

export interface RuleContext {
  /** The namespace the policy lives in (peers without a namespace are its pods). */
  readonly namespace: string;
  /** Leave metadata addresses reachable (an explicit opt-out). */
  readonly allowCloudMetadata: boolean;
}

export interface RuleResult {
  readonly rules: Json[];
  /** Some egress block reaches a metadata address (only possible with allowCloudMetadata). */
  readonly reachesMetadata: boolean;
}

function hostCidr(m: { readonly text: string; readonly address: Address }): string {
  return `${m.text}/${m.address.family === 4 ? 32 : 128}`;
}

function ipBlock(
  peer: NetworkPeer,
  at: string,
  direction: "ingress" | "egress",
  ctx: RuleContext,
): { block: Json; reachesMetadata: boolean } {
  const block = cidr(peer.cidr, `${at}.cidr`);
  const excepts: Cidr[] = [];
  const exceptTexts: string[] = [];
  (peer.except ?? []).forEach((e, i) => {
    const c = cidr(e, `${at}.except[${i}]`);
    if (c.family !== block.family || c.prefix <= block.prefix || !surelyWithin(c, block))
      fail(`${at}.except[${i}]`, `${e} is not a strict sub-block of ${peer.cidr}`);
    excepts.push(c);
    exceptTexts.push(e);
  });
  if (direction === "ingress" && mayBeUniversal(block) && excepts.length === 0)
    fail(`${at}.cidr`, `${peer.cidr} admits every address: name the source blocks (or their namespaces and pods)`);
  let reachesMetadata = false;
  if (direction === "egress") {
    for (const m of METADATA) {
      if (!mayContain(block, m.address) || excepts.some((e) => surelyContains(e, m.address))) continue;
      const exact = block.prefix === (m.address.family === 4 ? 32 : 128);
      if (ctx.allowCloudMetadata) {
        reachesMetadata = true;
        continue;
      }
      if (exact)
        fail(
          `${at}.cidr`,
          `${peer.cidr} is the cloud metadata endpoint, which hands out the node's cloud credentials: use workload identity, or opt out with allowCloudMetadata`,
        );
      exceptTexts.push(hostCidr(m));
    }
  }
  // Only reachable with allowCloudMetadata: a whole address family with nothing excepted.
  if (mayBeUniversal(block) && exceptTexts.length === 0)
    fail(
      `${at}.cidr`,
      `${peer.cidr} with no except allows every destination (network-no-allow-all-peers): name narrower blocks`,
    );
  const out: Json = { cidr: `${formatNetwork(block)}/${block.prefix}` };
  if (exceptTexts.length > 0) out["except"] = exceptTexts.map((t) => canonical(t));
  return { block: out, reachesMetadata };
}

function canonical(text: string): string {
  const c = parseCidr(text) as Cidr;
  return `${formatNetwork(c)}/${c.prefix}`;
}

/** One peer → a NetworkPolicyPeer. */
export function networkPeer(
  value: NetworkPeer,
  at: string,
  direction: "ingress" | "egress",
  ctx: RuleContext,
): { peer: Json; reachesMetadata: boolean } {
  const peer = knownKeys(value, at, ["namespace", "podLabels", "cidr", "except"]) as NetworkPeer;
  if (peer.cidr !== undefined) {
    if (peer.namespace !== undefined || peer.podLabels !== undefined)
      fail(at, "sets cidr together with namespace/podLabels: a peer is either pods or an IP block");
    const { block, reachesMetadata } = ipBlock(peer, at, direction, ctx);
    return { peer: { ipBlock: block }, reachesMetadata };
  }
  if (peer.except !== undefined) fail(`${at}.except`, "needs cidr");
  if (peer.namespace === undefined && peer.podLabels === undefined)
    fail(at, "is empty, which Kubernetes reads as every peer: set namespace, podLabels or cidr");
  const out: Json = {};
  if (peer.namespace !== undefined) {
    const ns = dns1123Label(peer.namespace, `${at}.namespace`);
    out["namespaceSelector"] = { matchLabels: { [NAMESPACE_NAME_LABEL]: ns } };
  }
  if (peer.podLabels !== undefined) {
    out["podSelector"] = { matchLabels: { ...labelMap(peer.podLabels, `${at}.podLabels`, { nonEmpty: true }) } };
  }
  return { peer: out, reachesMetadata: false };
}

/** Ports → NetworkPolicyPorts, protocol always written out (the API's default, made visible). */
export function networkPorts(value: readonly NetworkPort[] | undefined, at: string): Json[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) fail(at, "expected a list of ports");
  if (value.length === 0)
    fail(at, "is empty, which Kubernetes reads as every port: leave ports out to mean that, or list them");
  return value.map((p, i) => {
    const where = `${at}[${i}]`;
    const v = knownKeys(p, where, ["port", "endPort", "protocol"]) as unknown as NetworkPort;
    const out: Json = { protocol: protocol(v.protocol ?? "TCP", `${where}.protocol`) };
    if (typeof v.port === "string") out["port"] = portName(v.port, `${where}.port`);
    else out["port"] = port(v.port, `${where}.port`);
    if (v.endPort !== undefined) {
      if (typeof v.port !== "number") fail(`${where}.endPort`, "needs a numeric port");
      out["endPort"] = integer(v.endPort, `${where}.endPort`, v.port, 65535, `a port at least port ${v.port}`);
    }
    return out;
  });
}

function rules(
  value: readonly (IngressRule | EgressRule)[] | undefined,
  at: string,
  direction: "ingress" | "egress",
  ctx: RuleContext,
): RuleResult {
  if (value === undefined) return { rules: [], reachesMetadata: false };
  if (!Array.isArray(value)) fail(at, "expected a list of rules");
  const peersField = direction === "ingress" ? "from" : "to";
  let reachesMetadata = false;
  const out = value.map((r, i) => {
    const where = `${at}[${i}]`;
    const rule = knownKeys(r, where, [peersField, "ports"]);
    const peers = rule[peersField];
    if (!Array.isArray(peers) || peers.length === 0)
      fail(`${where}.${peersField}`, `must list at least one peer: a rule without "${peersField}" allows everyone`);
    const converted = (peers as NetworkPeer[]).map((p, j) => {
      const result = networkPeer(p, `${where}.${peersField}[${j}]`, direction, ctx);
      reachesMetadata ||= result.reachesMetadata;
      return result.peer;
    });
    const json: Json = { [peersField]: converted };
    const ports = networkPorts(rule["ports"] as NetworkPort[] | undefined, `${where}.ports`);
    if (ports !== undefined) json["ports"] = ports;
    return json;
  });
  return { rules: out, reachesMetadata };
}

export function ingressRules(value: readonly IngressRule[] | undefined, at: string, ctx: RuleContext): RuleResult {
  return rules(value, at, "ingress", ctx);
}

export function egressRules(value: readonly EgressRule[] | undefined, at: string, ctx: RuleContext): RuleResult {
  return rules(value, at, "egress", ctx);
}

/** Where the cluster DNS runs. */
export interface DnsTarget {
  /**
   * Namespace of the DNS pods.
   * @default "kube-system"
   */
  readonly namespace?: string;
  /**
   * Labels of the DNS pods.
   * @default { "k8s-app": "kube-dns" }
   */
  readonly podLabels?: Readonly<Record<string, string>>;
}

export const DEFAULT_DNS: Required<DnsTarget> = { namespace: "kube-system", podLabels: { "k8s-app": "kube-dns" } };

/** Egress to the cluster DNS only, on 53/UDP and 53/TCP (TCP for large answers and DNSSEC). */
export function dnsEgressRule(value: DnsTarget | undefined, at: string): Json {
  const target = knownKeys(value ?? {}, at, ["namespace", "podLabels"]) as DnsTarget;
  const namespace = dns1123Label(target.namespace ?? DEFAULT_DNS.namespace, `${at}.namespace`);
  const podLabels = labelMap(target.podLabels ?? DEFAULT_DNS.podLabels, `${at}.podLabels`, { nonEmpty: true });
  return {
    to: [
      {
        namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } },
        podSelector: { matchLabels: { ...podLabels } },
      },
    ],
    ports: [
      { protocol: "UDP", port: 53 },
      { protocol: "TCP", port: 53 },
    ],
  };
}
