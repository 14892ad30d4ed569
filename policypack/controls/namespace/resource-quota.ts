import { arr, dig, isRecord } from "../../engine/access";
import { configStrings } from "../../engine/control";
import { isBuiltinKind } from "../../engine/kinds";
import type { Violation } from "../../engine/types";
import { stackControl } from "../define";
import { namespaceLabel, namespaceSubject, isUndeclaredSystemNamespace } from "./namespaces";

/** ResourceQuota's short names: `cpu` and `memory` are requests. */
const ALIASES: Readonly<Record<string, string>> = { cpu: "requests.cpu", memory: "requests.memory" };

/**
 * Each namespace that holds workloads has a ResourceQuota bounding compute: `hard` sets
 * requests.cpu, requests.memory, limits.cpu and limits.memory (configurable), across the
 * namespace's unscoped quotas. A quota with `scopes` or a `scopeSelector` only bounds the pods
 * it matches, so it does not count. A patch counts for the keys it sets.
 */
export const namespaceResourceQuota = stackControl({
  id: "namespace-resource-quota",
  title: "Every workload namespace has a ResourceQuota on CPU and memory",
  family: "namespace",
  level: "hardened",
  severity: "medium",
  references: {
    catalog: "NS-006",
    nsaCisa: "Network separation and hardening › Resource policies",
  },
  remediation:
    "Add a ResourceQuota to the namespace with spec.hard requests.cpu, requests.memory, limits.cpu and limits.memory (and object counts such as pods and services.loadbalancers).",
  kinds: ["Namespace"],
  config: {
    requiredResources: {
      type: "array",
      items: { type: "string" },
      description: "Keys that the namespace's unscoped ResourceQuotas must set in spec.hard.",
      default: ["requests.cpu", "requests.memory", "limits.cpu", "limits.memory"],
    },
  },
  checkStack(stack, ctx) {
    const required = configStrings(ctx.config, "requiredResources");
    const out: Violation[] = [];
    for (const namespace of stack.workloadNamespaces) {
      if (isUndeclaredSystemNamespace(stack, namespace)) continue; // the platform's guardrails
      const quotas = stack.inNamespace("ResourceQuota", namespace).filter(isBuiltinKind);
      const covered = new Set<string>();
      let unscoped = 0;
      for (const q of quotas) {
        if (arr(dig(q, "spec", "scopes")).length > 0 || isRecord(dig(q, "spec", "scopeSelector"))) continue;
        unscoped++;
        const hard = dig(q, "spec", "hard");
        if (!isRecord(hard)) continue;
        for (const [k, v] of Object.entries(hard)) {
          if (v === undefined || v === null) continue;
          covered.add(ALIASES[k] ?? k);
        }
      }
      const missing = required.filter((r) => !covered.has(ALIASES[r] ?? r));
      if (missing.length === 0) continue;
      out.push({
        message:
          unscoped === 0
            ? `${namespaceLabel(stack, namespace)} has no ResourceQuota${quotas.length > 0 ? " without scopes" : ""}: its pods can take any amount of CPU and memory`
            : `${namespaceLabel(stack, namespace)} has no ResourceQuota that sets ${missing.join(", ")} in spec.hard`,
        object: namespaceSubject(stack, namespace),
      });
    }
    return out;
  },
});
