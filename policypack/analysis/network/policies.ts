/**
 * NetworkPolicies compiled once for the reach analysis: the selector of the pods each governs,
 * the directions (`policyTypes` defaulted as the API server does), and each rule's peers and
 * ports in a form that is cheap to match. The shared reading of the object (paths, defaulting,
 * selectors) is controls/network/policy.ts and selectors.ts; nothing here re-reads the raw spec
 * differently.
 *
 * Input the API server would reject is compiled to something that allows nothing (an invalid
 * selector selects nothing, a peer with both ipBlock and a selector matches nothing, a port
 * entry with endPort on a named port matches nothing), and each case is listed in `problems`.
 */
import { arr, num, rec, str, type Rec } from "../../engine/access";
import type { KubeObject } from "../../engine/types";
import { parseCidr, type Cidr } from "../../controls/network/cidr";
import {
  activeRules,
  isNetworkPolicy,
  peerSelector,
  podSelectorOf,
  policyTypes,
  type Direction,
  type RuleView,
} from "../../controls/network/policy";
import type { Selector } from "../../controls/network/selectors";
import { MAX_PORT, MIN_PORT, isProtocol, type Protocol } from "./ports";

export type CompiledPeer =
  | {
      readonly kind: "pods";
      readonly index: number;
      readonly path: string;
      /** "policy" = the policy's own namespace (no namespaceSelector). */
      readonly namespaces: Selector | "policy";
      /** "all" = every pod of those namespaces (no podSelector). */
      readonly pods: Selector | "all";
    }
  | {
      readonly kind: "ipBlock";
      readonly index: number;
      readonly path: string;
      readonly cidr: Cidr;
      readonly except: readonly Cidr[];
    }
  | { readonly kind: "invalid"; readonly index: number; readonly path: string };

export type PortMatch =
  | { readonly kind: "range"; readonly protocol: Protocol; readonly from: number; readonly to: number }
  | { readonly kind: "named"; readonly protocol: Protocol; readonly name: string }
  | { readonly kind: "invalid" };

export interface CompiledRule {
  readonly policy: CompiledPolicy;
  readonly direction: Direction;
  readonly index: number;
  /** e.g. spec.ingress[0] */
  readonly path: string;
  /** "all" when `from`/`to` is missing or empty: every peer, inside the cluster or out. */
  readonly peers: readonly CompiledPeer[] | "all";
  /** "all" when `ports` is missing or empty: every port of every protocol. */
  readonly ports: readonly PortMatch[] | "all";
}

export interface CompiledPolicy {
  readonly object: KubeObject;
  readonly name: string;
  readonly namespace: string;
  /** undefined when invalid: the policy then selects no pod. */
  readonly selector: Selector | undefined;
  readonly types: ReadonlySet<Direction>;
  readonly rules: Readonly<Record<Direction, readonly CompiledRule[]>>;
}

export interface PolicyProblem {
  readonly policy: string;
  readonly object: KubeObject;
  readonly path: string;
  readonly message: string;
}

function compilePeer(peer: Rec, index: number, path: string, problems: string[]): CompiledPeer {
  const block = rec(peer["ipBlock"]);
  const namespaces = peerSelector(peer, "namespaceSelector");
  const pods = peerSelector(peer, "podSelector");
  if (block !== undefined) {
    if (namespaces !== "absent" || pods !== "absent") {
      problems.push(`${path}: ipBlock cannot be combined with a selector`);
      return { kind: "invalid", index, path };
    }
    const cidrText = str(block["cidr"]) ?? "";
    const cidr = parseCidr(cidrText);
    if (cidr === undefined) {
      problems.push(`${path}.ipBlock.cidr: ${JSON.stringify(block["cidr"])} is not a CIDR`);
      return { kind: "invalid", index, path };
    }
    const except: Cidr[] = [];
    for (const e of arr(block["except"])) {
      const c = typeof e === "string" ? parseCidr(e) : undefined;
      if (c === undefined) {
        problems.push(`${path}.ipBlock.except: ${JSON.stringify(e)} is not a CIDR`);
        return { kind: "invalid", index, path };
      }
      except.push(c);
    }
    return { kind: "ipBlock", index, path, cidr, except };
  }
  if (namespaces === "absent" && pods === "absent") {
    problems.push(`${path}: a peer needs podSelector, namespaceSelector or ipBlock`);
    return { kind: "invalid", index, path };
  }
  if (namespaces === undefined || pods === undefined) {
    problems.push(`${path}: invalid ${namespaces === undefined ? "namespaceSelector" : "podSelector"}`);
    return { kind: "invalid", index, path };
  }
  return {
    kind: "pods",
    index,
    path,
    namespaces: namespaces === "absent" ? "policy" : namespaces,
    pods: pods === "absent" ? "all" : pods,
  };
}

function compilePort(port: Rec, path: string, problems: string[]): PortMatch {
  const protocolValue = port["protocol"] ?? "TCP";
  if (!isProtocol(protocolValue)) {
    problems.push(`${path}.protocol: ${JSON.stringify(protocolValue)} is not TCP, UDP or SCTP`);
    return { kind: "invalid" };
  }
  const protocol = protocolValue;
  const value = port["port"];
  const end = port["endPort"];
  if (value === undefined || value === null) {
    if (end !== undefined && end !== null) {
      problems.push(`${path}.endPort: set without port`);
      return { kind: "invalid" };
    }
    return { kind: "range", protocol, from: MIN_PORT, to: MAX_PORT };
  }
  if (typeof value === "string") {
    if (end !== undefined && end !== null) {
      problems.push(`${path}.endPort: not allowed with a named port`);
      return { kind: "invalid" };
    }
    return { kind: "named", protocol, name: value };
  }
  const from = num(value);
  if (from === undefined || !Number.isInteger(from) || from < MIN_PORT || from > MAX_PORT) {
    problems.push(`${path}.port: ${JSON.stringify(value)} is not a port number`);
    return { kind: "invalid" };
  }
  if (end === undefined || end === null) return { kind: "range", protocol, from, to: from };
  const to = num(end);
  if (to === undefined || !Number.isInteger(to) || to < from || to > MAX_PORT) {
    problems.push(`${path}.endPort: ${JSON.stringify(end)} must be a port number ≥ port`);
    return { kind: "invalid" };
  }
  return { kind: "range", protocol, from, to };
}

function compileRule(policy: CompiledPolicy, view: RuleView, problems: string[]): CompiledRule {
  // The shared rule view skips entries that are not mappings; here such an entry makes the rule
  // allow nothing instead of reading as "every peer" or "every port".
  const rawPeers = arr(view.rule[view.direction === "Ingress" ? "from" : "to"]);
  const rawPorts = arr(view.rule["ports"]);
  const broken: string[] = [];
  if (rawPeers.length !== view.peers.length) broken.push(`${view.peersPath}: every entry must be a mapping`);
  if (rawPorts.length !== view.ports.length) broken.push(`${view.path}.ports: every entry must be a mapping`);
  if (broken.length > 0) {
    problems.push(...broken);
    return { policy, direction: view.direction, index: view.index, path: view.path, peers: [], ports: [] };
  }
  const peers = view.peers.length === 0 ? "all" : view.peers.map((p) => compilePeer(p.peer, p.index, p.path, problems));
  const ports =
    view.ports.length === 0 ? "all" : view.ports.map((p, i) => compilePort(p, `${view.path}.ports[${i}]`, problems));
  return { policy, direction: view.direction, index: view.index, path: view.path, peers, ports };
}

/**
 * Compiles the NetworkPolicies (built-in kind only) among `objects`. `namespaceOf` gives the
 * namespace of an object that sets none.
 */
export function compilePolicies(
  objects: readonly KubeObject[],
  namespaceOf: (object: KubeObject) => string,
): { policies: CompiledPolicy[]; problems: PolicyProblem[] } {
  const policies: CompiledPolicy[] = [];
  const problems: PolicyProblem[] = [];
  for (const object of objects) {
    if (!isNetworkPolicy(object)) continue;
    const namespace = namespaceOf(object);
    const name = `${namespace}/${str(object.metadata?.name) ?? "(unnamed)"}`;
    const messages: string[] = [];
    const selector = podSelectorOf(object);
    if (selector === undefined) messages.push("spec.podSelector: not a valid label selector");
    const rules: Record<Direction, CompiledRule[]> = { Ingress: [], Egress: [] };
    const policy: CompiledPolicy = { object, name, namespace, selector, types: policyTypes(object), rules };
    for (const view of activeRules(object)) rules[view.direction].push(compileRule(policy, view, messages));
    for (const m of messages) {
      const colon = m.indexOf(": ");
      problems.push({ policy: name, object, path: m.slice(0, colon), message: m.slice(colon + 2) });
    }
    policies.push(policy);
  }
  return { policies, problems };
}
