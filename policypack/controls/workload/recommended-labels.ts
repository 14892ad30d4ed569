import { isRecord, rec, str } from "../../engine/access";
import { configStrings } from "../../engine/control";
import { POD_KINDS, POD_TEMPLATE_PATHS } from "../../engine/pod";
import type { Violation } from "../../engine/types";
import { resourceControl } from "../define";

const RECOMMENDED = [
  "app.kubernetes.io/name",
  "app.kubernetes.io/instance",
  "app.kubernetes.io/part-of",
  "app.kubernetes.io/managed-by",
];

/** Kinds people author; generated ones (Event, Endpoints, EndpointSlice, Lease, ControllerRevision) are left out. */
const LABELLED_KINDS = [
  ...POD_KINDS,
  "Service",
  "ServiceAccount",
  "Secret",
  "ConfigMap",
  "PersistentVolumeClaim",
  "PersistentVolume",
  "Namespace",
  "LimitRange",
  "ResourceQuota",
  "NetworkPolicy",
  "Ingress",
  "IngressClass",
  "Role",
  "RoleBinding",
  "ClusterRole",
  "ClusterRoleBinding",
  "PodDisruptionBudget",
  "PriorityClass",
  "HorizontalPodAutoscaler",
  "StorageClass",
  "CSIDriver",
  "RuntimeClass",
  "ValidatingWebhookConfiguration",
  "MutatingWebhookConfiguration",
  "ValidatingAdmissionPolicy",
  "ValidatingAdmissionPolicyBinding",
  "MutatingAdmissionPolicy",
  "MutatingAdmissionPolicyBinding",
  "CustomResourceDefinition",
  "APIService",
];

function labelPath(metadataPath: string, key: string): string {
  return `${metadataPath}.labels[${JSON.stringify(key)}]`;
}

/** CEL: every label of params.spec.labels is set with a non-empty value in the metadata `meta`. */
function celLabelled(meta: string): string {
  return `params.spec.labels.all(k, has(${meta}.labels) && k in ${meta}.labels && ${meta}.labels[k] != '')`;
}

const TEMPLATED_KINDS = POD_KINDS.filter((k) => POD_TEMPLATE_PATHS[k] !== "");

/**
 * Every object (and, for workloads, its pod template, which is what Services and NetworkPolicies
 * select) carries the recommended app.kubernetes.io labels with a non-empty value. Optional: it
 * is bookkeeping, not a security boundary, and noisy where another label scheme is in use.
 */
export const recommendedLabels = resourceControl({
  id: "recommended-labels",
  title: "Recommended labels (ownership)",
  family: "workload",
  level: "hardened",
  severity: "low",
  references: {
    catalog: "OPS-004",
  },
  remediation:
    "Label every object and pod template with app.kubernetes.io/name, /instance, /part-of and /managed-by (or set labels to the ones your organisation uses).",
  kinds: LABELLED_KINDS,
  optional: true,
  config: {
    labels: {
      type: "array",
      items: { type: "string" },
      description: "Labels every object must carry with a non-empty value.",
      default: RECOMMENDED,
    },
  },
  // The control as CEL: the object's labels, and for kinds with a pod template, the template's.
  cel: {
    validations: [
      { expression: celLabelled("object.metadata"), message: "the object must set every required label" },
      {
        expression: `!(object.kind in [${TEMPLATED_KINDS.map((k) => JSON.stringify(k)).join(", ")}]) || ${celLabelled("variables.podMeta")}`,
        message: "the pod template must set every required label",
      },
    ],
  },
  check(object, ctx) {
    const required = configStrings(ctx.config, "labels");
    const out: Violation[] = [];
    const missing = (labels: unknown): string[] => {
      const record = rec(labels) ?? {};
      return required.filter((k) => (str(record[k]) ?? "") === "");
    };
    const kind = typeof object.kind === "string" ? object.kind : "object";
    for (const key of missing(isRecord(object.metadata) ? object.metadata.labels : undefined)) {
      out.push({ message: `${kind} must set label ${key}`, path: labelPath("metadata", key) });
    }
    const pod = ctx.pod;
    if (pod !== undefined && POD_TEMPLATE_PATHS[kind] !== "") {
      for (const key of missing(pod.metadata.labels)) {
        out.push({ message: `pod template must set label ${key}`, path: labelPath(pod.metadataPath, key) });
      }
    }
    return out;
  },
});
