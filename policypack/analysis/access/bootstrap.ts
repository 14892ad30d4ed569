/**
 * What a kube-apiserver creates at start-up that decides ordinary subjects' access
 * (plugin/pkg/auth/authorizer/rbac/bootstrappolicy, 1.35): the user-facing ClusterRoles the
 * catalog already models (cluster-admin, admin/edit/view and their aggregate-to-* parts), the
 * roles every authenticated identity holds, and the ClusterRoleBindings that give them to
 * system:authenticated, system:unauthenticated, system:serviceaccounts and system:masters.
 * The control plane's own roles and bindings (controllers, scheduler, kube-proxy, nodes) are in
 * bootstrap-control-plane.ts, read from a real server.
 */
import { BUILTIN_CLUSTER_ROLES } from "../../controls/rbac/builtin-roles";
import type { KubeObject } from "../../engine/types";
import { CONTROL_PLANE_BOOTSTRAP } from "./bootstrap-control-plane";
import { ALL_SERVICE_ACCOUNTS, AUTHENTICATED, MASTERS, UNAUTHENTICATED } from "./types";

const RBAC_V1 = "rbac.authorization.k8s.io/v1";
const BOOTSTRAP_LABELS = { "kubernetes.io/bootstrapping": "rbac-defaults" };

interface RuleSpec {
  readonly apiGroups?: readonly string[];
  readonly resources?: readonly string[];
  readonly nonResourceURLs?: readonly string[];
  readonly verbs: readonly string[];
}

function clusterRole(name: string, rules: readonly RuleSpec[]): KubeObject {
  return {
    apiVersion: RBAC_V1,
    kind: "ClusterRole",
    metadata: { name, labels: { ...BOOTSTRAP_LABELS } },
    rules: rules.map((r) => ({ ...r })),
  };
}

function clusterRoleBinding(name: string, role: string, groups: readonly string[]): KubeObject {
  return {
    apiVersion: RBAC_V1,
    kind: "ClusterRoleBinding",
    metadata: { name, labels: { ...BOOTSTRAP_LABELS } },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role },
    subjects: groups.map((g) => ({ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: g })),
  };
}

const get = ["get"];

/** Bootstrap ClusterRoles beyond the catalog's built-ins, with their 1.35 rules. */
const EXTRA_ROLES: readonly KubeObject[] = [
  // Every authenticated identity may ask what it may do, and who it is.
  clusterRole("system:basic-user", [
    {
      apiGroups: ["authorization.k8s.io"],
      resources: ["selfsubjectaccessreviews", "selfsubjectrulesreviews"],
      verbs: ["create"],
    },
    { apiGroups: ["authentication.k8s.io"], resources: ["selfsubjectreviews"], verbs: ["create"] },
  ]),
  clusterRole("system:discovery", [
    {
      nonResourceURLs: [
        "/api",
        "/api/*",
        "/apis",
        "/apis/*",
        "/healthz",
        "/livez",
        "/openapi",
        "/openapi/*",
        "/readyz",
        "/version",
        "/version/",
      ],
      verbs: get,
    },
  ]),
  clusterRole("system:public-info-viewer", [
    { nonResourceURLs: ["/healthz", "/livez", "/readyz", "/version", "/version/"], verbs: get },
  ]),
  clusterRole("system:service-account-issuer-discovery", [
    {
      nonResourceURLs: [
        "/.well-known/openid-configuration",
        "/.well-known/openid-configuration/",
        "/openid/v1/jwks",
        "/openid/v1/jwks/",
      ],
      verbs: get,
    },
  ]),
  clusterRole("system:monitoring", [
    {
      nonResourceURLs: [
        "/healthz",
        "/healthz/*",
        "/livez",
        "/livez/*",
        "/metrics",
        "/metrics/slis",
        "/readyz",
        "/readyz/*",
      ],
      verbs: get,
    },
    { apiGroups: [""], resources: ["nodes/metrics"], verbs: get },
  ]),
  // Often bound by extension API servers and webhooks that delegate authentication.
  clusterRole("system:auth-delegator", [
    { apiGroups: ["authentication.k8s.io"], resources: ["tokenreviews"], verbs: ["create"] },
    { apiGroups: ["authorization.k8s.io"], resources: ["subjectaccessreviews"], verbs: ["create"] },
  ]),
];

/** The bootstrap ClusterRoles whose rules are modelled. */
export const BOOTSTRAP_CLUSTER_ROLE_OBJECTS: readonly KubeObject[] = [...BUILTIN_CLUSTER_ROLES, ...EXTRA_ROLES];

/** The bootstrap ClusterRoleBindings that grant ordinary subjects. */
export const BOOTSTRAP_CLUSTER_ROLE_BINDINGS: readonly KubeObject[] = [
  clusterRoleBinding("cluster-admin", "cluster-admin", [MASTERS]),
  clusterRoleBinding("system:basic-user", "system:basic-user", [AUTHENTICATED]),
  clusterRoleBinding("system:discovery", "system:discovery", [AUTHENTICATED]),
  clusterRoleBinding("system:public-info-viewer", "system:public-info-viewer", [AUTHENTICATED, UNAUTHENTICATED]),
  clusterRoleBinding("system:service-account-issuer-discovery", "system:service-account-issuer-discovery", [
    ALL_SERVICE_ACCOUNTS,
  ]),
  clusterRoleBinding("system:monitoring", "system:monitoring", ["system:monitoring"]),
];

const controlPlane = (kind: string): KubeObject[] => CONTROL_PLANE_BOOTSTRAP.filter((o) => o.kind === kind);

/** The control plane's bootstrap ClusterRoles (their rules as a 1.35 server holds them). */
export const CONTROL_PLANE_CLUSTER_ROLES: readonly KubeObject[] = controlPlane("ClusterRole");
/** The bootstrap Roles of kube-system and kube-public. */
export const BOOTSTRAP_ROLE_OBJECTS: readonly KubeObject[] = controlPlane("Role");
/** The bootstrap bindings of the control plane's own identities. */
export const CONTROL_PLANE_BINDINGS: readonly KubeObject[] = [
  ...controlPlane("ClusterRoleBinding"),
  ...controlPlane("RoleBinding"),
];
