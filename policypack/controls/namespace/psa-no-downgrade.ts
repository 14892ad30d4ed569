import type { Violation } from "../../engine/types";
import { stackControl } from "../define";
import { applyLabels } from "./namespaces";
import { ENFORCE, ENFORCE_VERSION, labelPath, levelRank, parseLevel, parseVersion, type PsaLevel } from "./psa";

function enforceLevel(labels: Readonly<Record<string, unknown>>): PsaLevel {
  const value = labels[ENFORCE];
  // Unset falls back to the cluster's default, which is privileged unless configured otherwise.
  if (value === undefined || value === null) return "privileged";
  // PSA evaluates an invalid level as restricted (api.ParseLevel).
  return parseLevel(value) ?? "restricted";
}

/**
 * A later document or patch of a namespace must not lower what the first one declared:
 * `enforce` to a lower level (or unset it, which falls back to the cluster default), or a pinned
 * `enforce-version` to an older one. Each document is compared with the labels in effect before
 * it (documents apply in input order; a patch merges, a full document replaces). Namespace
 * patches are how a stack quietly undoes the namespace owner's Pod Security.
 */
export const namespacePsaNoDowngrade = stackControl({
  id: "namespace-psa-no-downgrade",
  title: "Namespace documents and patches do not downgrade Pod Security labels",
  family: "namespace",
  level: "hardened",
  severity: "high",
  references: {
    catalog: "NS-005",
    nsaCisa: "Kubernetes Pod security › Pod security enforcement",
    cis: "5.2.1",
  },
  remediation:
    "Remove the patch (or later document) that lowers pod-security.kubernetes.io/enforce or enforce-version; change the namespace's own declaration if the level really must change.",
  kinds: ["Namespace"],
  checkStack(stack) {
    const out: Violation[] = [];
    for (const [name, documents] of stack.namespaceDocuments) {
      let labels: Record<string, unknown> = {};
      documents.forEach((doc, i) => {
        const next = applyLabels(labels, doc, stack.isPatch(doc));
        if (i > 0) {
          const before = enforceLevel(labels);
          const after = enforceLevel(next);
          if (levelRank(after) < levelRank(before)) {
            out.push({
              message: `lowers ${ENFORCE} of namespace ${JSON.stringify(name)} from "${before}" to "${after}"${next[ENFORCE] === undefined ? " (unset: the cluster default)" : ""}`,
              path: labelPath(ENFORCE),
              object: doc,
            });
          }
          const v0 = parseVersion(labels[ENFORCE_VERSION]);
          const v1 = parseVersion(next[ENFORCE_VERSION]);
          if (typeof v0 === "number" && typeof v1 === "number" && v1 < v0) {
            out.push({
              message: `lowers ${ENFORCE_VERSION} of namespace ${JSON.stringify(name)} from "v1.${v0}" to "v1.${v1}"`,
              path: labelPath(ENFORCE_VERSION),
              object: doc,
            });
          }
        }
        labels = next;
      });
    }
    return out;
  },
});
