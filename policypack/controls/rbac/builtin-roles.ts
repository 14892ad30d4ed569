/**
 * The built-in ClusterRoles a manifest set never declares but bindings reference, modelled with
 * their real rules (kubernetes plugin/pkg/auth/authorizer/rbac/bootstrappolicy, testdata
 * cluster-roles.yaml) so that binding a workload's ServiceAccount to `edit` is seen to grant
 * Secrets, exec and pod creation. admin/edit/view are aggregated exactly as the controller does:
 * from every ClusterRole labelled aggregate-to-<name>, which includes edit (→ admin) and view (→ edit).
 */
import type { KubeObject } from "../../engine/types";

export const AGGREGATE_LABEL_PREFIX = "rbac.authorization.k8s.io/aggregate-to-";

const WRITE = ["create", "delete", "deletecollection", "patch", "update"];
const READ = ["get", "list", "watch"];

interface RuleSpec {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

const r = (apiGroups: string[], resources: string[], verbs: string[]): RuleSpec => ({ apiGroups, resources, verbs });

const AGGREGATE_TO_VIEW: readonly RuleSpec[] = [
  // Measured against a real 1.35 kube-apiserver (test/cluster/rbac-agreement.test.ts): these are
  // in the bootstrap roles of 1.35 and were missing from the older test data.
  r(["events.k8s.io"], ["events"], READ),
  r(["resource.k8s.io"], ["resourceclaims", "resourceclaims/status", "resourceclaimtemplates"], READ),
  r(
    [""],
    [
      "configmaps",
      "endpoints",
      "persistentvolumeclaims",
      "persistentvolumeclaims/status",
      "pods",
      "replicationcontrollers",
      "replicationcontrollers/scale",
      "serviceaccounts",
      "services",
      "services/status",
    ],
    READ,
  ),
  r(
    [""],
    [
      "bindings",
      "events",
      "limitranges",
      "namespaces/status",
      "pods/log",
      "pods/status",
      "replicationcontrollers/status",
      "resourcequotas",
      "resourcequotas/status",
    ],
    READ,
  ),
  r([""], ["namespaces"], READ),
  r(["discovery.k8s.io"], ["endpointslices"], READ),
  r(
    ["apps"],
    [
      "controllerrevisions",
      "daemonsets",
      "daemonsets/status",
      "deployments",
      "deployments/scale",
      "deployments/status",
      "replicasets",
      "replicasets/scale",
      "replicasets/status",
      "statefulsets",
      "statefulsets/scale",
      "statefulsets/status",
    ],
    READ,
  ),
  r(["autoscaling"], ["horizontalpodautoscalers", "horizontalpodautoscalers/status"], READ),
  r(["batch"], ["cronjobs", "cronjobs/status", "jobs", "jobs/status"], READ),
  r(
    ["extensions"],
    [
      "daemonsets",
      "daemonsets/status",
      "deployments",
      "deployments/scale",
      "deployments/status",
      "ingresses",
      "ingresses/status",
      "networkpolicies",
      "replicasets",
      "replicasets/scale",
      "replicasets/status",
      "replicationcontrollers/scale",
    ],
    READ,
  ),
  r(["policy"], ["poddisruptionbudgets", "poddisruptionbudgets/status"], READ),
  r(["networking.k8s.io"], ["ingresses", "ingresses/status", "networkpolicies"], READ),
];

const AGGREGATE_TO_EDIT: readonly RuleSpec[] = [
  r(["events.k8s.io"], ["events"], WRITE),
  r(["resource.k8s.io"], ["resourceclaims", "resourceclaimtemplates"], WRITE),
  r([""], ["pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "secrets", "services/proxy"], READ),
  r([""], ["serviceaccounts"], ["impersonate"]),
  r([""], ["pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy"], WRITE),
  r([""], ["pods/eviction"], ["create"]),
  r(
    [""],
    [
      "configmaps",
      "events",
      "persistentvolumeclaims",
      "replicationcontrollers",
      "replicationcontrollers/scale",
      "secrets",
      "serviceaccounts",
      "services",
      "services/proxy",
    ],
    WRITE,
  ),
  r([""], ["serviceaccounts/token"], ["create"]),
  r(
    ["apps"],
    [
      "daemonsets",
      "deployments",
      "deployments/rollback",
      "deployments/scale",
      "replicasets",
      "replicasets/scale",
      "statefulsets",
      "statefulsets/scale",
    ],
    WRITE,
  ),
  r(["autoscaling"], ["horizontalpodautoscalers"], WRITE),
  r(["batch"], ["cronjobs", "jobs"], WRITE),
  r(
    ["extensions"],
    [
      "daemonsets",
      "deployments",
      "deployments/rollback",
      "deployments/scale",
      "ingresses",
      "networkpolicies",
      "replicasets",
      "replicasets/scale",
      "replicationcontrollers/scale",
    ],
    WRITE,
  ),
  r(["policy"], ["poddisruptionbudgets"], WRITE),
  r(["networking.k8s.io"], ["ingresses", "networkpolicies"], WRITE),
  r(["coordination.k8s.io"], ["leases"], [...WRITE, ...READ]),
];

const AGGREGATE_TO_ADMIN: readonly RuleSpec[] = [
  r(["authorization.k8s.io"], ["localsubjectaccessreviews"], ["create"]),
  r(["rbac.authorization.k8s.io"], ["rolebindings", "roles"], [...WRITE, ...READ]),
];

function clusterRole(
  name: string,
  labels: Record<string, string>,
  rules: readonly RuleSpec[] | undefined,
  aggregateFrom?: string,
): KubeObject {
  const object: KubeObject = {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRole",
    metadata: { name, labels: { "kubernetes.io/bootstrapping": "rbac-defaults", ...labels } },
  };
  if (rules !== undefined) object["rules"] = rules.map((rule) => ({ ...rule }));
  if (aggregateFrom !== undefined)
    object["aggregationRule"] = {
      clusterRoleSelectors: [{ matchLabels: { [`${AGGREGATE_LABEL_PREFIX}${aggregateFrom}`]: "true" } }],
    };
  return object;
}

const label = (target: string): Record<string, string> => ({ [`${AGGREGATE_LABEL_PREFIX}${target}`]: "true" });

/** The built-in ClusterRoles whose rules Palisade models, as the objects the API server holds. */
export const BUILTIN_CLUSTER_ROLES: readonly KubeObject[] = [
  clusterRole("cluster-admin", {}, [r(["*"], ["*"], ["*"])]),
  clusterRole("admin", {}, undefined, "admin"),
  clusterRole("edit", label("admin"), undefined, "edit"),
  clusterRole("view", label("edit"), undefined, "view"),
  clusterRole("system:aggregate-to-admin", label("admin"), AGGREGATE_TO_ADMIN),
  clusterRole("system:aggregate-to-edit", label("edit"), AGGREGATE_TO_EDIT),
  clusterRole("system:aggregate-to-view", label("view"), AGGREGATE_TO_VIEW),
];

/** The user-facing built-in roles a custom ClusterRole can aggregate into (RBAC-024). */
export const AGGREGATION_TARGETS: readonly string[] = ["view", "edit", "admin"];

/**
 * Every ClusterRole the API server creates at start-up in Kubernetes 1.35 (k8s.io/kubernetes
 * v1.35.8 plugin/pkg/auth/authorizer/rbac/bootstrappolicy/testdata: cluster-roles.yaml,
 * controller-roles.yaml, and cluster-roles-featuregates.yaml for the roles behind feature gates).
 * Exact names: a binding to any other `system:` name is as dangling as any other.
 */
export const BOOTSTRAP_CLUSTER_ROLES: ReadonlySet<string> = new Set([
  "admin",
  "cluster-admin",
  "edit",
  "system:aggregate-to-admin",
  "system:aggregate-to-edit",
  "system:aggregate-to-view",
  "system:auth-delegator",
  "system:basic-user",
  "system:certificates.k8s.io:certificatesigningrequests:nodeclient",
  "system:certificates.k8s.io:certificatesigningrequests:selfnodeclient",
  "system:certificates.k8s.io:kube-apiserver-client-approver",
  "system:certificates.k8s.io:kube-apiserver-client-kubelet-approver",
  "system:certificates.k8s.io:kubelet-serving-approver",
  "system:certificates.k8s.io:legacy-unknown-approver",
  "system:cluster-trust-bundle-discovery",
  "system:controller:attachdetach-controller",
  "system:controller:certificate-controller",
  "system:controller:clusterrole-aggregation-controller",
  "system:controller:cronjob-controller",
  "system:controller:daemon-set-controller",
  "system:controller:deployment-controller",
  "system:controller:disruption-controller",
  "system:controller:endpoint-controller",
  "system:controller:endpointslice-controller",
  "system:controller:endpointslicemirroring-controller",
  "system:controller:ephemeral-volume-controller",
  "system:controller:expand-controller",
  "system:controller:generic-garbage-collector",
  "system:controller:horizontal-pod-autoscaler",
  "system:controller:job-controller",
  "system:controller:legacy-service-account-token-cleaner",
  "system:controller:namespace-controller",
  "system:controller:node-controller",
  "system:controller:persistent-volume-binder",
  "system:controller:pod-garbage-collector",
  "system:controller:pv-protection-controller",
  "system:controller:pvc-protection-controller",
  "system:controller:replicaset-controller",
  "system:controller:replication-controller",
  "system:controller:resource-claim-controller",
  "system:controller:resourcequota-controller",
  "system:controller:root-ca-cert-publisher",
  "system:controller:route-controller",
  "system:controller:selinux-warning-controller",
  "system:controller:service-account-controller",
  "system:controller:service-cidrs-controller",
  "system:controller:service-controller",
  "system:controller:statefulset-controller",
  "system:controller:ttl-after-finished-controller",
  "system:controller:ttl-controller",
  "system:controller:validatingadmissionpolicy-status-controller",
  "system:controller:volumeattributesclass-protection-controller",
  "system:discovery",
  "system:heapster",
  "system:kube-aggregator",
  "system:kube-controller-manager",
  "system:kube-dns",
  "system:kube-scheduler",
  "system:kubelet-api-admin",
  "system:monitoring",
  "system:node",
  "system:node-bootstrapper",
  "system:node-problem-detector",
  "system:node-proxier",
  "system:persistent-volume-provisioner",
  "system:public-info-viewer",
  "system:service-account-issuer-discovery",
  "system:volume-scheduler",
  "view",
]);

/**
 * The namespaced Roles the API server creates at start-up in 1.35 (namespace-roles.yaml), as
 * "<namespace>/<name>": every aggregated API server binds kube-system's
 * extension-apiserver-authentication-reader to read the front proxy's client CA.
 */
export const BOOTSTRAP_ROLES: ReadonlySet<string> = new Set([
  "kube-public/system:controller:bootstrap-signer",
  "kube-system/extension-apiserver-authentication-reader",
  "kube-system/system::leader-locking-kube-controller-manager",
  "kube-system/system::leader-locking-kube-scheduler",
  "kube-system/system:controller:bootstrap-signer",
  "kube-system/system:controller:cloud-provider",
  "kube-system/system:controller:token-cleaner",
]);

/** Whether a ClusterRole of this name exists in every 1.35 cluster without being declared. */
export function isBuiltinClusterRoleName(name: string): boolean {
  return BOOTSTRAP_CLUSTER_ROLES.has(name);
}

/** Whether a Role of this name exists in this namespace of every 1.35 cluster. */
export function isBuiltinRole(namespace: string, name: string): boolean {
  return BOOTSTRAP_ROLES.has(`${namespace}/${name}`);
}
