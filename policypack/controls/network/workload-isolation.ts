import { join } from "../../engine/access";
import { POD_KINDS } from "../../engine/pod";
import type { Violation } from "../../engine/types";
import { stackControl } from "../define";
import { declaredIn } from "../namespace/namespaces";
import { DIRECTIONS, isNetworkPolicy, podSelectorOf, policyTypes, type Direction } from "./policy";
import { describeLabels, labelsOf, selects, type Selector } from "./selectors";

interface Governing {
  readonly selector: Selector;
  readonly types: ReadonlySet<Direction>;
}

/**
 * Every workload's pods are isolated in both directions: some NetworkPolicy of their namespace
 * selects the pod template's labels and governs Ingress, and some (the same or another) governs
 * Egress. Full label-selector semantics; `policyTypes` defaulted as the API does. Pods with
 * hostNetwork are passed over: NetworkPolicy does not apply to them (pod-host-network reports
 * them). Patches are left out on both sides: a policy patch may not carry the patched policy's
 * selector, and a workload patch may not carry the template's labels. The join is by namespace
 * and memoized by label set, so it costs policies × distinct label sets per namespace.
 */
export const networkWorkloadIsolation = stackControl({
  id: "network-workload-isolation",
  title: "Every workload is selected by NetworkPolicies for Ingress and Egress",
  family: "network",
  level: "hardened",
  severity: "medium",
  references: {
    catalog: "NET-002",
    nsaCisa: "Network separation and hardening › Network policies",
    cis: "5.3.2",
  },
  remediation:
    "Add a NetworkPolicy whose podSelector matches the pod template's labels (a namespace default-deny with podSelector: {} does) and whose policyTypes include both Ingress and Egress.",
  kinds: POD_KINDS,
  checkStack(stack) {
    const byNamespace = new Map<string, Governing[]>();
    const governing = (namespace: string): Governing[] => {
      let list = byNamespace.get(namespace);
      if (list === undefined) {
        list = [];
        for (const p of declaredIn(stack, "NetworkPolicy", namespace)) {
          if (!isNetworkPolicy(p)) continue;
          const selector = podSelectorOf(p);
          if (selector !== undefined) list.push({ selector, types: policyTypes(p) });
        }
        byNamespace.set(namespace, list);
      }
      return list;
    };
    // Workloads with the same labels in a namespace (a Deployment and its Pods) share one answer.
    const memo = new Map<string, readonly Direction[]>();
    const out: Violation[] = [];
    for (const w of stack.workloads) {
      // A patch need not repeat the fields that decide this; its workload is judged where declared.
      if (stack.isPatch(w.object)) continue;
      if (w.pod.spec["hostNetwork"] === true) continue;
      const labels = labelsOf(w.pod.metadata);
      const key = `${w.namespace}\u0000${JSON.stringify(Object.entries(labels).sort())}`;
      let missing = memo.get(key);
      if (missing === undefined) {
        const selecting = governing(w.namespace).filter((g) => selects(g.selector, labels));
        missing = DIRECTIONS.filter((d) => !selecting.some((g) => g.types.has(d)));
        memo.set(key, missing);
      }
      if (missing.length === 0) continue;
      out.push({
        message: `pods labelled ${describeLabels(labels)} are not isolated for ${missing.join(" and ")}: no NetworkPolicy in namespace ${JSON.stringify(w.namespace)} selects them and governs ${missing.join(" and ")}`,
        path: join(w.pod.metadataPath, "labels"),
        object: w.object,
      });
    }
    return out;
  },
});
