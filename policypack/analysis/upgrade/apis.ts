/**
 * The API-removal table: every built-in group/version Kubernetes stopped serving from v1.16 on,
 * with its replacement, the version that removed it and what moved with it. One table for the
 * `deprecated-api-version` control (per object) and the upgrade analysis (`palisade upgrade`,
 * `upgrade-readiness`). Plain data.
 */
import type { PolicyVersion } from "../../engine/psa-version";

export interface DeprecatedApi {
  readonly apiVersion: string;
  readonly kinds: readonly string[];
  /** The minor of the first Kubernetes release that no longer serves it. */
  readonly removedIn: number;
  /** What to use instead. */
  readonly replacement: string;
  /** The minor from which the replacement is served (from then on the old version is to be left). */
  readonly replacementSince: number;
  /**
   * Versions served before the final replacement, oldest first: at a target between them the
   * advice is the newest one the target serves, never a version it does not serve yet.
   */
  readonly interim?: readonly { readonly apiVersion: string; readonly since: number }[];
  /**
   * Fields that moved or changed meaning on the way to the replacement (the migration guide's
   * notes): where set, changing apiVersion alone is not enough.
   */
  readonly changes?: string;
  /**
   * Fields written in the old shape that the replacement spells elsewhere: where an object sets
   * one (a path with `[*]` for every list item), the report names the field and where it goes.
   */
  readonly moved?: readonly MovedField[];
}

export interface MovedField {
  readonly from: string;
  readonly to: string;
}

const INGRESS_MOVED: readonly MovedField[] = [
  { from: "spec.backend", to: "spec.defaultBackend" },
  { from: "spec.backend.serviceName", to: "spec.defaultBackend.service.name" },
  { from: "spec.backend.servicePort", to: "spec.defaultBackend.service.port.number (or .name)" },
  { from: "spec.rules[*].http.paths[*].backend.serviceName", to: "backend.service.name" },
  { from: "spec.rules[*].http.paths[*].backend.servicePort", to: "backend.service.port.number (or .name)" },
];
const HPA_V2BETA1_MOVED: readonly MovedField[] = [
  {
    from: "spec.metrics[*].resource.targetAverageUtilization",
    to: "resource.target.averageUtilization (target.type: Utilization)",
  },
  {
    from: "spec.metrics[*].resource.targetAverageValue",
    to: "resource.target.averageValue (target.type: AverageValue)",
  },
  { from: "spec.metrics[*].pods.metricName", to: "pods.metric.name" },
  { from: "spec.metrics[*].pods.targetAverageValue", to: "pods.target.averageValue" },
  { from: "spec.metrics[*].object.metricName", to: "object.metric.name" },
  { from: "spec.metrics[*].object.target", to: "object.describedObject" },
  { from: "spec.metrics[*].object.targetValue", to: "object.target.value" },
  { from: "spec.metrics[*].external.metricName", to: "external.metric.name" },
  { from: "spec.metrics[*].external.metricSelector", to: "external.metric.selector" },
  { from: "spec.metrics[*].external.targetValue", to: "external.target.value" },
  { from: "spec.metrics[*].external.targetAverageValue", to: "external.target.averageValue" },
];
const FLOWCONTROL_MOVED: readonly MovedField[] = [
  { from: "spec.limited.assuredConcurrencyShares", to: "spec.limited.nominalConcurrencyShares" },
];

const WORKLOADS_16 = ["Deployment", "DaemonSet", "ReplicaSet", "StatefulSet", "ControllerRevision"];
const FLOWCONTROL = ["FlowSchema", "PriorityLevelConfiguration"];

/**
 * Kubernetes' Deprecated API Migration Guide (kubernetes.io/docs/reference/using-api/deprecation-guide),
 * plus the alpha versions of the same kinds, removed alongside.
 */
export const DEPRECATED_APIS: readonly DeprecatedApi[] = [
  // v1.16
  {
    apiVersion: "extensions/v1beta1",
    kinds: ["Deployment", "DaemonSet", "ReplicaSet"],
    removedIn: 16,
    replacement: "apps/v1",
    replacementSince: 9,
    changes:
      "spec.selector is required and immutable in apps/v1 (it no longer defaults to the template's labels); spec.rollbackTo is gone; defaults changed (updateStrategy, revisionHistoryLimit, progressDeadlineSeconds)",
  },
  {
    apiVersion: "apps/v1beta1",
    kinds: WORKLOADS_16,
    removedIn: 16,
    replacement: "apps/v1",
    replacementSince: 9,
    changes:
      "spec.selector is required and immutable in apps/v1 (it no longer defaults to the template's labels); defaults changed (updateStrategy, revisionHistoryLimit)",
  },
  {
    apiVersion: "apps/v1beta2",
    kinds: WORKLOADS_16,
    removedIn: 16,
    replacement: "apps/v1",
    replacementSince: 9,
    changes: "spec.selector is required and immutable in apps/v1",
  },
  {
    apiVersion: "extensions/v1beta1",
    kinds: ["NetworkPolicy"],
    removedIn: 16,
    replacement: "networking.k8s.io/v1",
    replacementSince: 8,
  },
  {
    apiVersion: "extensions/v1beta1",
    kinds: ["PodSecurityPolicy"],
    removedIn: 16,
    replacement: "Pod Security Admission (namespace labels)",
    replacementSince: 10,
    changes:
      "no replacement object: express the policy as pod-security.kubernetes.io/* namespace labels (or admission policies)",
  },
  // v1.21
  {
    apiVersion: "batch/v2alpha1",
    kinds: ["CronJob"],
    removedIn: 21,
    replacement: "batch/v1",
    replacementSince: 21,
    interim: [{ apiVersion: "batch/v1beta1", since: 8 }],
  },
  // v1.22
  {
    apiVersion: "extensions/v1beta1",
    kinds: ["Ingress"],
    removedIn: 22,
    replacement: "networking.k8s.io/v1",
    replacementSince: 19,
    interim: [{ apiVersion: "networking.k8s.io/v1beta1", since: 14 }],
    changes:
      "spec.backend is spec.defaultBackend; backend.serviceName/servicePort are backend.service.name and backend.service.port.number|name; pathType is required",
    moved: INGRESS_MOVED,
  },
  {
    apiVersion: "networking.k8s.io/v1beta1",
    kinds: ["Ingress", "IngressClass"],
    removedIn: 22,
    replacement: "networking.k8s.io/v1",
    replacementSince: 19,
    changes:
      "spec.backend is spec.defaultBackend; backend.serviceName/servicePort are backend.service.name and backend.service.port.number|name; pathType is required",
    moved: INGRESS_MOVED,
  },
  {
    apiVersion: "admissionregistration.k8s.io/v1beta1",
    kinds: ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"],
    removedIn: 22,
    replacement: "admissionregistration.k8s.io/v1",
    replacementSince: 16,
    changes:
      "webhooks[*].admissionReviewVersions and sideEffects (None or NoneOnDryRun) are required; defaults change: failurePolicy Ignore→Fail, matchPolicy Exact→Equivalent, timeoutSeconds 30s→10s",
  },
  {
    apiVersion: "apiextensions.k8s.io/v1beta1",
    kinds: ["CustomResourceDefinition"],
    removedIn: 22,
    replacement: "apiextensions.k8s.io/v1",
    replacementSince: 16,
    changes:
      "spec.scope is required; spec.validation, subresources and additionalPrinterColumns move under each spec.versions[*] (schema.openAPIV3Schema); the schema must be structural; preserveUnknownFields: true is not allowed",
  },
  {
    apiVersion: "apiregistration.k8s.io/v1beta1",
    kinds: ["APIService"],
    removedIn: 22,
    replacement: "apiregistration.k8s.io/v1",
    replacementSince: 10,
  },
  {
    apiVersion: "authentication.k8s.io/v1beta1",
    kinds: ["TokenReview"],
    removedIn: 22,
    replacement: "authentication.k8s.io/v1",
    replacementSince: 6,
  },
  {
    apiVersion: "authorization.k8s.io/v1beta1",
    kinds: ["LocalSubjectAccessReview", "SelfSubjectAccessReview", "SubjectAccessReview"],
    removedIn: 22,
    replacement: "authorization.k8s.io/v1",
    replacementSince: 6,
  },
  {
    apiVersion: "certificates.k8s.io/v1beta1",
    kinds: ["CertificateSigningRequest"],
    removedIn: 22,
    replacement: "certificates.k8s.io/v1",
    replacementSince: 19,
    changes: "spec.signerName and spec.usages are required; kubernetes.io/legacy-unknown cannot be requested",
  },
  {
    apiVersion: "coordination.k8s.io/v1beta1",
    kinds: ["Lease"],
    removedIn: 22,
    replacement: "coordination.k8s.io/v1",
    replacementSince: 14,
  },
  {
    apiVersion: "rbac.authorization.k8s.io/v1beta1",
    kinds: ["ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"],
    removedIn: 22,
    replacement: "rbac.authorization.k8s.io/v1",
    replacementSince: 8,
  },
  {
    apiVersion: "rbac.authorization.k8s.io/v1alpha1",
    kinds: ["ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"],
    removedIn: 22,
    replacement: "rbac.authorization.k8s.io/v1",
    replacementSince: 8,
  },
  {
    apiVersion: "scheduling.k8s.io/v1beta1",
    kinds: ["PriorityClass"],
    removedIn: 22,
    replacement: "scheduling.k8s.io/v1",
    replacementSince: 14,
  },
  {
    apiVersion: "scheduling.k8s.io/v1alpha1",
    kinds: ["PriorityClass"],
    removedIn: 22,
    replacement: "scheduling.k8s.io/v1",
    replacementSince: 14,
    interim: [{ apiVersion: "scheduling.k8s.io/v1beta1", since: 11 }],
  },
  {
    apiVersion: "storage.k8s.io/v1beta1",
    kinds: ["CSIDriver"],
    removedIn: 22,
    replacement: "storage.k8s.io/v1",
    replacementSince: 18,
  },
  {
    apiVersion: "storage.k8s.io/v1beta1",
    kinds: ["CSINode"],
    removedIn: 22,
    replacement: "storage.k8s.io/v1",
    replacementSince: 17,
  },
  {
    apiVersion: "storage.k8s.io/v1beta1",
    kinds: ["StorageClass"],
    removedIn: 22,
    replacement: "storage.k8s.io/v1",
    replacementSince: 6,
  },
  {
    apiVersion: "storage.k8s.io/v1beta1",
    kinds: ["VolumeAttachment"],
    removedIn: 22,
    replacement: "storage.k8s.io/v1",
    replacementSince: 13,
  },
  // v1.25
  { apiVersion: "batch/v1beta1", kinds: ["CronJob"], removedIn: 25, replacement: "batch/v1", replacementSince: 21 },
  {
    apiVersion: "discovery.k8s.io/v1beta1",
    kinds: ["EndpointSlice"],
    removedIn: 25,
    replacement: "discovery.k8s.io/v1",
    replacementSince: 21,
    changes:
      'endpoints[*].topology["kubernetes.io/hostname"] is endpoints[*].nodeName; topology is deprecatedTopology; endpoints[*].zone is new',
  },
  {
    apiVersion: "events.k8s.io/v1beta1",
    kinds: ["Event"],
    removedIn: 25,
    replacement: "events.k8s.io/v1",
    replacementSince: 19,
    changes:
      "type is Normal or Warning only; involvedObject is regarding; action, reason, reportingController and reportingInstance are required on create; the *Timestamp fields are deprecated* (use eventTime)",
  },
  {
    apiVersion: "autoscaling/v2beta1",
    kinds: ["HorizontalPodAutoscaler"],
    removedIn: 25,
    replacement: "autoscaling/v2",
    replacementSince: 23,
    changes:
      "metrics moved: targetAverageUtilization is metrics[*].resource.target.averageUtilization, targetAverageValue is target.averageValue, metricName/metricSelector are metric.name/metric.selector",
    moved: HPA_V2BETA1_MOVED,
  },
  {
    apiVersion: "policy/v1beta1",
    kinds: ["PodDisruptionBudget"],
    removedIn: 25,
    replacement: "policy/v1",
    replacementSince: 21,
    changes: "an empty spec.selector ({}) selects every pod of the namespace in policy/v1 (none in v1beta1)",
  },
  {
    apiVersion: "policy/v1beta1",
    kinds: ["PodSecurityPolicy"],
    removedIn: 25,
    replacement: "Pod Security Admission (namespace labels)",
    replacementSince: 21,
    changes:
      "no replacement object: express the policy as pod-security.kubernetes.io/* namespace labels (or admission policies)",
  },
  {
    apiVersion: "node.k8s.io/v1beta1",
    kinds: ["RuntimeClass"],
    removedIn: 25,
    replacement: "node.k8s.io/v1",
    replacementSince: 20,
  },
  // v1.26
  {
    apiVersion: "flowcontrol.apiserver.k8s.io/v1beta1",
    kinds: FLOWCONTROL,
    removedIn: 26,
    replacement: "flowcontrol.apiserver.k8s.io/v1",
    replacementSince: 29,
    interim: [
      { apiVersion: "flowcontrol.apiserver.k8s.io/v1beta2", since: 23 },
      { apiVersion: "flowcontrol.apiserver.k8s.io/v1beta3", since: 26 },
    ],
    changes:
      "PriorityLevelConfiguration spec.limited.assuredConcurrencyShares is nominalConcurrencyShares from v1beta3; from v1 an unset nominalConcurrencyShares defaults to 30 and 0 stays 0",
    moved: FLOWCONTROL_MOVED,
  },
  {
    apiVersion: "autoscaling/v2beta2",
    kinds: ["HorizontalPodAutoscaler"],
    removedIn: 26,
    replacement: "autoscaling/v2",
    replacementSince: 23,
    changes:
      "v2 keeps v2beta2's schema (metrics[*].*.target, behavior): only apiVersion changes; metrics still in the v2beta1 shape (targetAverageUtilization) are refused",
  },
  // v1.27
  {
    apiVersion: "storage.k8s.io/v1beta1",
    kinds: ["CSIStorageCapacity"],
    removedIn: 27,
    replacement: "storage.k8s.io/v1",
    replacementSince: 24,
  },
  // v1.29, v1.32
  {
    apiVersion: "flowcontrol.apiserver.k8s.io/v1beta2",
    kinds: FLOWCONTROL,
    removedIn: 29,
    replacement: "flowcontrol.apiserver.k8s.io/v1",
    replacementSince: 29,
    interim: [{ apiVersion: "flowcontrol.apiserver.k8s.io/v1beta3", since: 26 }],
    changes:
      "PriorityLevelConfiguration spec.limited.assuredConcurrencyShares is nominalConcurrencyShares from v1beta3; from v1 an unset nominalConcurrencyShares defaults to 30 and 0 stays 0",
    moved: FLOWCONTROL_MOVED,
  },
  {
    apiVersion: "flowcontrol.apiserver.k8s.io/v1beta3",
    kinds: FLOWCONTROL,
    removedIn: 32,
    replacement: "flowcontrol.apiserver.k8s.io/v1",
    replacementSince: 29,
    changes: "from v1 an unset spec.limited.nominalConcurrencyShares defaults to 30 and an explicit 0 stays 0",
  },
];

/**
 * What to move to at the target: the newest replacement the target serves (flowcontrol v1beta3,
 * not v1, for a 1.27 cluster), or undefined when none is served yet.
 */
export function advisedVersion(api: DeprecatedApi, target: PolicyVersion): string | undefined {
  const ladder = [...(api.interim ?? []), { apiVersion: api.replacement, since: api.replacementSince }];
  let advice: string | undefined;
  for (const step of ladder) if (target >= step.since) advice = step.apiVersion;
  return advice;
}

const BY_KEY = new Map(
  DEPRECATED_APIS.flatMap((api) => api.kinds.map((kind) => [`${api.apiVersion}/${kind}`, api] as const)),
);

/** The table's entry for an object's apiVersion and kind, if it is in the table. */
export function deprecatedApiOf(apiVersion: string, kind: string): DeprecatedApi | undefined {
  return BY_KEY.get(`${apiVersion}/${kind}`);
}

/**
 * An API version's standing at a Kubernetes minor: `removed` (no longer served), `deprecated`
 * (served, but a replacement is served too, so it is to be left: the removal is scheduled),
 * or `current` (the only version served for the kind, nothing to do yet).
 */
export function apiStatus(api: DeprecatedApi, minor: PolicyVersion): "removed" | "deprecated" | "current" {
  if (minor >= api.removedIn) return "removed";
  return advisedVersion(api, minor) === undefined ? "current" : "deprecated";
}
