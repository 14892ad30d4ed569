/**
 * The sensitive capabilities of the RBAC rows, as requests in their real API groups. One table:
 * the role controls, the aggregation check (RBAC-024) and the workload check (RBAC-029) all read it.
 */
import { ANY_VERB, RBAC_GROUP, type Sensitive } from "./rules";

const CORE = [""];
const RBAC = [RBAC_GROUP];
const WRITE = ["create", "update", "patch", "delete", "deletecollection"];

/**
 * RBAC-006. list and watch return whole objects, so they disclose Secret data as get does. A rule
 * limited by resourceNames reads only the Secrets it names (list and watch too: the authorizer
 * lets them through only for a request that names one object): that is the remediation, not a
 * finding.
 */
export const SECRETS_READ: Sensitive = {
  catalog: "RBAC-006",
  what: "read Secret contents",
  permissions: [{ verbs: ["get", "list", "watch"], groups: CORE, resources: ["secrets"] }],
  named: "exclude",
};

/** RBAC-007. Every controller that stamps out pods, in every group that has served it. */
export const POD_CREATION: Sensitive = {
  catalog: "RBAC-007",
  what: "create pods, which can mount any Secret and run as any ServiceAccount of the namespace",
  permissions: [
    { verbs: ["create"], groups: CORE, resources: ["pods", "replicationcontrollers"] },
    { verbs: ["create"], groups: ["apps", "extensions"], resources: ["deployments", "replicasets", "daemonsets"] },
    { verbs: ["create"], groups: ["apps"], resources: ["statefulsets"] },
    { verbs: ["create"], groups: ["batch"], resources: ["jobs", "cronjobs"] },
  ],
};

/**
 * RBAC-008. WebSocket upgrades were authorized as `get` until the 1.35
 * AuthorizePodWebsocketUpgradeCreatePermission gate, so `get` is exec too. Adding an ephemeral
 * container runs a command of one's choosing in the pod, with its token: exec by another door.
 */
export const POD_EXEC: Sensitive = {
  catalog: "RBAC-008",
  what: "exec, attach or port-forward into containers",
  permissions: [
    { verbs: ["get", "create"], groups: CORE, resources: ["pods/exec", "pods/attach", "pods/portforward"] },
    { verbs: ["update", "patch"], groups: CORE, resources: ["pods/ephemeralcontainers"] },
  ],
};

/** RBAC-009. Updating a ClusterRole is cluster-wide, so a RoleBinding cannot grant that half. */
export const ESCALATE: Sensitive = {
  catalog: "RBAC-009",
  what: "write roles with permissions the subject does not hold",
  permissions: [
    { verbs: ["escalate"], groups: RBAC, resources: ["roles"] },
    { verbs: ["escalate"], groups: RBAC, resources: ["clusterroles"], clusterScoped: true },
  ],
};

/**
 * RBAC-010. `bind` is authorized against the role a binding references (roles/clusterroles), never
 * against bindings; binding a ClusterRole in a RoleBinding is checked in that namespace.
 */
export const BIND: Sensitive = {
  catalog: "RBAC-010",
  what: "bind roles with permissions the subject does not hold",
  permissions: [{ verbs: ["bind"], groups: RBAC, resources: ["roles", "clusterroles"] }],
};

/** RBAC-011. users/groups/serviceaccounts live in the core group, uids/userextras in authentication.k8s.io. */
export const IMPERSONATE: Sensitive = {
  catalog: "RBAC-011",
  what: "impersonate other identities",
  permissions: [
    {
      verbs: ["impersonate"],
      groups: ["", "authentication.k8s.io"],
      resources: ["users", "groups", "uids", "userextras/*"],
      clusterScoped: true,
    },
    { verbs: ["impersonate"], groups: ["", "authentication.k8s.io"], resources: ["serviceaccounts"] },
  ],
};

/** RBAC-012. */
export const BINDING_WRITES: Sensitive = {
  catalog: "RBAC-012",
  what: "write role bindings",
  permissions: [
    { verbs: ["create", "update", "patch"], groups: RBAC, resources: ["rolebindings"] },
    { verbs: ["create", "update", "patch"], groups: RBAC, resources: ["clusterrolebindings"], clusterScoped: true },
  ],
};

/** RBAC-013. A GET on nodes/proxy reaches the kubelet's exec and run endpoints. */
export const NODES_PROXY: Sensitive = {
  catalog: "RBAC-013",
  what: "reach the kubelet API, including exec in every pod of the node",
  permissions: [{ verbs: [ANY_VERB], groups: CORE, resources: ["nodes/proxy"], clusterScoped: true }],
};

/** RBAC-014. */
export const PV_CREATION: Sensitive = {
  catalog: "RBAC-014",
  what: "create PersistentVolumes, which can expose host paths",
  permissions: [{ verbs: ["create"], groups: CORE, resources: ["persistentvolumes"], clusterScoped: true }],
};

/** RBAC-015. */
export const CSR_APPROVAL: Sensitive = {
  catalog: "RBAC-015",
  what: "approve certificate signing requests",
  permissions: [
    {
      verbs: ["update", "patch"],
      groups: ["certificates.k8s.io"],
      resources: ["certificatesigningrequests/approval"],
      clusterScoped: true,
    },
    { verbs: ["approve"], groups: ["certificates.k8s.io"], resources: ["signers"], clusterScoped: true },
  ],
};

const ADMISSION_PERMISSIONS: Sensitive["permissions"] = [
  {
    verbs: WRITE,
    groups: ["admissionregistration.k8s.io"],
    resources: [
      "validatingwebhookconfigurations",
      "mutatingwebhookconfigurations",
      "validatingadmissionpolicies",
      "validatingadmissionpolicybindings",
      "mutatingadmissionpolicies",
      "mutatingadmissionpolicybindings",
    ],
    clusterScoped: true,
  },
];

/**
 * RBAC-016. Admission policies and their bindings switch policy off as surely as webhooks do.
 * Rules limited by resourceNames are ADMISSION_WRITES_NAMED's: a webhook server keeping the
 * caBundle of its own configuration current is not a subject that can rewrite any policy.
 */
export const ADMISSION_WRITES: Sensitive = {
  catalog: "RBAC-016",
  what: "write admission configuration",
  permissions: ADMISSION_PERMISSIONS,
  named: "exclude",
};

/**
 * RBAC-016, limited by resourceNames: the subject can still rewrite the objects it names (widen a
 * mutating webhook's rules to every pod, set failurePolicy: Ignore), but no other configuration.
 */
export const ADMISSION_WRITES_NAMED: Sensitive = {
  catalog: "RBAC-016",
  what: "rewrite the admission configuration objects it names",
  permissions: ADMISSION_PERMISSIONS,
  named: "only",
};

/** RBAC-017. */
export const SA_TOKEN_CREATION: Sensitive = {
  catalog: "RBAC-017",
  what: "mint ServiceAccount tokens",
  permissions: [{ verbs: ["create"], groups: CORE, resources: ["serviceaccounts/token"] }],
};

/** RBAC-025. */
export const GUARDRAIL_WRITES: Sensitive = {
  catalog: "RBAC-025",
  what: "modify NetworkPolicies, ResourceQuotas or LimitRanges",
  permissions: [
    { verbs: WRITE, groups: ["networking.k8s.io", "extensions"], resources: ["networkpolicies"] },
    { verbs: WRITE, groups: CORE, resources: ["resourcequotas", "limitranges"] },
  ],
};

/**
 * RBAC-026. A request on a Namespace is authorized in that namespace, so a RoleBinding in `team-a`
 * with update on namespaces lets its subjects relabel Namespace team-a (and lower its PSA level).
 */
export const NAMESPACE_UPDATE: Sensitive = {
  catalog: "RBAC-026",
  what: "update Namespaces, including their Pod Security Admission labels",
  permissions: [{ verbs: ["update", "patch"], groups: CORE, resources: ["namespaces"] }],
};

/** RBAC-027. */
export const DESTRUCTIVE: Sensitive = {
  catalog: "RBAC-027",
  what: "delete audit evidence",
  permissions: [
    { verbs: ["delete", "deletecollection"], groups: ["", "events.k8s.io"], resources: ["events"] },
    { verbs: ["delete", "deletecollection"], groups: CORE, resources: ["pods/log"] },
  ],
};

/** RBAC-028. */
export const CONFIGMAP_WRITES: Sensitive = {
  catalog: "RBAC-028",
  what: "rewrite ConfigMaps such as coredns and aws-auth",
  permissions: [{ verbs: ["update", "patch"], groups: CORE, resources: ["configmaps"] }],
};

/** RBAC-006…017: what a workload's service account must not hold (RBAC-029). */
export const PRIVILEGED: readonly Sensitive[] = [
  SECRETS_READ,
  POD_CREATION,
  POD_EXEC,
  ESCALATE,
  BIND,
  IMPERSONATE,
  BINDING_WRITES,
  NODES_PROXY,
  PV_CREATION,
  CSR_APPROVAL,
  ADMISSION_WRITES,
  SA_TOKEN_CREATION,
];

/** Everything sensitive, for the aggregation check (RBAC-024). */
export const ALL_SENSITIVE: readonly Sensitive[] = [
  ...PRIVILEGED,
  GUARDRAIL_WRITES,
  NAMESPACE_UPDATE,
  DESTRUCTIVE,
  CONFIGMAP_WRITES,
];
