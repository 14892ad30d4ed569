import { configString } from "../../engine/control";
import { formatPolicyVersion, LATEST, type PolicyVersion } from "../../engine/psa-version";
import { resourceControl } from "../define";

interface DeprecatedApi {
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
}

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
  },
  { apiVersion: "apps/v1beta1", kinds: WORKLOADS_16, removedIn: 16, replacement: "apps/v1", replacementSince: 9 },
  { apiVersion: "apps/v1beta2", kinds: WORKLOADS_16, removedIn: 16, replacement: "apps/v1", replacementSince: 9 },
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
  },
  {
    apiVersion: "networking.k8s.io/v1beta1",
    kinds: ["Ingress", "IngressClass"],
    removedIn: 22,
    replacement: "networking.k8s.io/v1",
    replacementSince: 19,
  },
  {
    apiVersion: "admissionregistration.k8s.io/v1beta1",
    kinds: ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"],
    removedIn: 22,
    replacement: "admissionregistration.k8s.io/v1",
    replacementSince: 16,
  },
  {
    apiVersion: "apiextensions.k8s.io/v1beta1",
    kinds: ["CustomResourceDefinition"],
    removedIn: 22,
    replacement: "apiextensions.k8s.io/v1",
    replacementSince: 16,
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
  },
  {
    apiVersion: "events.k8s.io/v1beta1",
    kinds: ["Event"],
    removedIn: 25,
    replacement: "events.k8s.io/v1",
    replacementSince: 19,
  },
  {
    apiVersion: "autoscaling/v2beta1",
    kinds: ["HorizontalPodAutoscaler"],
    removedIn: 25,
    replacement: "autoscaling/v2",
    replacementSince: 23,
  },
  {
    apiVersion: "policy/v1beta1",
    kinds: ["PodDisruptionBudget"],
    removedIn: 25,
    replacement: "policy/v1",
    replacementSince: 21,
  },
  {
    apiVersion: "policy/v1beta1",
    kinds: ["PodSecurityPolicy"],
    removedIn: 25,
    replacement: "Pod Security Admission (namespace labels)",
    replacementSince: 21,
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
  },
  {
    apiVersion: "autoscaling/v2beta2",
    kinds: ["HorizontalPodAutoscaler"],
    removedIn: 26,
    replacement: "autoscaling/v2",
    replacementSince: 23,
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
  },
  {
    apiVersion: "flowcontrol.apiserver.k8s.io/v1beta3",
    kinds: FLOWCONTROL,
    removedIn: 32,
    replacement: "flowcontrol.apiserver.k8s.io/v1",
    replacementSince: 29,
  },
];

/** The minor of "latest", "v1.N" or "v1.N.P" (a patch release serves what its minor serves); latest when unreadable. */
function targetMinor(text: string | undefined): PolicyVersion {
  const m = /^v?1\.(\d{1,3})(?:\.\d+)?$/.exec((text ?? "").trim());
  return m ? Number(m[1]) : LATEST;
}

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

/**
 * No object uses an API version that is removed, or deprecated with a replacement served, at
 * the target Kubernetes version (`kubernetesVersion`, default latest). Before any replacement is
 * served the old version is the only choice and is not flagged; the advice is the newest
 * replacement the target serves.
 */
export const deprecatedApiVersion = resourceControl({
  id: "deprecated-api-version",
  title: "No deprecated or removed API versions",
  family: "workload",
  level: "hardened",
  severity: "medium",
  references: {
    catalog: "OPS-005",
    nsaCisa: "Upgrading and application security practices",
  },
  remediation:
    "Move the object to the API version that replaces it (e.g. apps/v1, networking.k8s.io/v1, policy/v1, batch/v1), adapting the fields that changed.",
  kinds: [...new Set(DEPRECATED_APIS.flatMap((api) => api.kinds))],
  config: {
    kubernetesVersion: {
      type: "string",
      description: 'The Kubernetes version the manifests target: "latest", "v1.N" or "v1.N.P".',
      default: "latest",
    },
  },
  cel: {
    unsupported:
      "every API version it flags is removed by Kubernetes v1.32, so an admission request can never carry one (request.kind.version and object.apiVersion are always served versions); the check is for manifests, before they reach the cluster",
  },
  check(object, ctx) {
    if (typeof object.apiVersion !== "string" || typeof object.kind !== "string") return [];
    const api = BY_KEY.get(`${object.apiVersion}/${object.kind}`);
    if (api === undefined) return [];
    const target = targetMinor(configString(ctx.config, "kubernetesVersion"));
    const advice = advisedVersion(api, target);
    if (advice === undefined) return [];
    const what = `${object.apiVersion} ${object.kind}`;
    const message =
      target >= api.removedIn
        ? `${what} is no longer served from Kubernetes v1.${api.removedIn} (target ${formatPolicyVersion(target)}): use ${advice}`
        : `${what} is deprecated and stops being served in Kubernetes v1.${api.removedIn} (target ${formatPolicyVersion(target)}): use ${advice}`;
    return [{ message, path: "apiVersion" }];
  },
});
