import { arr, dig, isRecord } from "../../engine/access";
import { configBoolean, configStrings } from "../../engine/control";
import { isBuiltinKind } from "../../engine/kinds";
import type { Violation } from "../../engine/types";
import { stackControl } from "../define";
import { namespaceLabel, namespaceSubject, isUndeclaredSystemNamespace } from "./namespaces";

/**
 * Each namespace that holds workloads has a LimitRange with a `type: Container` item that sets
 * `default` (limits) and `defaultRequest` (requests) for CPU and memory, so a container that
 * forgets its resources still gets bounded ones (and the ResourceQuota can admit it). Items of
 * all the namespace's LimitRanges are pooled; `max` is required only when configured.
 */
export const namespaceLimitRange = stackControl({
  id: "namespace-limit-range",
  title: "Every workload namespace has a LimitRange with container defaults",
  family: "namespace",
  level: "hardened",
  severity: "low",
  references: {
    catalog: "NS-007",
    nsaCisa: "Network separation and hardening › Resource policies",
  },
  remediation:
    "Add a LimitRange to the namespace with a limits item of type Container that sets default and defaultRequest for cpu and memory (and max).",
  kinds: ["Namespace"],
  config: {
    resources: {
      type: "array",
      items: { type: "string" },
      description: "Resources the Container item's default and defaultRequest (and max, when required) must set.",
      default: ["cpu", "memory"],
    },
    requireMax: {
      type: "boolean",
      description: "Also require max for each resource.",
      default: false,
    },
  },
  checkStack(stack, ctx) {
    const resources = configStrings(ctx.config, "resources");
    const fields =
      configBoolean(ctx.config, "requireMax") === true
        ? ["default", "defaultRequest", "max"]
        : ["default", "defaultRequest"];
    const out: Violation[] = [];
    for (const namespace of stack.workloadNamespaces) {
      if (isUndeclaredSystemNamespace(stack, namespace)) continue; // the platform's guardrails
      const set = new Map<string, Set<string>>(fields.map((f) => [f, new Set<string>()]));
      let containerItems = 0;
      for (const range of stack.inNamespace("LimitRange", namespace)) {
        if (!isBuiltinKind(range)) continue;
        for (const item of arr(dig(range, "spec", "limits"))) {
          if (!isRecord(item) || item["type"] !== "Container") continue;
          containerItems++;
          for (const f of fields) {
            const values = item[f];
            if (isRecord(values))
              for (const [k, v] of Object.entries(values)) if (v !== null && v !== undefined) set.get(f)?.add(k);
          }
        }
      }
      const missing = fields.flatMap((f) => resources.filter((r) => !set.get(f)?.has(r)).map((r) => `${f}.${r}`));
      if (missing.length === 0) continue;
      out.push({
        message:
          containerItems === 0
            ? `${namespaceLabel(stack, namespace)} has no LimitRange with a Container item: containers without resources run unbounded`
            : `${namespaceLabel(stack, namespace)} has no LimitRange Container item that sets ${missing.join(", ")}`,
        object: namespaceSubject(stack, namespace),
      });
    }
    return out;
  },
});
