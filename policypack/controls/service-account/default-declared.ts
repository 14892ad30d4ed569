import type { Violation } from "../../engine/types";
import { stackControl } from "../define";
import { namespaceLabel, namespaceSubject, isUndeclaredSystemNamespace } from "../namespace/namespaces";
import { accountIndex, accountKey } from "./accounts";

/**
 * The stack twin of sa-default-automount: the `default` ServiceAccount of each namespace that
 * holds workloads is in the set (declared, or patched: Kubernetes creates it, so a
 * ServiceAccountPatch is the usual way), so its automount setting is under review. When the set
 * only patches it, some patch must set automountServiceAccountToken (to false: a wrong value is
 * sa-default-automount's finding on that patch).
 */
export const saDefaultDeclared = stackControl({
  id: "sa-default-declared",
  title: "Each workload namespace's default ServiceAccount is managed with automount off",
  family: "service-account",
  level: "hardened",
  severity: "medium",
  references: {
    catalog: "SA-003",
    nsaCisa: "Kubernetes Pod security › Protecting Pod service account tokens",
    cis: "5.1.5",
  },
  remediation:
    "Add a ServiceAccountPatch (or a ServiceAccount) named default to each namespace with automountServiceAccountToken: false.",
  kinds: ["Namespace", "ServiceAccount"],
  checkStack(stack) {
    const accounts = accountIndex(stack);
    const out: Violation[] = [];
    for (const namespace of stack.workloadNamespaces) {
      if (isUndeclaredSystemNamespace(stack, namespace)) continue; // the platform's guardrails
      const entry = accounts.get(accountKey(namespace, "default"));
      if (entry === undefined) {
        out.push({
          message: `${namespaceLabel(stack, namespace)} has no default ServiceAccount (or patch of it) in this set: its token is mounted into every pod that names no ServiceAccount`,
          object: namespaceSubject(stack, namespace),
        });
      } else if (!entry.declared && entry.automount === undefined) {
        out.push({
          message: `no patch of the default ServiceAccount of namespace ${JSON.stringify(namespace)} sets automountServiceAccountToken=false`,
          path: "automountServiceAccountToken",
          object: entry.documents[entry.documents.length - 1],
        });
      }
    }
    return out;
  },
});
