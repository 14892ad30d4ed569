import { str } from "../../engine/access";
import { configString, configStrings } from "../../engine/control";
import { resourceControl } from "../define";
import {
  ENFORCE,
  ENFORCE_VERSION,
  labelPath,
  labelsOf,
  parseLevel,
  psaLabelProblems,
  PSA_NAMESPACE_CONFIG,
} from "./psa";

/**
 * Pod Security Admission is the enforcement mechanism for every pod-security control: a
 * namespace enforces the configured level (restricted, or baseline when configured) and pins
 * enforce-version to `v1.N` so an upgrade never changes what is admitted without review. The
 * audit and warn labels only report, so they are namespace-psa-audit-warn's, at low: one
 * unlabelled namespace is one high finding here, not three. Namespaces allowed to run privileged
 * (kube-system) are left to namespace-privileged-allowlist. On a patch only the labels it sets
 * can be judged.
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
    "Label the Namespace pod-security.kubernetes.io/enforce: restricted and enforce-version: v1.N (your cluster's minor).",
  kinds: ["Namespace"],
  config: PSA_NAMESPACE_CONFIG,
  cel: {
    variables: [
      { name: "psaLabels", expression: "has(object.metadata.labels) ? object.metadata.labels : {}" },
      {
        name: "psaMinimum",
        expression:
          "has(params.spec.level) && params.spec.level in ['privileged', 'baseline', 'restricted'] ? params.spec.level : 'restricted'",
      },
      {
        name: "psaEnforce",
        expression: `${JSON.stringify(ENFORCE)} in variables.psaLabels ? variables.psaLabels[${JSON.stringify(ENFORCE)}] : ''`,
      },
    ],
    validations: [
      {
        expression:
          "(has(object.metadata.name) && object.metadata.name in params.spec.privilegedNamespaces) || (" +
          "(variables.psaEnforce == 'restricted' || (variables.psaEnforce == 'baseline' && variables.psaMinimum != 'restricted') || " +
          "(variables.psaEnforce == 'privileged' && variables.psaMinimum == 'privileged')) && " +
          `${JSON.stringify(ENFORCE_VERSION)} in variables.psaLabels && variables.psaLabels[${JSON.stringify(ENFORCE_VERSION)}].matches('^v1[.](0|[1-9][0-9]*)$'))`,
      },
    ],
  },
  check(object, ctx) {
    const name = str(object.metadata?.name);
    if (name !== undefined && configStrings(ctx.config, "privilegedNamespaces").includes(name)) return [];
    const minimum = parseLevel(configString(ctx.config, "level")) ?? "restricted";
    return psaLabelProblems(labelsOf(object), minimum)
      .filter((p) => p.key === ENFORCE || p.key === ENFORCE_VERSION)
      .map((p) => ({ message: p.message, path: labelPath(p.key) }));
  },
});
