import { str } from "../../engine/access";
import { configString, configStrings } from "../../engine/control";
import { resourceControl } from "../define";
import { labelPath, labelsOf, parseLevel, psaLabelProblems, PSA_NAMESPACE_CONFIG } from "./psa";

/**
 * Pod Security Admission is the enforcement mechanism for every pod-security control: a
 * namespace enforces the configured level (restricted, or baseline when configured), pins
 * enforce-version to `v1.N` so an upgrade never changes what is admitted without review, and
 * audits and warns at restricted. Namespaces allowed to run privileged (kube-system) are left to
 * namespace-privileged-allowlist. On a patch only the labels it sets can be judged.
 */
export const namespacePsaLabels = resourceControl({
  id: "namespace-psa-labels",
  title: "Namespaces enforce Pod Security Admission, version pinned",
  family: "namespace",
  level: "hardened",
  severity: "high",
  references: {
    catalog: "NS-004",
    nsaCisa: "Kubernetes Pod security › Pod security enforcement",
    cis: "5.2.1",
  },
  remediation:
    "Label the Namespace pod-security.kubernetes.io/enforce: restricted, enforce-version: v1.N (your cluster's minor), audit: restricted and warn: restricted.",
  kinds: ["Namespace"],
  config: PSA_NAMESPACE_CONFIG,
  check(object, ctx) {
    const name = str(object.metadata?.name);
    if (name !== undefined && configStrings(ctx.config, "privilegedNamespaces").includes(name)) return [];
    const minimum = parseLevel(configString(ctx.config, "level")) ?? "restricted";
    return psaLabelProblems(labelsOf(object), minimum).map((p) => ({ message: p.message, path: labelPath(p.key) }));
  },
});
