/**
 * "Can become" edges between subjects, and who reaches cluster-admin-equivalent through them.
 * Each edge is a permission the authorizer grants (asked through `can`, so it has the server's
 * semantics), with the binding → role → rule chain behind it:
 * - creating pods or pod controllers in a namespace → every ServiceAccount of that namespace;
 * - exec/attach/ephemeral containers in a namespace → the ServiceAccounts its pods run as;
 * - impersonating users, groups or ServiceAccounts → those identities (groups: system:masters);
 * - bind or escalate on roles plus writing bindings or roles → any role there;
 * - creating serviceaccounts/token → that ServiceAccount;
 * - reading Secrets → the ServiceAccounts whose legacy token Secrets are in the set.
 * Any of these in kube-system, or cluster-wide, is cluster-admin-equivalent: kube-system's
 * controller ServiceAccounts (clusterrole-aggregation-controller escalates, the workload
 * controllers create pods everywhere) are one step from everything.
 */
import type { AccessModel } from "./model";
import { identityOf, MASTERS, subjectKey, type AccessGrant, type SubjectRef } from "./types";

/** The node every admin-equivalent path ends at. */
export const CLUSTER_ADMIN = "cluster-admin-equivalent";

/** What kind of step an edge is: bounded ones reach named identities, unbounded ones anything in their scope. */
export type EdgeKind =
  "pod-creation" | "pod-entry" | "any-role" | "impersonate" | "token" | "secret" | "masters" | "cluster";

export interface EscalationEdge {
  readonly kind: EdgeKind;
  /** subjectKey of the subject that can become `to`. */
  readonly from: string;
  /** subjectKey of the subject it becomes, or CLUSTER_ADMIN. */
  readonly to: string;
  /** The permission, e.g. `create pods in "team-a"`. */
  readonly permission: string;
  /** How it becomes `to`, e.g. "runs a pod as it". */
  readonly how: string;
  /** The grant behind it (absent for system:masters, which is not RBAC). */
  readonly grant?: AccessGrant;
}

export interface EscalationPath {
  readonly subject: SubjectRef;
  /** Edges from the subject to CLUSTER_ADMIN, shortest first found. */
  readonly edges: readonly EscalationEdge[];
}

export interface EscalationGraph {
  readonly edges: readonly EscalationEdge[];
  /** Subjects that reach cluster-admin-equivalent, with one shortest path each. */
  readonly adminEquivalent: readonly EscalationPath[];
  /** The edges leaving one subject. */
  edgesFrom(key: string): readonly EscalationEdge[];
  /** One shortest path from a subject to a target key (CLUSTER_ADMIN or a subject key), if any. */
  pathTo(from: string, to: string): readonly EscalationEdge[] | undefined;
}

const KUBE_SYSTEM = "kube-system";
/** A namespace name no object can have: asks "what do ClusterRoleBindings grant in any namespace". */
export const ANY_NAMESPACE = "\u0000any";

interface Ask {
  readonly verb: string;
  readonly apiGroup: string;
  readonly resource: string;
  readonly subresource?: string;
  readonly name?: string;
}

const POD_CREATION: readonly Ask[] = [
  { verb: "create", apiGroup: "", resource: "pods" },
  { verb: "create", apiGroup: "", resource: "replicationcontrollers" },
  { verb: "create", apiGroup: "apps", resource: "deployments" },
  { verb: "create", apiGroup: "apps", resource: "replicasets" },
  { verb: "create", apiGroup: "apps", resource: "daemonsets" },
  { verb: "create", apiGroup: "apps", resource: "statefulsets" },
  { verb: "create", apiGroup: "batch", resource: "jobs" },
  { verb: "create", apiGroup: "batch", resource: "cronjobs" },
];

// WebSocket exec was authorized as get until 1.35; patching ephemeralcontainers runs a command too.
const POD_ENTRY: readonly Ask[] = [
  { verb: "create", apiGroup: "", resource: "pods", subresource: "exec" },
  { verb: "get", apiGroup: "", resource: "pods", subresource: "exec" },
  { verb: "create", apiGroup: "", resource: "pods", subresource: "attach" },
  { verb: "patch", apiGroup: "", resource: "pods", subresource: "ephemeralcontainers" },
  { verb: "update", apiGroup: "", resource: "pods", subresource: "ephemeralcontainers" },
];

/** Every resource an escalation step is asked about: a subject whose rules name none of them (nor `*`) has no step. */
const ESCALATION_RESOURCES: ReadonlySet<string> = new Set([
  ...[...POD_CREATION, ...POD_ENTRY].map((a) =>
    a.subresource !== undefined ? `${a.resource}/${a.subresource}` : a.resource,
  ),
  "roles",
  "clusterroles",
  "rolebindings",
  "clusterrolebindings",
  "serviceaccounts",
  "serviceaccounts/token",
  "users",
  "groups",
  "secrets",
  "nodes/proxy",
]);

const READS = new Set(["get", "list", "watch"]);
/** Read-only rules step only through what a read discloses: Secrets, exec's WebSocket get, nodes/proxy. */
const READ_STEPS = new Set(["secrets", "pods/exec", "nodes/proxy"]);

/** Whether a rule could grant any escalation step (a cheap filter; `can` decides). */
function mayStep(verbs: readonly string[], resources: readonly string[]): boolean {
  const readOnly = verbs.every((v) => READS.has(v));
  return resources.some((r) =>
    readOnly
      ? READ_STEPS.has(r) || r === "*" || r === "*/exec" || r === "*/proxy"
      : ESCALATION_RESOURCES.has(r) || r.startsWith("*"),
  );
}

const describeAsk = (a: Ask): string =>
  `${a.verb} ${a.subresource !== undefined ? `${a.resource}/${a.subresource}` : a.resource}${a.apiGroup !== "" ? `.${a.apiGroup}` : ""}`;

export function buildEscalationGraph(model: AccessModel): EscalationGraph {
  const edges: EscalationEdge[] = [];
  const sas = model.known.serviceAccounts;
  const saKeys = (ns: string, names?: readonly string[]): string[] =>
    [...new Set([...(names ?? sas.get(ns) ?? []), ...(names === undefined ? ["default"] : [])])]
      .sort()
      .map((n) => subjectKey({ kind: "ServiceAccount", namespace: ns, name: n }));

  // Namespaces where each subject holds RoleBindings: only there (and through ClusterRoleBindings,
  // asked once as ANY_NAMESPACE) can it hold namespaced permissions.
  const rbNamespaces = new Map<string, Set<string>>();
  // Rule contents per subject, so the per-name questions below are asked only of subjects with a rule that could answer yes.
  const mentions = new Map<string, { users: string[]; secrets: boolean; any: boolean }>();
  for (const subject of model.subjects) {
    const set = new Set<string>();
    const m = { users: [] as string[], secrets: false, any: false };
    for (const p of model.permissionsOf(subject)) {
      if (p.scope !== "*") set.add(p.scope);
      if (mayStep(p.verbs, p.resources)) m.any = true;
      const anyResource = (r: string): boolean => p.resources.includes(r) || p.resources.includes("*");
      if (anyResource("users") && (p.verbs.includes("impersonate") || p.verbs.includes("*")))
        m.users.push(...p.resourceNames);
      if (anyResource("secrets")) m.secrets = true;
    }
    rbNamespaces.set(subjectKey(subject), set);
    mentions.set(subjectKey(subject), m);
  }

  for (const subject of model.subjects) {
    const from = subjectKey(subject);
    const identity = identityOf(subject);
    const ask = (a: Ask, namespace?: string): AccessGrant | undefined => {
      // Built field by field: this runs tens of thousands of times on a large set.
      const d = model.can({
        user: identity.user ?? "",
        groups: identity.groups,
        verb: a.verb,
        apiGroup: a.apiGroup,
        resource: a.resource,
        subresource: a.subresource,
        name: a.name,
        namespace,
      });
      return d.grants[0];
    };
    const edge = (
      kind: EdgeKind,
      to: string,
      permission: string,
      how: string,
      grant: AccessGrant | undefined,
    ): void => {
      if (to === from) return;
      edges.push({ kind, from, to, permission, how, ...(grant !== undefined ? { grant } : {}) });
    };
    if (identity.groups.includes(MASTERS)) {
      edge(
        "masters",
        CLUSTER_ADMIN,
        "member of system:masters",
        "the API server allows system:masters everything, before RBAC",
        undefined,
      );
      continue;
    }
    // A subject whose rules name none of the resources below has no step to take: skip the questions.
    if (mentions.get(from)?.any !== true) continue;
    const where = (ns: string): string => (ns === ANY_NAMESPACE ? "every namespace" : JSON.stringify(ns));
    const namespaces = [ANY_NAMESPACE, ...[...(rbNamespaces.get(from) ?? [])].sort()];
    for (const ns of namespaces) {
      const adminHere = ns === ANY_NAMESPACE || ns === KUBE_SYSTEM;
      const first = (asks: readonly Ask[]): { ask: Ask; grant: AccessGrant } | undefined => {
        for (const a of asks) {
          const g = ask(a, ns);
          if (g !== undefined) return { ask: a, grant: g };
        }
        return undefined;
      };
      const creates = first(POD_CREATION);
      if (creates !== undefined) {
        const perm = `${describeAsk(creates.ask)} in ${where(ns)}`;
        if (adminHere)
          edge(
            "pod-creation",
            CLUSTER_ADMIN,
            perm,
            "runs a pod as any kube-system controller ServiceAccount",
            creates.grant,
          );
        else for (const to of saKeys(ns)) edge("pod-creation", to, perm, "runs a pod as it", creates.grant);
      }
      const enters = first(POD_ENTRY);
      if (enters !== undefined) {
        const perm = `${describeAsk(enters.ask)} in ${where(ns)}`;
        if (adminHere) edge("pod-entry", CLUSTER_ADMIN, perm, "takes the token of a kube-system pod", enters.grant);
        else
          for (const to of saKeys(ns, model.known.podServiceAccounts.get(ns) ?? []))
            edge("pod-entry", to, perm, "takes the token of a pod running as it", enters.grant);
      }
      // bind: authorized against the role referenced; with a binding write it grants any role there.
      const bindingWrite = ask({ verb: "create", apiGroup: "rbac.authorization.k8s.io", resource: "rolebindings" }, ns);
      const bind =
        ask(
          { verb: "bind", apiGroup: "rbac.authorization.k8s.io", resource: "clusterroles", name: "cluster-admin" },
          ns,
        ) ?? ask({ verb: "bind", apiGroup: "rbac.authorization.k8s.io", resource: "roles" }, ns);
      const roleWrite = ask({ verb: "create", apiGroup: "rbac.authorization.k8s.io", resource: "roles" }, ns);
      const escalate = ask({ verb: "escalate", apiGroup: "rbac.authorization.k8s.io", resource: "roles" }, ns);
      const anyRole = (perm: string, grant: AccessGrant): void => {
        if (adminHere) edge("any-role", CLUSTER_ADMIN, perm, "grants itself any role there", grant);
        else
          for (const to of saKeys(ns))
            edge("any-role", to, perm, "grants itself any role there, pod creation included, and so runs as it", grant);
      };
      if (bind !== undefined && bindingWrite !== undefined)
        anyRole(`bind roles and create rolebindings in ${where(ns)}`, bind);
      else if (escalate !== undefined && roleWrite !== undefined)
        anyRole(`escalate and create roles in ${where(ns)}`, escalate);
      // Impersonating a ServiceAccount is asked in its namespace, on serviceaccounts (core group).
      const impersonateSa = ask({ verb: "impersonate", apiGroup: "", resource: "serviceaccounts" }, ns);
      if (impersonateSa !== undefined) {
        const perm = `impersonate serviceaccounts in ${where(ns)}`;
        if (adminHere)
          edge("impersonate", CLUSTER_ADMIN, perm, "acts as any kube-system controller ServiceAccount", impersonateSa);
        else for (const to of saKeys(ns)) edge("impersonate", to, perm, "impersonates it", impersonateSa);
      } else if (ns !== ANY_NAMESPACE) {
        for (const name of sas.get(ns) ?? []) {
          const g = ask({ verb: "impersonate", apiGroup: "", resource: "serviceaccounts", name }, ns);
          if (g !== undefined)
            edge(
              "impersonate",
              subjectKey({ kind: "ServiceAccount", namespace: ns, name }),
              `impersonate serviceaccount "${name}" in ${where(ns)}`,
              "impersonates it",
              g,
            );
        }
      }
      const token = ask({ verb: "create", apiGroup: "", resource: "serviceaccounts", subresource: "token" }, ns);
      if (token !== undefined) {
        const perm = `create serviceaccounts/token in ${where(ns)}`;
        if (adminHere)
          edge("token", CLUSTER_ADMIN, perm, "mints a token for any kube-system controller ServiceAccount", token);
        else for (const to of saKeys(ns)) edge("token", to, perm, "mints a token for it", token);
      } else if (ns !== ANY_NAMESPACE) {
        for (const name of sas.get(ns) ?? []) {
          const g = ask({ verb: "create", apiGroup: "", resource: "serviceaccounts", subresource: "token", name }, ns);
          if (g !== undefined)
            edge(
              "token",
              subjectKey({ kind: "ServiceAccount", namespace: ns, name }),
              `create serviceaccounts/token "${name}" in ${where(ns)}`,
              "mints a token for it",
              g,
            );
        }
      }
      // Secrets: list/watch return every Secret; get reaches the named ones.
      const tokenNamespaces =
        mentions.get(from)?.secrets !== true ? [] : ns === ANY_NAMESPACE ? [...model.known.tokenSecrets.keys()] : [ns];
      for (const tns of tokenNamespaces) {
        for (const [secret, sa] of model.known.tokenSecrets.get(tns) ?? []) {
          const g =
            ask({ verb: "list", apiGroup: "", resource: "secrets" }, tns) ??
            ask({ verb: "get", apiGroup: "", resource: "secrets", name: secret }, tns);
          if (g !== undefined)
            edge(
              "secret",
              subjectKey({ kind: "ServiceAccount", namespace: tns, name: sa }),
              `read Secret "${secret}" in ${JSON.stringify(tns)}`,
              "reads its legacy token",
              g,
            );
        }
      }
    }
    // Cluster-scoped identities: impersonating groups reaches system:masters; users, any user.
    const groups = ask({ verb: "impersonate", apiGroup: "", resource: "groups", name: MASTERS });
    if (groups !== undefined)
      edge("impersonate", CLUSTER_ADMIN, 'impersonate group "system:masters"', "acts as system:masters", groups);
    const users = ask({ verb: "impersonate", apiGroup: "", resource: "users" });
    if (users !== undefined)
      edge(
        "impersonate",
        CLUSTER_ADMIN,
        "impersonate users",
        "acts as any user, the cluster's administrators included",
        users,
      );
    else
      for (const name of [...new Set(mentions.get(from)?.users ?? [])].sort()) {
        const g = ask({ verb: "impersonate", apiGroup: "", resource: "users", name });
        if (g !== undefined)
          edge("impersonate", subjectKey({ kind: "User", name }), `impersonate user "${name}"`, "impersonates it", g);
      }
    const bindCluster = ask({
      verb: "bind",
      apiGroup: "rbac.authorization.k8s.io",
      resource: "clusterroles",
      name: "cluster-admin",
    });
    const crbWrite = ask({ verb: "create", apiGroup: "rbac.authorization.k8s.io", resource: "clusterrolebindings" });
    if (bindCluster !== undefined && crbWrite !== undefined)
      edge(
        "any-role",
        CLUSTER_ADMIN,
        "bind clusterroles and create clusterrolebindings",
        "binds itself to cluster-admin",
        bindCluster,
      );
    const escalateCluster = ask({ verb: "escalate", apiGroup: "rbac.authorization.k8s.io", resource: "clusterroles" });
    const crWrite =
      ask({ verb: "update", apiGroup: "rbac.authorization.k8s.io", resource: "clusterroles" }) ??
      ask({ verb: "create", apiGroup: "rbac.authorization.k8s.io", resource: "clusterroles" });
    if (escalateCluster !== undefined && crWrite !== undefined && crbWrite !== undefined)
      edge(
        "any-role",
        CLUSTER_ADMIN,
        "escalate and write clusterroles",
        "writes itself a ClusterRole with every permission",
        escalateCluster,
      );
    const proxy =
      ask({ verb: "get", apiGroup: "", resource: "nodes", subresource: "proxy" }) ??
      ask({ verb: "create", apiGroup: "", resource: "nodes", subresource: "proxy" });
    if (proxy !== undefined)
      edge("cluster", CLUSTER_ADMIN, "nodes/proxy", "execs in every pod through the kubelet", proxy);
  }
  return graphOf(model, dedupe(edges));
}

function dedupe(edges: EscalationEdge[]): EscalationEdge[] {
  const seen = new Set<string>();
  return edges.filter((e) => {
    const k = `${e.from}\u0000${e.to}\u0000${e.permission}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function graphOf(model: AccessModel, edges: readonly EscalationEdge[]): EscalationGraph {
  const out = new Map<string, EscalationEdge[]>();
  const into = new Map<string, EscalationEdge[]>();
  for (const e of edges) {
    (out.get(e.from) ?? out.set(e.from, []).get(e.from))?.push(e);
    (into.get(e.to) ?? into.set(e.to, []).get(e.to))?.push(e);
  }
  // Reverse breadth-first search from each target: next[node] is the first edge of a shortest path.
  const memo = new Map<string, Map<string, EscalationEdge>>();
  const towards = (target: string): Map<string, EscalationEdge> => {
    let next = memo.get(target);
    if (next !== undefined) return next;
    next = new Map();
    const queue = [target];
    const seen = new Set([target]);
    while (queue.length > 0) {
      const node = queue.shift() as string;
      for (const e of into.get(node) ?? []) {
        if (seen.has(e.from)) continue;
        seen.add(e.from);
        next.set(e.from, e);
        queue.push(e.from);
      }
    }
    memo.set(target, next);
    return next;
  };
  const pathTo = (from: string, to: string): EscalationEdge[] | undefined => {
    const next = towards(to);
    if (!next.has(from)) return undefined;
    const path: EscalationEdge[] = [];
    let node = from;
    while (node !== to) {
      const e = next.get(node) as EscalationEdge;
      path.push(e);
      node = e.to;
    }
    return path;
  };
  const adminEquivalent: EscalationPath[] = [];
  for (const subject of model.subjects) {
    const path = pathTo(subjectKey(subject), CLUSTER_ADMIN);
    if (path !== undefined) adminEquivalent.push({ subject, edges: path });
  }
  return {
    edges,
    adminEquivalent,
    edgesFrom: (key) => out.get(key) ?? [],
    pathTo,
  };
}
