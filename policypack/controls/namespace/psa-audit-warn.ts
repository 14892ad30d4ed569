import { str } from "../../engine/access";
import { configStrings } from "../../engine/control";
import { resourceControl } from "../define";
import { AUDIT, labelPath, labelsOf, psaLabelProblems, PRIVILEGED_NAMESPACES_CONFIG, WARN } from "./psa";

/**
 * NS-004's reporting half: a namespace audits and warns at restricted, so that the audit log and
 * `kubectl apply` show what the strictest level would reject, workload templates included
 * (enforce judges Pods only). Missing, they hide nothing from enforcement, so this is low beside
 * namespace-psa-labels' high (Kyverno splits them the same way: add-psa-labels and
 * add-psa-namespace-reporting). Privileged namespaces are left alone, like there.
 */
export const namespacePsaAuditWarn = resourceControl({
  id: "namespace-psa-audit-warn",
  title: "Namespaces audit and warn at the restricted level",
  family: "namespace",
  level: "hardened",
  severity: "low",
  references: {
    catalog: "NS-004",
    nsaCisa: "Kubernetes Pod security › Pod security enforcement",
    cis: "5.2.1",
  },
  remediation: "Label the Namespace pod-security.kubernetes.io/audit: restricted and warn: restricted.",
  kinds: ["Namespace"],
  config: { privilegedNamespaces: PRIVILEGED_NAMESPACES_CONFIG },
  cel: {
    variables: [{ name: "psaLabels", expression: "has(object.metadata.labels) ? object.metadata.labels : {}" }],
    validations: [
      {
        expression:
          "(has(object.metadata.name) && object.metadata.name in params.spec.privilegedNamespaces) || (" +
          `${JSON.stringify(AUDIT)} in variables.psaLabels && variables.psaLabels[${JSON.stringify(AUDIT)}] == 'restricted' && ` +
          `${JSON.stringify(WARN)} in variables.psaLabels && variables.psaLabels[${JSON.stringify(WARN)}] == 'restricted')`,
      },
    ],
  },
  check(object, ctx) {
    const name = str(object.metadata?.name);
    if (name !== undefined && configStrings(ctx.config, "privilegedNamespaces").includes(name)) return [];
    return psaLabelProblems(labelsOf(object), "restricted")
      .filter((p) => p.key === AUDIT || p.key === WARN)
      .map((p) => ({ message: p.message, path: labelPath(p.key) }));
  },
});
