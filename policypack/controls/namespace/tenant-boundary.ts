import { configString } from "../../engine/control";
import { describe, resourceRef } from "../../engine/kinds";
import type { Violation } from "../../engine/types";
import { stackControl } from "../define";
import { mergedLabels, namespaceLabel, namespaceSubject } from "./namespaces";

/**
 * Namespaces are the administrative boundary (RBAC, PSA, NetworkPolicy and quota all stop at
 * them), so one namespace serves one application or tenant. Checkable form: the workloads of a
 * namespace (and the Namespace itself, when the set labels it) do not carry different values of
 * the tenant label (app.kubernetes.io/part-of by default). Workloads without the label are not
 * counted. Optional: it needs a labelling convention to mean anything.
 */
export const namespaceTenantBoundary = stackControl({
  id: "namespace-tenant-boundary",
  title: "One application or tenant per namespace",
  family: "namespace",
  level: "hardened",
  severity: "low",
  references: {
    catalog: "NS-003",
    nsaCisa: "Network separation and hardening › Namespaces",
    cis: "5.7.1",
  },
  remediation:
    "Give each application (each value of the tenant label) its own namespace, with its own RBAC, network policies and quota.",
  kinds: ["Namespace"],
  optional: true,
  config: {
    tenantLabel: {
      type: "string",
      description: "The label that names a workload's application or tenant (on the object or its pod template).",
      default: "app.kubernetes.io/part-of",
    },
  },
  checkStack(stack, ctx) {
    const label = configString(ctx.config, "tenantLabel") ?? "app.kubernetes.io/part-of";
    const out: Violation[] = [];
    for (const [namespace, workloads] of stack.workloadsByNamespace) {
      const tenants = new Map<string, string>();
      const own = mergedLabels(stack, stack.namespaceDocuments.get(namespace) ?? [])[label];
      if (typeof own === "string" && own !== "") tenants.set(own, `the Namespace`);
      for (const w of workloads) {
        if (stack.isPatch(w.object)) continue;
        const value = w.object.metadata?.labels?.[label] ?? w.pod.metadata.labels?.[label];
        if (typeof value !== "string" || value === "" || tenants.has(value)) continue;
        tenants.set(value, describe(resourceRef(w.object)));
      }
      if (tenants.size < 2) continue;
      const list = [...tenants].map(([t, where]) => `${JSON.stringify(t)} (${where})`).join(", ");
      out.push({
        message: `${namespaceLabel(stack, namespace)} is shared by ${tenants.size} tenants by ${label}: ${list}`,
        object: namespaceSubject(stack, namespace),
      });
    }
    return out;
  },
});
