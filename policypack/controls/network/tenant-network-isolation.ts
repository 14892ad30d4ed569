import { POD_KINDS } from "../../engine/pod";
import type { KubeObject, Violation } from "../../engine/types";
import {
  buildReachModel,
  describePorts,
  intersect,
  isEmpty,
  NAMESPACE_NAME_LABEL,
  NO_PORTS,
  reachability,
  subtract,
  TENANT_LABEL,
  union,
  type ConnectionReach,
  type DirectionReach,
  type PodEndpoint,
  type ReachModel,
  type RuleMatch,
} from "../../analysis/network";
import { stackControl } from "../define";
import { namespaceSubject } from "../namespace/namespaces";
import { requiresKey } from "./selectors";

/**
 * A grant names its peer explicitly when the peer selects pods and its namespaceSelector pins
 * the namespace by the immutable `kubernetes.io/metadata.name` label (a tenant cannot put that
 * label on its own namespace, unlike any other label: see network-namespace-selector-name).
 */
function explicit(m: RuleMatch): boolean {
  const peer = m.peer;
  return (
    peer !== undefined &&
    peer.kind === "pods" &&
    peer.namespaces !== "policy" &&
    requiresKey(peer.namespaces, NAMESPACE_NAME_LABEL)
  );
}

function why(m: RuleMatch): string {
  const peer = m.peer;
  if (peer === undefined)
    return `${m.rule.path} allows every peer (no ${m.rule.direction === "Ingress" ? "from" : "to"})`;
  if (peer.kind === "ipBlock")
    return `${peer.path} (ipBlock ${peer.cidr.text}) is a CIDR that ${m.certainty === "maybe" ? "may hold" : "holds"} pod addresses`;
  return `${peer.path} selects namespaces without naming them (no ${NAMESPACE_NAME_LABEL} In …)`;
}

interface Cause {
  readonly object: KubeObject;
  readonly path?: string;
  readonly what: string;
  readonly pairs: string[];
}

function tenantOf(model: ReachModel, pod: PodEndpoint): string | undefined {
  return model.namespaces.get(pod.namespace)?.labels[TENANT_LABEL];
}

/**
 * Between namespaces of different tenants (the `palisade.dev/tenant` label SecureNamespace sets),
 * every connection the NetworkPolicies allow must be granted, on each side that is isolated, by a
 * rule naming the other side's namespace explicitly. Reported: a cross-tenant path through an
 * allow-all rule, a namespaceSelector that does not name the namespace, an ipBlock that could
 * hold pod addresses, or a side no policy isolates. The analysis is `palisade reach`'s
 * (docs/reach.md); tenant namespaces without workloads are judged through a stand-in pod labelled
 * as the tenant's pods are. One finding per cause, naming example paths.
 */
export const networkTenantIsolation = stackControl({
  id: "tenant-network-isolation",
  title: "No cross-tenant traffic except through rules that name the peer namespace",
  family: "network",
  level: "hardened",
  severity: "high",
  references: {
    catalog: "NET-017",
    nsaCisa: "Network separation and hardening › Network policies",
  },
  remediation:
    "Grant cross-tenant traffic only with peers whose namespaceSelector names the namespace (kubernetes.io/metadata.name) and whose podSelector names the pods; replace allow-all rules, broad namespaceSelectors and ipBlocks that cover pod addresses, and isolate every tenant pod with a default-deny.",
  kinds: ["NetworkPolicy", "Namespace", ...POD_KINDS],
  checkStack(stack) {
    const tenantNamespaces = [...stack.namespaces.values()].filter(
      (n) => typeof n.metadata?.labels?.[TENANT_LABEL] === "string",
    );
    if (tenantNamespaces.length < 2) return [];
    const model = buildReachModel(stack, { standInPods: true, outside: false, clusterDns: false });
    const causes = new Map<string, Cause>();
    const note = (key: string, cause: Omit<Cause, "pairs">, pair: string): void => {
      const found = causes.get(key) ?? { ...cause, pairs: [] };
      if (!found.pairs.includes(pair)) found.pairs.push(pair);
      causes.set(key, found);
    };
    const side = (c: ConnectionReach, d: DirectionReach, own: PodEndpoint, pair: string): void => {
      const possible = union(c.sure, c.maybe);
      if (d.open === "unselected") {
        const subject = own.object ?? namespaceSubject(stack, own.namespace);
        note(
          `open\u0000${d.direction}\u0000${own.id}`,
          {
            object: subject,
            what: `${own.id} is not isolated for ${d.direction} (no NetworkPolicy selects it)`,
          },
          pair,
        );
        return;
      }
      const explicitPorts = d.matches.filter(explicit).reduce((acc, m) => union(acc, m.ports), NO_PORTS);
      for (const m of d.matches) {
        if (explicit(m) || isEmpty(intersect(m.ports, possible))) continue;
        // Ports an explicit rule also grants are consented to; report only what the broad rule adds.
        const added = subtract(intersect(m.ports, possible), explicitPorts);
        if (isEmpty(added)) continue;
        note(
          `rule\u0000${m.rule.policy.name}\u0000${m.peer?.path ?? m.rule.path}`,
          { object: m.rule.policy.object, path: m.peer?.path ?? m.rule.path, what: why(m) },
          `${pair} (${describePorts(added)})`,
        );
      }
    };
    for (const c of reachability(model)) {
      if (c.src.kind !== "pods" || c.dst.kind !== "pods" || c.src.hostNetwork || c.dst.hostNetwork) continue;
      const from = tenantOf(model, c.src);
      const to = tenantOf(model, c.dst);
      if (from === undefined || to === undefined || from === to) continue;
      const pair = `${c.src.id} (tenant ${from}) → ${c.dst.id} (tenant ${to})`;
      side(c, c.egress, c.src, pair);
      side(c, c.ingress, c.dst, pair);
    }
    const out: Violation[] = [];
    for (const cause of causes.values()) {
      const shown = cause.pairs.slice(0, 3).join("; ");
      const more = cause.pairs.length > 3 ? `; and ${cause.pairs.length - 3} more` : "";
      out.push({
        message: `cross-tenant traffic not granted by name: ${cause.what}, which opens ${shown}${more}`,
        ...(cause.path !== undefined ? { path: cause.path } : {}),
        object: cause.object,
      });
    }
    return out;
  },
});
