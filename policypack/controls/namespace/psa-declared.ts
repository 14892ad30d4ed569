import { configString, configStrings } from "../../engine/control";
import type { Violation } from "../../engine/types";
import { stackControl } from "../define";
import { mergedLabels, namespaceSubject } from "./namespaces";
import { AUDIT, labelPath, parseLevel, psaLabelProblems, PSA_NAMESPACE_CONFIG, WARN } from "./psa";

/**
 * The stack twin of namespace-psa-labels: a namespace that holds workloads of the set is declared
 * (or patched) by the set, so its Pod Security labels are under review with the workloads. A
 * namespace only patched by the set must have its PSA labels set by those patches (a patch
 * cannot be judged on labels it leaves alone, so the resource control does not say so).
 */
export const namespacePsaDeclared = stackControl({
  id: "namespace-psa-declared",
  title: "Workload namespaces are declared with Pod Security labels",
  family: "namespace",
  level: "hardened",
  severity: "medium",
  references: {
    catalog: "NS-004",
    nsaCisa: "Kubernetes Pod security › Pod security enforcement",
    cis: "5.2.1",
  },
  remediation:
    "Declare each namespace your workloads use (or patch the existing one) with the pod-security.kubernetes.io enforce, enforce-version, audit and warn labels.",
  kinds: ["Namespace"],
  config: PSA_NAMESPACE_CONFIG,
  checkStack(stack, ctx) {
    const exempt = configStrings(ctx.config, "privilegedNamespaces");
    const minimum = parseLevel(configString(ctx.config, "level")) ?? "restricted";
    const out: Violation[] = [];
    for (const namespace of stack.workloadNamespaces) {
      if (exempt.includes(namespace)) continue;
      const documents = stack.namespaceDocuments.get(namespace) ?? [];
      if (documents.length === 0) {
        out.push({
          message: `namespace ${JSON.stringify(namespace)} holds workloads but is not declared in this set: declare it (or patch it) with the pod-security.kubernetes.io labels`,
          object: namespaceSubject(stack, namespace),
        });
        continue;
      }
      if (stack.namespaces.has(namespace)) continue; // declared: namespace-psa-labels judges it
      const last = documents[documents.length - 1];
      if (last === undefined) continue;
      for (const p of psaLabelProblems(mergedLabels(stack, documents), minimum)) {
        if (!p.missing) continue; // a wrong value is on a patch namespace-psa-labels sees
        // The audit and warn labels only report: namespace-psa-audit-warn's (low), not this control's.
        if (p.key === AUDIT || p.key === WARN) continue;
        out.push({
          message: `${p.message} (the set only patches namespace ${JSON.stringify(namespace)} and no patch sets it)`,
          path: labelPath(p.key),
          object: last,
        });
      }
    }
    return out;
  },
});
