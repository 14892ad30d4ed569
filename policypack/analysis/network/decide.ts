/**
 * The allow decision, with the networking.k8s.io/v1 semantics:
 * - a pod that no policy selects for a direction is open in that direction; hostNetwork pods
 *   and the outside are never isolated;
 * - a selected pod allows what the union of the rules of every selecting policy allows;
 * - a peer's namespaceSelector and podSelector are ANDed; no namespaceSelector means the
 *   policy's namespace, no podSelector every pod there; selectors never match hostNetwork pods
 *   or the outside (their traffic carries node or outside addresses), ipBlocks match addresses;
 * - named ports resolve on the destination pod (its container port of that name and protocol);
 * - a connection is allowed only if the source's egress and the destination's ingress allow it.
 *
 * Answers are port sets split into `sure` and `maybe`: `maybe` ports are allowed only through an
 * ipBlock that could hold the address of a pod whose address is unknown.
 */
import { mayContain, surelyContains, type Address } from "../../controls/network/cidr";
import type { Direction } from "../../controls/network/policy";
import { selects } from "../../controls/network/selectors";
import { mayHoldAddressIn } from "./addresses";
import type { Endpoint, PodEndpoint } from "./endpoints";
import { namespaceLabels, selectingPolicies, type ReachModel } from "./model";
import type { CompiledPeer, CompiledPolicy, CompiledRule } from "./policies";
import {
  ALL_PORTS,
  hasPort,
  isEmpty,
  NO_PORTS,
  portsOf,
  subtract,
  union,
  intersect,
  type PortSet,
  type Protocol,
} from "./ports";

export type Certainty = "sure" | "maybe";

export interface RuleMatch {
  readonly rule: CompiledRule;
  /** The peer that matched; undefined when the rule has no peers (every peer). */
  readonly peer: CompiledPeer | undefined;
  readonly certainty: Certainty;
  /** What this rule allows toward the destination. */
  readonly ports: PortSet;
}

export type OpenReason = "outside" | "hostNetwork" | "unselected";

export interface DirectionReach {
  readonly direction: Direction;
  /** Why the endpoint is not isolated in this direction; undefined when it is. */
  readonly open: OpenReason | undefined;
  /** The policies that isolate it (select it and govern the direction). */
  readonly isolatedBy: readonly CompiledPolicy[];
  readonly matches: readonly RuleMatch[];
  readonly sure: PortSet;
  /** Ports allowed only through an ipBlock that might hold the pod's address (excludes `sure`). */
  readonly maybe: PortSet;
}

export interface ConnectionReach {
  readonly src: Endpoint;
  readonly dst: Endpoint;
  readonly egress: DirectionReach;
  readonly ingress: DirectionReach;
  readonly sure: PortSet;
  readonly maybe: PortSet;
}

function addressMatches(peer: Extract<CompiledPeer, { kind: "ipBlock" }>, a: Address): boolean {
  // "May reach": the cidr under either reading of IPv4-mapped IPv6; an except removes only what
  // it surely holds (controls/network/cidr.ts).
  return mayContain(peer.cidr, a) && !peer.except.some((e) => surelyContains(e, a));
}

const unknownAddressMemo = new WeakMap<CompiledPeer, { pod: Certainty | undefined; node: Certainty | undefined }>();
const fixedPortsMemo = new WeakMap<CompiledRule, PortSet>();

/** Does the peer of a policy in `namespace` match the endpoint? */
export function peerCertainty(
  model: ReachModel,
  policy: CompiledPolicy,
  peer: CompiledPeer,
  endpoint: Endpoint,
): Certainty | undefined {
  switch (peer.kind) {
    case "invalid":
      return undefined;
    case "pods": {
      if (endpoint.kind !== "pods" || endpoint.hostNetwork) return undefined;
      const inNamespace =
        peer.namespaces === "policy"
          ? endpoint.namespace === policy.namespace
          : selects(peer.namespaces, namespaceLabels(model, endpoint.namespace));
      if (!inNamespace) return undefined;
      return peer.pods === "all" || selects(peer.pods, endpoint.labels) ? "sure" : undefined;
    }
    case "ipBlock": {
      if (endpoint.kind === "outside") return addressMatches(peer, endpoint.address) ? "sure" : undefined;
      if (endpoint.addresses.length > 0)
        return endpoint.addresses.some((a) => addressMatches(peer, a)) ? "sure" : undefined;
      // The same for every pod of unknown address: computed once per peer (BigInt arithmetic).
      let memo = unknownAddressMemo.get(peer);
      if (memo === undefined) {
        memo = {
          pod: mayHoldAddressIn(peer.cidr, peer.except, model.podCidrs) ? "maybe" : undefined,
          node: mayHoldAddressIn(peer.cidr, peer.except, model.nodeCidrs) ? "maybe" : undefined,
        };
        unknownAddressMemo.set(peer, memo);
      }
      return endpoint.hostNetwork ? memo.node : memo.pod;
    }
  }
}

/** The container ports of the destination that a named port stands for. */
function namedPorts(dst: Endpoint, protocol: Protocol, name: string): number[] {
  if (dst.kind !== "pods" || dst.hostNetwork) return [];
  return dst.ports.filter((p) => p.name === name && p.protocol === protocol).map((p) => p.port);
}

/** What a rule's `ports` allow toward `dst`. */
export function rulePorts(rule: CompiledRule, dst: Endpoint): PortSet {
  if (rule.ports === "all") return ALL_PORTS;
  // Without named ports the answer does not depend on the destination.
  const fixed = !rule.ports.some((m) => m.kind === "named");
  if (fixed) {
    const known = fixedPortsMemo.get(rule);
    if (known !== undefined) return known;
  }
  let out = NO_PORTS;
  for (const m of rule.ports) {
    if (m.kind === "range") out = union(out, portsOf(m.protocol, [[m.from, m.to]]));
    else if (m.kind === "named")
      out = union(
        out,
        portsOf(
          m.protocol,
          namedPorts(dst, m.protocol, m.name).map((p) => [p, p]),
        ),
      );
  }
  if (fixed) fixedPortsMemo.set(rule, out);
  return out;
}

function ruleMatches(model: ReachModel, rule: CompiledRule, peerEndpoint: Endpoint, dst: Endpoint): RuleMatch[] {
  const ports = rulePorts(rule, dst);
  if (isEmpty(ports)) return [];
  if (rule.peers === "all") return [{ rule, peer: undefined, certainty: "sure", ports }];
  const out: RuleMatch[] = [];
  for (const peer of rule.peers) {
    const certainty = peerCertainty(model, rule.policy, peer, peerEndpoint);
    if (certainty !== undefined) out.push({ rule, peer, certainty, ports });
  }
  return out;
}

/** The answers for an open direction are constants: an unisolated set has endpoints² of them. */
const OPEN_ANSWERS = new Map<string, DirectionReach>();
function OPEN(direction: Direction, open: OpenReason): DirectionReach {
  const key = `${direction}/${open}`;
  let answer = OPEN_ANSWERS.get(key);
  if (answer === undefined) {
    answer = { direction, open, isolatedBy: [], matches: [], sure: ALL_PORTS, maybe: NO_PORTS };
    OPEN_ANSWERS.set(key, answer);
  }
  return answer;
}

/**
 * One direction of a connection: `target` is the endpoint whose policies decide (the source for
 * Egress, the destination for Ingress), `peer` the other end, `dst` the destination.
 */
export function directionReach(
  model: ReachModel,
  direction: Direction,
  target: Endpoint,
  peer: Endpoint,
  dst: Endpoint,
): DirectionReach {
  if (target.kind === "outside") return OPEN(direction, "outside");
  if (target.hostNetwork) return OPEN(direction, "hostNetwork");
  const isolatedBy = selectingPolicies(model, target, direction);
  if (isolatedBy.length === 0) return OPEN(direction, "unselected");
  const matches: RuleMatch[] = [];
  for (const policy of isolatedBy)
    for (const rule of policy.rules[direction]) matches.push(...ruleMatches(model, rule, peer, dst));
  let sure = NO_PORTS;
  let possible = NO_PORTS;
  for (const m of matches) {
    possible = union(possible, m.ports);
    if (m.certainty === "sure") sure = union(sure, m.ports);
  }
  return { direction, open: undefined, isolatedBy, matches, sure, maybe: subtract(possible, sure) };
}

/** Everything the policies allow from `src` to `dst`, with the rules on each side. */
export function connection(model: ReachModel, src: Endpoint, dst: Endpoint): ConnectionReach {
  const egress = directionReach(model, "Egress", src, dst, dst);
  const ingress = directionReach(model, "Ingress", dst, src, dst);
  const sure = intersect(egress.sure, ingress.sure);
  const possible = intersect(union(egress.sure, egress.maybe), union(ingress.sure, ingress.maybe));
  return { src, dst, egress, ingress, sure, maybe: subtract(possible, sure) };
}

export type Verdict = "allowed" | "denied" | "maybe";

export interface Decision {
  readonly verdict: Verdict;
  readonly egress: Verdict;
  readonly ingress: Verdict;
  readonly connection: ConnectionReach;
  /** The rules that allow this port, per direction (empty for an open direction). */
  readonly egressRules: readonly RuleMatch[];
  readonly ingressRules: readonly RuleMatch[];
}

function verdictOf(sure: PortSet, maybe: PortSet, protocol: Protocol, port: number): Verdict {
  if (hasPort(sure, protocol, port)) return "allowed";
  return hasPort(maybe, protocol, port) ? "maybe" : "denied";
}

/** The decision for one (source, destination, port, protocol). */
export function decide(model: ReachModel, src: Endpoint, dst: Endpoint, port: number, protocol: Protocol): Decision {
  const c = connection(model, src, dst);
  const covering = (d: DirectionReach): RuleMatch[] => d.matches.filter((m) => hasPort(m.ports, protocol, port));
  return {
    verdict: verdictOf(c.sure, c.maybe, protocol, port),
    egress: verdictOf(c.egress.sure, c.egress.maybe, protocol, port),
    ingress: verdictOf(c.ingress.sure, c.ingress.maybe, protocol, port),
    connection: c,
    egressRules: covering(c.egress),
    ingressRules: covering(c.ingress),
  };
}

export function isPod(e: Endpoint): e is PodEndpoint {
  return e.kind === "pods";
}
