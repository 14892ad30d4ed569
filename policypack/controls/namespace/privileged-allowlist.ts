import { str } from "../../engine/access";
import { configStrings } from "../../engine/control";
import { resourceControl } from "../define";
import { ENFORCE, labelPath, labelsOf } from "./psa";

/**
 * `pod-security.kubernetes.io/enforce: privileged` switches Pod Security Admission off for the
 * namespace: host namespaces, privileged containers, hostPath. Only platform namespaces that run
 * node agents may have it; the allowlist is configurable (kube-system by default). Patches are
 * judged too: a NamespacePatch that sets privileged is exactly the downgrade to catch.
 */
export const namespacePrivilegedAllowlist = resourceControl({
  id: "namespace-privileged-allowlist",
  title: "Privileged Pod Security level only for allowlisted namespaces",
  family: "namespace",
  level: "hardened",
  severity: "high",
  references: {
    catalog: "NS-005",
    nsaCisa: "Kubernetes Pod security › Pod security enforcement",
    cis: "5.2.1",
  },
  remediation:
    'Set pod-security.kubernetes.io/enforce to "restricted" (or "baseline"); run privileged node agents in an allowlisted platform namespace.',
  kinds: ["Namespace"],
  config: {
    privilegedNamespaces: {
      type: "array",
      items: { type: "string" },
      description: "Namespaces that may enforce the privileged level.",
      default: ["kube-system"],
    },
  },
  cel: {
    validations: [
      {
        expression:
          `!(has(object.metadata.labels) && ${JSON.stringify(ENFORCE)} in object.metadata.labels && object.metadata.labels[${JSON.stringify(ENFORCE)}] == 'privileged') || ` +
          "(has(object.metadata.name) ? object.metadata.name : '') in params.spec.privilegedNamespaces",
      },
    ],
  },
  check(object, ctx) {
    if (labelsOf(object)[ENFORCE] !== "privileged") return [];
    const name = str(object.metadata?.name) ?? "";
    if (configStrings(ctx.config, "privilegedNamespaces").includes(name)) return [];
    return [
      {
        message: `${ENFORCE}="privileged" turns Pod Security Admission off, and namespace ${JSON.stringify(name)} is not allowlisted for it`,
        path: labelPath(ENFORCE),
      },
    ];
  },
});
