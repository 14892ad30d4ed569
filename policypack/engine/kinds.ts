/**
 * The built-in Kubernetes kinds Palisade recognises, with their API group and scope.
 * Anything else is a custom resource (or a kind we do not know) and is passed over, and said so.
 */
import type { KubeObject, ResourceRef } from "./types";

interface KindInfo {
  readonly groups: readonly string[];
  readonly namespaced: boolean;
}

const CORE = [""];
const kinds: Record<string, KindInfo> = {
  // core/v1
  Pod: { groups: CORE, namespaced: true },
  PodTemplate: { groups: CORE, namespaced: true },
  ReplicationController: { groups: CORE, namespaced: true },
  Service: { groups: CORE, namespaced: true },
  ServiceAccount: { groups: CORE, namespaced: true },
  Secret: { groups: CORE, namespaced: true },
  ConfigMap: { groups: CORE, namespaced: true },
  Endpoints: { groups: CORE, namespaced: true },
  Event: { groups: ["", "events.k8s.io"], namespaced: true },
  LimitRange: { groups: CORE, namespaced: true },
  ResourceQuota: { groups: CORE, namespaced: true },
  PersistentVolumeClaim: { groups: CORE, namespaced: true },
  Namespace: { groups: CORE, namespaced: false },
  Node: { groups: CORE, namespaced: false },
  PersistentVolume: { groups: CORE, namespaced: false },
  // apps, batch
  Deployment: { groups: ["apps", "extensions"], namespaced: true },
  ReplicaSet: { groups: ["apps", "extensions"], namespaced: true },
  StatefulSet: { groups: ["apps"], namespaced: true },
  DaemonSet: { groups: ["apps", "extensions"], namespaced: true },
  ControllerRevision: { groups: ["apps"], namespaced: true },
  Job: { groups: ["batch"], namespaced: true },
  CronJob: { groups: ["batch"], namespaced: true },
  // networking
  NetworkPolicy: { groups: ["networking.k8s.io", "extensions"], namespaced: true },
  Ingress: { groups: ["networking.k8s.io", "extensions"], namespaced: true },
  IngressClass: { groups: ["networking.k8s.io"], namespaced: false },
  EndpointSlice: { groups: ["discovery.k8s.io"], namespaced: true },
  // rbac
  Role: { groups: ["rbac.authorization.k8s.io"], namespaced: true },
  RoleBinding: { groups: ["rbac.authorization.k8s.io"], namespaced: true },
  ClusterRole: { groups: ["rbac.authorization.k8s.io"], namespaced: false },
  ClusterRoleBinding: { groups: ["rbac.authorization.k8s.io"], namespaced: false },
  // policy, scheduling, autoscaling, storage, node, coordination
  PodDisruptionBudget: { groups: ["policy"], namespaced: true },
  PriorityClass: { groups: ["scheduling.k8s.io"], namespaced: false },
  PodSecurityPolicy: { groups: ["policy", "extensions"], namespaced: false },
  FlowSchema: { groups: ["flowcontrol.apiserver.k8s.io"], namespaced: false },
  PriorityLevelConfiguration: { groups: ["flowcontrol.apiserver.k8s.io"], namespaced: false },
  TokenReview: { groups: ["authentication.k8s.io"], namespaced: false },
  SubjectAccessReview: { groups: ["authorization.k8s.io"], namespaced: false },
  SelfSubjectAccessReview: { groups: ["authorization.k8s.io"], namespaced: false },
  LocalSubjectAccessReview: { groups: ["authorization.k8s.io"], namespaced: true },
  HorizontalPodAutoscaler: { groups: ["autoscaling"], namespaced: true },
  StorageClass: { groups: ["storage.k8s.io"], namespaced: false },
  CSINode: { groups: ["storage.k8s.io"], namespaced: false },
  CSIStorageCapacity: { groups: ["storage.k8s.io"], namespaced: true },
  CSIDriver: { groups: ["storage.k8s.io"], namespaced: false },
  VolumeAttachment: { groups: ["storage.k8s.io"], namespaced: false },
  RuntimeClass: { groups: ["node.k8s.io"], namespaced: false },
  Lease: { groups: ["coordination.k8s.io"], namespaced: true },
  // admission, apiextensions, certificates
  ValidatingWebhookConfiguration: { groups: ["admissionregistration.k8s.io"], namespaced: false },
  MutatingWebhookConfiguration: { groups: ["admissionregistration.k8s.io"], namespaced: false },
  ValidatingAdmissionPolicy: { groups: ["admissionregistration.k8s.io"], namespaced: false },
  ValidatingAdmissionPolicyBinding: { groups: ["admissionregistration.k8s.io"], namespaced: false },
  MutatingAdmissionPolicy: { groups: ["admissionregistration.k8s.io"], namespaced: false },
  MutatingAdmissionPolicyBinding: { groups: ["admissionregistration.k8s.io"], namespaced: false },
  CustomResourceDefinition: { groups: ["apiextensions.k8s.io"], namespaced: false },
  APIService: { groups: ["apiregistration.k8s.io"], namespaced: false },
  CertificateSigningRequest: { groups: ["certificates.k8s.io"], namespaced: false },
};

/** Every built-in kind Palisade knows, in no particular order. */
export const BUILTIN_KINDS: readonly string[] = Object.keys(kinds);

/** The namespaced built-in kinds that are stored objects (review requests are not: nothing lands anywhere). */
export const NAMESPACED_KINDS: readonly string[] = BUILTIN_KINDS.filter(
  (k) => kinds[k]?.namespaced === true && !k.endsWith("Review"),
);

/** The API group of an apiVersion: "" for "v1", "apps" for "apps/v1". */
export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf("/");
  return slash < 0 ? "" : apiVersion.slice(0, slash);
}

/** kindInfo by kind, then apiVersion: asked for several times per object, answered once per pair. */
const infoCache = new Map<string, Map<string, KindInfo | null>>();

export function kindInfo(object: KubeObject): KindInfo | undefined {
  const kind = object.kind;
  const apiVersion = object.apiVersion;
  if (typeof kind !== "string" || typeof apiVersion !== "string") return undefined;
  let byVersion = infoCache.get(kind);
  if (byVersion === undefined) {
    byVersion = new Map();
    if (infoCache.size < 10_000) infoCache.set(kind, byVersion);
  }
  let info = byVersion.get(apiVersion);
  if (info === undefined) {
    const known = Object.prototype.hasOwnProperty.call(kinds, kind) ? kinds[kind] : undefined;
    info = known !== undefined && known.groups.includes(apiGroup(apiVersion)) ? known : null;
    if (byVersion.size < 100) byVersion.set(apiVersion, info);
  }
  return info ?? undefined;
}

export function isBuiltinKind(object: KubeObject): boolean {
  return kindInfo(object) !== undefined;
}

/** Namespaced built-in kinds; undefined for unknown kinds. */
export function isNamespaced(object: KubeObject): boolean | undefined {
  return kindInfo(object)?.namespaced;
}

export function resourceRef(object: KubeObject): ResourceRef {
  const meta = object.metadata;
  const ref: ResourceRef = {
    apiVersion: typeof object.apiVersion === "string" ? object.apiVersion : "",
    kind: typeof object.kind === "string" ? object.kind : "",
  };
  if (meta !== undefined && meta !== null && typeof meta === "object") {
    if (typeof meta.namespace === "string") ref.namespace = meta.namespace;
    if (typeof meta.name === "string") ref.name = meta.name;
  }
  return ref;
}

/** `Kind namespace/name` (or `Kind name` for cluster-scoped objects) for messages. */
export function describe(ref: ResourceRef): string {
  const name = ref.name ?? "(unnamed)";
  return ref.namespace !== undefined ? `${ref.kind} ${ref.namespace}/${name}` : `${ref.kind} ${name}`;
}
