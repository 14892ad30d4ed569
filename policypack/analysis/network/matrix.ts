/**
 * The whole relation: every (source, destination) pair the policies allow anything between.
 * Pairs of two outside endpoints are left out (policies say nothing about them), and so are
 * connections from the cluster DNS stand-in (what the DNS pods may open is not the question).
 *
 * Cost: for an ingress-isolated destination only the endpoints some ingress rule matches are
 * candidates (each peer's matches are computed once, pods looked up by namespace), so a set
 * with default-deny everywhere costs about the edges it has; an open destination is checked
 * against every endpoint.
 */
import { isClusterDns, type Endpoint } from "./endpoints";
import { connection, peerCertainty, type ConnectionReach } from "./decide";
import { selectingPolicies, selectsNamespace, type ReachModel } from "./model";
import type { CompiledPeer, CompiledPolicy } from "./policies";
import { isEmpty } from "./ports";

function peerCandidates(
  model: ReachModel,
  policy: CompiledPolicy,
  peer: CompiledPeer,
  memo: Map<CompiledPeer, readonly number[]>,
): readonly number[] {
  let found = memo.get(peer);
  if (found !== undefined) return found;
  const out: number[] = [];
  if (peer.kind === "pods") {
    const namespaces =
      peer.namespaces === "policy"
        ? [policy.namespace]
        : [...model.podsByNamespace.keys()].filter((ns) =>
            selectsNamespace(model, peer.namespaces as Exclude<typeof peer.namespaces, "policy">, ns),
          );
    for (const ns of namespaces)
      for (const pod of model.podsByNamespace.get(ns) ?? [])
        if (peerCertainty(model, policy, peer, pod) !== undefined) out.push(model.index.get(pod) as number);
  } else if (peer.kind === "ipBlock") {
    model.endpoints.forEach((e, i) => {
      if (peerCertainty(model, policy, peer, e) !== undefined) out.push(i);
    });
  }
  found = out;
  memo.set(peer, found);
  return found;
}

/** The sources worth checking against `dst`: undefined means every endpoint. */
function sourcesFor(
  model: ReachModel,
  dst: Endpoint,
  memo: Map<CompiledPeer, readonly number[]>,
): ReadonlySet<number> | undefined {
  if (dst.kind === "outside" || dst.hostNetwork) return undefined;
  const policies = selectingPolicies(model, dst, "Ingress");
  if (policies.length === 0) return undefined;
  const out = new Set<number>();
  for (const policy of policies)
    for (const rule of policy.rules.Ingress) {
      if (rule.peers === "all") return undefined;
      for (const peer of rule.peers) for (const i of peerCandidates(model, policy, peer, memo)) out.add(i);
    }
  return out;
}

/** Every pair with something allowed (sure or maybe), sources in endpoint order per destination. */
export function reachability(model: ReachModel): ConnectionReach[] {
  const memo = new Map<CompiledPeer, readonly number[]>();
  const out: ConnectionReach[] = [];
  const all = model.endpoints.map((_, i) => i);
  const bySource: ConnectionReach[][] = model.endpoints.map(() => []);
  for (const dst of model.endpoints) {
    const candidates = sourcesFor(model, dst, memo);
    const indices = candidates === undefined ? all : [...candidates].sort((a, b) => a - b);
    for (const i of indices) {
      const src = model.endpoints[i] as Endpoint;
      if (src.kind === "outside" && dst.kind === "outside") continue;
      if (src.kind === "pods" && src.synthetic && isClusterDns(src)) continue;
      const c = connection(model, src, dst);
      if (!isEmpty(c.sure) || !isEmpty(c.maybe)) (bySource[i] as ConnectionReach[]).push(c);
    }
  }
  for (const list of bySource) out.push(...list);
  return out;
}
