/**
 * The NetworkPolicy model the network controls share: which directions a policy governs (with the
 * API's defaulting of `policyTypes`), its rules and peers with their paths, and the selectors it
 * uses. Everything tolerates odd shapes: a field of the wrong type reads as unset.
 */
import { arr, dig, isRecord, join, rec, str, type Rec } from "../../engine/access";
import { isBuiltinKind } from "../../engine/kinds";
import type { KubeObject } from "../../engine/types";
import { EVERYTHING, isEverything, parseSelector, type Selector } from "./selectors";

export type Direction = "Ingress" | "Egress";
export const DIRECTIONS: readonly Direction[] = ["Ingress", "Egress"];

/** The rules field and the peers field of each direction. */
export const RULES_FIELD: Readonly<Record<Direction, "ingress" | "egress">> = { Ingress: "ingress", Egress: "egress" };
export const PEERS_FIELD: Readonly<Record<Direction, "from" | "to">> = { Ingress: "from", Egress: "to" };

export interface PeerView {
  readonly peer: Rec;
  readonly index: number;
  /** e.g. spec.ingress[0].from[1] */
  readonly path: string;
}

export interface RuleView {
  readonly direction: Direction;
  readonly rule: Rec;
  readonly index: number;
  /** e.g. spec.egress[2] */
  readonly path: string;
  /** Path of the rule's `from` / `to` field. */
  readonly peersPath: string;
  /** The peers listed; empty when `from`/`to` is missing or `[]` (both mean every peer). */
  readonly peers: readonly PeerView[];
  /** The rule's ports (entries that are mappings). */
  readonly ports: readonly Rec[];
}

/** A NetworkPolicy of the built-in API (not Calico's or Cilium's kind of the same name). */
export function isNetworkPolicy(object: KubeObject): boolean {
  return object.kind === "NetworkPolicy" && isBuiltinKind(object);
}

export function specOf(object: KubeObject): Rec {
  return rec(object["spec"]) ?? {};
}

/** `rule 0` / `egress rule 2` — how messages name a rule. */
export function ruleLabel(rule: RuleView): string {
  return `${RULES_FIELD[rule.direction]} rule ${rule.index}`;
}

/**
 * The directions the policy governs. An empty or missing `policyTypes` defaults (API defaulting,
 * SetDefaults_NetworkPolicy) to Ingress, plus Egress when the policy has egress rules.
 */
export function policyTypes(object: KubeObject): ReadonlySet<Direction> {
  const spec = specOf(object);
  const declared = arr(spec["policyTypes"]);
  if (declared.length > 0) {
    return new Set(DIRECTIONS.filter((d) => declared.includes(d)));
  }
  const types = new Set<Direction>(["Ingress"]);
  if (arr(spec["egress"]).length > 0) types.add("Egress");
  return types;
}

/** The rules of one direction (whether or not the policy governs it). */
export function rulesOf(object: KubeObject, direction: Direction): RuleView[] {
  const field = RULES_FIELD[direction];
  const peersField = PEERS_FIELD[direction];
  const out: RuleView[] = [];
  arr(specOf(object)[field]).forEach((rule, index) => {
    if (!isRecord(rule)) return;
    const path = join(join("spec", field), index);
    const peersPath = join(path, peersField);
    const peers: PeerView[] = [];
    arr(rule[peersField]).forEach((peer, i) => {
      if (isRecord(peer)) peers.push({ peer, index: i, path: join(peersPath, i) });
    });
    out.push({
      direction,
      rule,
      index,
      path,
      peersPath,
      peers,
      ports: arr(rule["ports"]).filter(isRecord),
    });
  });
  return out;
}

/** The rules that take effect: those of the directions the policy governs. */
export function activeRules(object: KubeObject, direction?: Direction): RuleView[] {
  const types = policyTypes(object);
  return DIRECTIONS.filter((d) => types.has(d) && (direction === undefined || d === direction)).flatMap((d) =>
    rulesOf(object, d),
  );
}

/**
 * `spec.podSelector`: required by the API and a plain struct, so missing or null decodes to `{}`
 * (every pod). Undefined when present but not a selector the API would accept.
 */
export function podSelectorOf(object: KubeObject): Selector | undefined {
  const value = specOf(object)["podSelector"];
  if (value === undefined || value === null) return EVERYTHING;
  return parseSelector(value);
}

/** A peer's selector field: "absent" when the peer does not set it, undefined when invalid. */
export function peerSelector(peer: Rec, field: "podSelector" | "namespaceSelector"): Selector | "absent" | undefined {
  const value = peer[field];
  if (value === undefined || value === null) return "absent";
  return parseSelector(value);
}

/** A port entry's `port` as a number, or its name; undefined when unset (every port). */
export function portOf(port: Rec): number | string | undefined {
  const p = port["port"];
  if (typeof p === "number") return p;
  return str(p);
}

/** The namespace an object is in when it sets one. */
export function namespaceOf(object: KubeObject): string | undefined {
  const ns = dig(object, "metadata", "namespace");
  return typeof ns === "string" && ns !== "" ? ns : undefined;
}

/**
 * Does the policy deny every pod of its namespace in this direction? `podSelector: {}`, the
 * direction in (defaulted) policyTypes, and no rules for it: an isolated pod with no rule that
 * allows anything. Either one policy with both policyTypes or one per direction will do.
 */
export function deniesAll(policy: KubeObject, direction: Direction): boolean {
  const selector = podSelectorOf(policy);
  return (
    selector !== undefined &&
    isEverything(selector) &&
    policyTypes(policy).has(direction) &&
    arr(specOf(policy)[RULES_FIELD[direction]]).length === 0
  );
}
