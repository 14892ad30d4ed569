/**
 * Generated RBAC sets for the access differential (test/cluster/access-differential.test.ts):
 * namespaces; Roles and ClusterRoles whose rules use `*` verbs, groups and resources, subresources
 * (`pods/log`, a star's `/scale`, the literal `deployments/*`), resourceNames and, in ClusterRoles only,
 * nonResourceURLs; aggregated ClusterRoles whose selectors use matchLabels and matchExpressions
 * (In, NotIn, Exists, DoesNotExist, the empty selector) and reach each other, the built-in
 * admin/edit/view (through the aggregate-to-* labels) and every bootstrap role; RoleBindings to
 * Roles and ClusterRoles (built-in and system:* ones too), ClusterRoleBindings, dangling roleRefs;
 * User, Group and ServiceAccount subjects (a RoleBinding's ServiceAccount may omit its namespace,
 * a ClusterRoleBinding's may not: the API server refuses it). And queries, as a
 * SubjectAccessReview asks them: mostly about what the set mentions, the rest at random, for the
 * set's subjects as the authenticator presents them (a ServiceAccount as
 * system:serviceaccount:<ns>:<name> in its groups), plain users with and without groups, the
 * bootstrap policy's own users, and now and then system:masters. Seeded: a failure names the seed.
 *
 * Deliberate restrictions, each because the server's answer would depend on timing, not on the
 * set: an aggregated ClusterRole keeps rules of its own only when no aggregated ClusterRole (the
 * set's or a built-in's) selects it — in a cycle of aggregated roles the controller can carry such
 * rules around forever or wipe them, depending on the order it syncs in. Non-resource requests are
 * not queried (the access model's requests are resource requests).
 */
import type { AccessRequest } from "../../policypack/analysis/access";
import type { KubeObject } from "../../policypack/engine/types";
import { rng, type Rng } from "./netpol-generate";

export { rng, type Rng };

export const RBAC = "rbac.authorization.k8s.io";

/** A request as SubjectAccessReview's spec carries it: the access model's own request type. */
export type AccessQuery = AccessRequest;

export interface RbacSet {
  readonly seed: number;
  /** Prefix of every name and namespace the set creates (so sets never collide). */
  readonly tag: string;
  /** Namespaces to create before the objects (the set's own; `default`/`kube-system` exist). */
  readonly namespaces: readonly string[];
  /** Namespaces the set's objects live in, shared ones included (clean-up goes through these). */
  readonly objectNamespaces: readonly string[];
  /** Roles, ClusterRoles, RoleBindings, ClusterRoleBindings, in a creation order. */
  readonly objects: readonly KubeObject[];
  readonly queries: readonly AccessQuery[];
}

const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
const chance = (r: Rng, p: number): boolean => r() < p;
const int = (r: Rng, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
function some<T>(r: Rng, xs: readonly T[], min: number, max: number): T[] {
  const n = int(r, min, max);
  const out: T[] = [];
  for (let i = 0; i < n * 3 && out.length < n; i++) {
    const x = pick(r, xs);
    if (!out.includes(x)) out.push(x);
  }
  return out;
}

/** The API surface rules and queries draw from: group → resource → subresources. */
const API: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  "": {
    pods: ["log", "exec", "status", "attach", "portforward", "ephemeralcontainers"],
    secrets: [],
    configmaps: [],
    services: ["proxy", "status"],
    nodes: ["proxy", "status"],
    namespaces: ["status", "finalize"],
    serviceaccounts: ["token"],
    events: [],
    endpoints: [],
    persistentvolumes: [],
    persistentvolumeclaims: ["status"],
  },
  apps: { deployments: ["scale", "status"], replicasets: ["scale"], statefulsets: ["scale"], daemonsets: ["status"] },
  batch: { jobs: ["status"], cronjobs: [] },
  [RBAC]: { roles: [], rolebindings: [], clusterroles: [], clusterrolebindings: [] },
  "coordination.k8s.io": { leases: [] },
  "authentication.k8s.io": { tokenreviews: [], selfsubjectreviews: [] },
  "authorization.k8s.io": { subjectaccessreviews: [], selfsubjectaccessreviews: [], selfsubjectrulesreviews: [] },
  "certificates.k8s.io": { certificatesigningrequests: ["approval", "status"], signers: [] },
  "networking.k8s.io": { networkpolicies: [], ingresses: ["status"] },
  "discovery.k8s.io": { endpointslices: [] },
  "events.k8s.io": { events: [] },
  extensions: { deployments: ["scale"], ingresses: [] },
  "example.com": { widgets: ["status"] },
};
const GROUPS = Object.keys(API);
/** The core group and apps come up more often, as in real roles. */
const WEIGHTED_GROUPS = ["", "", "", "", "apps", "apps", RBAC, ...GROUPS];
const VERBS = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"];
const ODD_VERBS = ["bind", "escalate", "impersonate", "approve", "use", "proxy"];
const NAMES = ["web", "db", "tls", "kube-root-ca.crt", "*"];
const NON_RESOURCE_URLS = ["/healthz", "/metrics", "*", "/api/*", "/version"];
const USERS = ["alice", "bob", "carol", "*"];
const GROUP_NAMES = ["devs", "ops", "auditors"];

/** Built-in ClusterRoles a binding may point at (bootstrap policy of the server). */
const BUILTIN_ROLES = [
  "cluster-admin",
  "admin",
  "edit",
  "view",
  "system:aggregate-to-view",
  "system:discovery",
  "system:basic-user",
  "system:public-info-viewer",
  "system:auth-delegator",
  "system:heapster",
  "system:kube-aggregator",
  "system:monitoring",
  "system:node-proxier",
  "system:persistent-volume-provisioner",
  "system:certificates.k8s.io:certificatesigningrequests:nodeclient",
  "system:kube-dns",
];

/** Users and groups the bootstrap policy binds (queried now and then, with no set object involved). */
const BOOTSTRAP_IDENTITIES: readonly { user: string; groups: string[] }[] = [
  { user: "system:kube-scheduler", groups: ["system:authenticated"] },
  { user: "system:kube-controller-manager", groups: ["system:authenticated"] },
  { user: "system:kube-proxy", groups: ["system:authenticated"] },
  { user: "system:anonymous", groups: ["system:unauthenticated"] },
  { user: "carol", groups: ["system:monitoring"] },
  {
    user: "system:serviceaccount:kube-system:deployment-controller",
    groups: ["system:serviceaccounts", "system:serviceaccounts:kube-system", "system:authenticated"],
  },
  {
    user: "system:serviceaccount:kube-system:kube-dns",
    groups: ["system:serviceaccounts", "system:serviceaccounts:kube-system", "system:authenticated"],
  },
];

const READ = ["get", "list", "watch"];
const WRITE = ["create", "update", "patch", "delete"];
/** What the built-in roles roughly grant: only to aim queries (the server's answer is the truth). */
const BUILTIN_HINTS: Readonly<Record<string, Rule[]>> = {
  "cluster-admin": [{ verbs: ["*"], apiGroups: ["*"], resources: ["*"] }],
  view: [
    { verbs: READ, apiGroups: [""], resources: ["pods", "pods/log", "configmaps", "services", "secrets"] },
    { verbs: READ, apiGroups: ["apps"], resources: ["deployments", "deployments/scale", "daemonsets"] },
  ],
  edit: [
    {
      verbs: [...READ, ...WRITE],
      apiGroups: [""],
      resources: ["pods", "pods/exec", "secrets", "serviceaccounts/token"],
    },
    { verbs: WRITE, apiGroups: ["apps"], resources: ["deployments", "deployments/scale"] },
    { verbs: WRITE, apiGroups: [RBAC], resources: ["roles", "rolebindings"] },
  ],
  admin: [
    { verbs: [...READ, ...WRITE], apiGroups: [RBAC], resources: ["roles", "rolebindings"] },
    { verbs: ["create", "delete"], apiGroups: ["", "networking.k8s.io"], resources: ["networkpolicies", "pods/exec"] },
  ],
  other: [
    {
      verbs: ["create"],
      apiGroups: ["authorization.k8s.io", "authentication.k8s.io"],
      resources: ["selfsubjectaccessreviews", "selfsubjectrulesreviews", "selfsubjectreviews"],
    },
    {
      verbs: READ,
      apiGroups: ["", "authorization.k8s.io", "authentication.k8s.io"],
      resources: ["nodes", "namespaces", "pods", "selfsubjectaccessreviews", "tokenreviews"],
    },
    {
      verbs: ["create"],
      apiGroups: ["authorization.k8s.io", "authentication.k8s.io", "certificates.k8s.io"],
      resources: ["subjectaccessreviews", "tokenreviews", "certificatesigningrequests/nodeclient"],
    },
  ],
};

const AGGREGATE_LABELS = ["view", "edit", "admin"].map((l) => `${RBAC}/aggregate-to-${l}`);

type Labels = Record<string, string>;
interface Requirement {
  readonly key: string;
  readonly operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
  readonly values?: readonly string[];
}
export interface LabelSelector {
  readonly matchLabels?: Readonly<Labels>;
  readonly matchExpressions?: readonly Requirement[];
}

/** Kubernetes label-selector semantics (k8s.io/apimachinery labels): the empty selector matches all. */
export function selectorMatches(selector: LabelSelector, labels: Readonly<Labels>): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const value = labels[e.key];
    switch (e.operator) {
      case "In":
        if (!has || !(e.values ?? []).includes(value as string)) return false;
        break;
      case "NotIn":
        if (has && (e.values ?? []).includes(value as string)) return false;
        break;
      case "Exists":
        if (!has) return false;
        break;
      case "DoesNotExist":
        if (has) return false;
        break;
    }
  }
  return true;
}

/** The built-in aggregated ClusterRoles' selectors (admin, edit, view). */
const BUILTIN_SELECTORS: readonly LabelSelector[] = AGGREGATE_LABELS.map((k) => ({ matchLabels: { [k]: "true" } }));

interface Rule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

function resourceRule(r: Rng): Rule {
  const verbs = chance(r, 0.15)
    ? ["*"]
    : some(r, chance(r, 0.15) ? [...VERBS, ...ODD_VERBS] : VERBS, 1, 3).concat(chance(r, 0.05) ? ["*"] : []);
  const groups = chance(r, 0.12) ? ["*"] : some(r, WEIGHTED_GROUPS, 1, 2);
  const resources: string[] = [];
  const n = int(r, 1, 3);
  for (let i = 0; i < n; i++) {
    const k = r();
    const group = pick(r, groups[0] === "*" ? WEIGHTED_GROUPS : groups);
    const table = API[group] ?? {};
    const resource = pick(r, Object.keys(table));
    const subs = table[resource] ?? [];
    let x: string;
    if (k < 0.08) x = "*";
    else if (k < 0.14) x = `*/${pick(r, ["scale", "status", "log", "exec", "proxy"])}`;
    else if (k < 0.2) x = `${resource}/*`;
    else if (k < 0.45 && subs.length > 0) x = `${resource}/${pick(r, subs)}`;
    else if (k < 0.48) x = resource.charAt(0).toUpperCase() + resource.slice(1);
    else if (k < 0.5) x = "gizmos";
    else x = resource;
    if (!resources.includes(x)) resources.push(x);
  }
  const rule: Rule = { verbs, apiGroups: groups, resources };
  if (chance(r, 0.2)) rule.resourceNames = some(r, NAMES, 1, 2);
  return rule;
}

function clusterRule(r: Rng): Rule {
  if (chance(r, 0.1))
    return { verbs: chance(r, 0.5) ? ["*"] : ["get"], nonResourceURLs: some(r, NON_RESOURCE_URLS, 1, 2) };
  return resourceRule(r);
}

function selector(r: Rng): LabelSelector {
  const k = r();
  if (k < 0.3) return { matchLabels: { team: pick(r, ["a", "b"]) } };
  if (k < 0.45) return { matchExpressions: [{ key: "team", operator: "In", values: some(r, ["a", "b", "c"], 1, 2) }] };
  if (k < 0.55) return { matchExpressions: [{ key: "tier", operator: "Exists" }] };
  if (k < 0.65)
    return {
      matchLabels: { tier: pick(r, ["x", "y"]) },
      matchExpressions: [{ key: "team", operator: pick(r, ["Exists", "DoesNotExist"] as const) }],
    };
  if (k < 0.72) return { matchLabels: { [pick(r, AGGREGATE_LABELS)]: "true" } };
  if (k < 0.77) return { matchExpressions: [{ key: "team", operator: "NotIn", values: [pick(r, ["a", "b"])] }] };
  if (k < 0.8) return { matchExpressions: [{ key: "tier", operator: "DoesNotExist" }] };
  if (k < 0.82) return {};
  if (k < 0.84) return { matchLabels: { "kubernetes.io/bootstrapping": "rbac-defaults" } };
  return { matchLabels: { team: "a", tier: "x" } };
}

function labels(r: Rng): Labels {
  const out: Labels = {};
  if (chance(r, 0.6)) out["team"] = pick(r, ["a", "b", "c"]);
  if (chance(r, 0.35)) out["tier"] = pick(r, ["x", "y"]);
  if (chance(r, 0.1)) out[pick(r, AGGREGATE_LABELS)] = "true";
  return out;
}

interface Subject {
  kind: "User" | "Group" | "ServiceAccount";
  name: string;
  apiGroup?: string;
  namespace?: string;
}

function subject(r: Rng, namespaces: readonly string[], inRoleBinding: boolean): Subject {
  const k = r();
  if (k < 0.35) return { kind: "User", apiGroup: RBAC, name: pick(r, USERS) };
  if (k < 0.6)
    return {
      kind: "Group",
      apiGroup: RBAC,
      name: pick(r, [
        ...GROUP_NAMES,
        "system:authenticated",
        "system:serviceaccounts",
        `system:serviceaccounts:${pick(r, namespaces)}`,
      ]),
    };
  if (k < 0.65)
    // A User named like a ServiceAccount matches that ServiceAccount's user name.
    return { kind: "User", apiGroup: RBAC, name: `system:serviceaccount:${pick(r, namespaces)}:sa-a` };
  const sa: Subject = { kind: "ServiceAccount", name: pick(r, ["sa-a", "sa-b", "default"]) };
  if (!inRoleBinding || chance(r, 0.7)) sa.namespace = pick(r, namespaces);
  return sa;
}

function meta(name: string, namespace?: string, extraLabels?: Labels): Record<string, unknown> {
  const m: Record<string, unknown> = { name };
  if (namespace !== undefined) m["namespace"] = namespace;
  if (extraLabels !== undefined && Object.keys(extraLabels).length > 0) m["labels"] = extraLabels;
  return m;
}

/** One RBAC set and its queries. `tag` prefixes its names and namespaces (default `g<seed>`). */
export function generateRbacSet(seed: number, queryCount: number, tag = `g${seed}`): RbacSet {
  const r = rng(seed);
  const own = ["a", "b", "c"].slice(0, int(r, 1, 3)).map((x) => `${tag}-${x}`);
  const shared = ["default", "kube-system"];
  const objectNs = (): string => (chance(r, 0.12) ? pick(r, shared) : pick(r, own));
  const objects: KubeObject[] = [];

  // Roles.
  const roles: { name: string; namespace: string }[] = [];
  for (let i = 0, n = int(r, 1, 4); i < n; i++) {
    const namespace = objectNs();
    // Now and then a Role named like one of the set's ClusterRoles: roleRef.kind tells them apart.
    const name = chance(r, 0.15) ? `${tag}-cr${i}` : `${tag}-role${i}`;
    roles.push({ name, namespace });
    objects.push({
      apiVersion: `${RBAC}/v1`,
      kind: "Role",
      metadata: meta(name, namespace),
      rules: Array.from({ length: int(r, 1, 3) }, () => resourceRule(r)),
    } as KubeObject);
  }

  // ClusterRoles, then aggregated ones.
  const clusterRoles: { name: string; labels: Labels; selectors?: LabelSelector[] }[] = [];
  for (let i = 0, n = int(r, 1, 4); i < n; i++) {
    const name = `${tag}-cr${i}`;
    const l = labels(r);
    clusterRoles.push({ name, labels: l });
    objects.push({
      apiVersion: `${RBAC}/v1`,
      kind: "ClusterRole",
      metadata: meta(name, undefined, l),
      rules: Array.from({ length: int(r, chance(r, 0.1) ? 0 : 1, 3) }, () => clusterRule(r)),
    } as KubeObject);
  }
  const aggregated: { name: string; labels: Labels; selectors: LabelSelector[]; object: KubeObject }[] = [];
  for (let i = 0, n = chance(r, 0.7) ? int(r, 1, 2) : 0; i < n; i++) {
    const name = `${tag}-agg${i}`;
    const l = chance(r, 0.5) ? labels(r) : {};
    const selectors = Array.from({ length: int(r, 1, 2) }, () => selector(r));
    const object = {
      apiVersion: `${RBAC}/v1`,
      kind: "ClusterRole",
      metadata: meta(name, undefined, l),
      aggregationRule: { clusterRoleSelectors: selectors },
      ...(chance(r, 0.3) ? { rules: [clusterRule(r)] } : {}),
    } as KubeObject;
    aggregated.push({ name, labels: l, selectors, object });
    clusterRoles.push({ name, labels: l, selectors });
  }
  // Rules of its own only where no aggregated role can select it (see the header).
  for (const a of aggregated) {
    const selected = [...BUILTIN_SELECTORS, ...aggregated.filter((b) => b !== a).flatMap((b) => b.selectors)].some(
      (s) => selectorMatches(s, a.labels),
    );
    if (selected && a.object["rules"] !== undefined) delete a.object["rules"];
    objects.push(a.object);
  }

  // Role references: the set's, built-in ones, dangling ones.
  const roleRef = (namespace: string | undefined): { apiGroup: string; kind: string; name: string } => {
    const k = r();
    const local = roles.filter((x) => x.namespace === namespace);
    if (namespace !== undefined && k < 0.3 && local.length > 0)
      return { apiGroup: RBAC, kind: "Role", name: pick(r, local).name };
    if (namespace !== undefined && k < 0.36)
      // A Role of another namespace (or none): dangling here.
      return { apiGroup: RBAC, kind: "Role", name: chance(r, 0.5) ? pick(r, roles).name : `${tag}-missing` };
    if (k < 0.72) return { apiGroup: RBAC, kind: "ClusterRole", name: pick(r, clusterRoles).name };
    if (k < 0.95) return { apiGroup: RBAC, kind: "ClusterRole", name: pick(r, BUILTIN_ROLES) };
    return { apiGroup: RBAC, kind: "ClusterRole", name: `${tag}-missing-cr` };
  };

  const bindings: { namespace?: string; subjects: Subject[]; ref: { kind: string; name: string } }[] = [];
  for (let i = 0, n = int(r, 2, 6); i < n; i++) {
    const namespace = objectNs();
    const subjects = Array.from({ length: int(r, 1, 3) }, () => subject(r, own, true));
    const ref = roleRef(namespace);
    bindings.push({ namespace, subjects, ref });
    objects.push({
      apiVersion: `${RBAC}/v1`,
      kind: "RoleBinding",
      metadata: meta(`${tag}-rb${i}`, namespace),
      roleRef: ref,
      subjects,
    } as KubeObject);
  }
  for (let i = 0, n = int(r, 0, 3); i < n; i++) {
    const subjects = Array.from({ length: int(r, chance(r, 0.05) ? 0 : 1, 2) }, () => subject(r, own, false));
    const ref = roleRef(undefined);
    bindings.push({ subjects, ref });
    const b: KubeObject = {
      apiVersion: `${RBAC}/v1`,
      kind: "ClusterRoleBinding",
      metadata: meta(`${tag}-crb${i}`),
      roleRef: ref,
    };
    if (subjects.length > 0) b["subjects"] = subjects;
    objects.push(b);
  }

  // Queries.
  const rules: { rule: Rule; namespace?: string }[] = objects.flatMap((o) =>
    ((o["rules"] as Rule[] | undefined) ?? []).map((rule) => ({
      rule,
      ...(o.kind === "Role" ? { namespace: o.metadata?.namespace as string } : {}),
    })),
  );
  const queryNamespaces = [...own, ...shared, `${tag}-other`];
  const saIdentity = (ns: string, name: string): { user: string; groups: string[] } => ({
    user: `system:serviceaccount:${ns}:${name}`,
    groups: chance(r, 0.85) ? ["system:serviceaccounts", `system:serviceaccounts:${ns}`, "system:authenticated"] : [],
  });
  /** The rules a roleRef brings (for built-in roles, a sketch of what they grant), to aim queries at. */
  const rulesOfRef = (ref: { kind: string; name: string }, namespace: string | undefined): Rule[] => {
    const own = (o: KubeObject | undefined): Rule[] => (o?.["rules"] as Rule[] | undefined) ?? [];
    if (ref.kind === "Role")
      return own(
        objects.find((o) => o.kind === "Role" && o.metadata?.name === ref.name && o.metadata?.namespace === namespace),
      );
    const agg = aggregated.find((a) => a.name === ref.name);
    if (agg !== undefined)
      return objects
        .filter((o) => o.kind === "ClusterRole" && o["aggregationRule"] === undefined)
        .filter((o) => agg.selectors.some((sel) => selectorMatches(sel, (o.metadata?.labels ?? {}) as Labels)))
        .flatMap(own);
    const set = objects.find((o) => o.kind === "ClusterRole" && o.metadata?.name === ref.name);
    if (set !== undefined) return own(set);
    return BUILTIN_HINTS[ref.name] ?? BUILTIN_HINTS["other"] ?? [];
  };
  interface Who {
    user: string;
    groups: string[];
    /** The binding the identity was drawn from: its namespace and the rules it grants. */
    namespace?: string;
    rules?: Rule[];
  }
  const identity = (): Who => {
    const k = r();
    if (k < 0.6 && bindings.length > 0) {
      const b = pick(r, bindings);
      const s = b.subjects.length > 0 ? pick(r, b.subjects) : undefined;
      if (s !== undefined) {
        const ns = b.namespace;
        const bound = { namespace: ns, rules: rulesOfRef(b.ref, ns) };
        if (s.kind === "ServiceAccount") return { ...saIdentity(s.namespace ?? ns ?? pick(r, own), s.name), ...bound };
        if (s.kind === "Group") {
          if (s.name.startsWith("system:serviceaccounts")) {
            const sans = s.name.split(":")[2] ?? pick(r, own);
            return { ...saIdentity(sans, pick(r, ["sa-a", "sa-b", "x"])), ...bound };
          }
          return {
            user: pick(r, ["dave", "alice"]),
            groups: [s.name, ...(chance(r, 0.5) ? ["system:authenticated"] : [])],
            ...bound,
          };
        }
        return {
          user: s.name,
          groups: chance(r, 0.5) ? [] : some(r, [...GROUP_NAMES, "system:authenticated"], 1, 2),
          ...bound,
        };
      }
    }
    if (k < 0.72) return saIdentity(pick(r, [...own, "kube-system"]), pick(r, ["sa-a", "sa-b", "default"]));
    if (k < 0.9)
      return {
        user: pick(r, [...USERS, "dave"]),
        groups: chance(r, 0.4) ? [] : some(r, [...GROUP_NAMES, "system:authenticated", "system:unauthenticated"], 1, 2),
      };
    if (k < 0.98) return structuredClone(pick(r, BOOTSTRAP_IDENTITIES));
    return { user: pick(r, USERS), groups: ["system:masters"] };
  };

  const randomResource = (group: string): { resource: string; subresource?: string } => {
    const table = API[group] ?? API[""] ?? {};
    const resource = pick(r, Object.keys(table));
    const subs = table[resource] ?? [];
    return chance(r, 0.3) && subs.length > 0 ? { resource, subresource: pick(r, subs) } : { resource };
  };
  const randomVerb = (): string => (chance(r, 0.85) ? pick(r, VERBS) : pick(r, [...ODD_VERBS, "*"]));

  const queries: AccessQuery[] = [];
  while (queries.length < queryCount) {
    const who = identity();
    let verb: string;
    let apiGroup: string;
    let resource: string;
    let subresource: string | undefined;
    let name: string | undefined;
    let namespace: string | undefined;
    const boundRules = (who.rules ?? [])
      .filter((x) => x.resources !== undefined)
      .map((rule) => ({ rule, namespace: who.namespace }));
    const resourceRules = rules.filter((x) => x.rule.resources !== undefined);
    const aimed = boundRules.length > 0 && chance(r, 0.8) ? boundRules : resourceRules;
    if (chance(r, 0.7) && aimed.length > 0) {
      // About a rule of the set (mostly one the identity holds): its verbs, groups, resources and
      // names, with stars filled in.
      const { rule, namespace: roleNs } = pick(r, aimed);
      const v = pick(r, rule.verbs);
      verb = v === "*" ? randomVerb() : v;
      const g = pick(r, rule.apiGroups ?? [""]);
      apiGroup = g === "*" ? pick(r, WEIGHTED_GROUPS) : g;
      const res = pick(r, rule.resources ?? ["pods"]);
      const slash = res.indexOf("/");
      if (res === "*") ({ resource, subresource } = randomResource(apiGroup));
      else if (slash < 0) resource = res;
      else {
        const base = res.slice(0, slash);
        const sub = res.slice(slash + 1);
        resource = base === "*" ? randomResource(apiGroup).resource : base;
        subresource = sub === "*" && chance(r, 0.6) ? pick(r, ["scale", "status", "log", "*"]) : sub;
      }
      if (rule.resourceNames !== undefined && chance(r, 0.7)) name = pick(r, rule.resourceNames);
      namespace = chance(r, 0.75) ? (roleNs ?? who.namespace) : undefined;
      if (namespace === undefined && chance(r, 0.5)) namespace = pick(r, queryNamespaces);
      // A near miss now and then: one attribute off.
      if (chance(r, 0.2)) {
        const m = r();
        if (m < 0.25) verb = randomVerb();
        else if (m < 0.5) ({ resource, subresource } = randomResource(apiGroup));
        else if (m < 0.75) namespace = chance(r, 0.3) ? undefined : pick(r, queryNamespaces);
        else name = pick(r, NAMES);
      }
    } else {
      verb = randomVerb();
      apiGroup = chance(r, 0.9) ? pick(r, WEIGHTED_GROUPS) : "*";
      ({ resource, subresource } = randomResource(apiGroup === "*" ? "" : apiGroup));
      if (chance(r, 0.03)) resource = "*";
      namespace = chance(r, 0.5) ? (who.namespace ?? pick(r, queryNamespaces)) : undefined;
      if (namespace !== undefined && chance(r, 0.3)) namespace = pick(r, queryNamespaces);
    }
    if (name === undefined && chance(r, 0.15)) name = pick(r, NAMES);
    const q: AccessQuery = {
      user: who.user,
      groups: who.groups,
      verb,
      apiGroup,
      resource,
      ...(subresource !== undefined ? { subresource } : {}),
      ...(name !== undefined ? { name } : {}),
      ...(namespace !== undefined ? { namespace } : {}),
    };
    queries.push(q);
  }
  return {
    seed,
    tag,
    namespaces: own,
    objectNamespaces: [...new Set(objects.map((o) => o.metadata?.namespace).filter((x): x is string => !!x))],
    objects,
    queries,
  };
}

/** One line for a query: `alice [devs] get apps/deployments/scale name=web in ns` (or `cluster-wide`). */
export function describeQuery(q: AccessQuery): string {
  const res = `${q.apiGroup === "" ? "" : `${q.apiGroup}/`}${q.resource}${q.subresource !== undefined ? `/${q.subresource}` : ""}`;
  return `${q.user} [${q.groups.join(",")}] ${q.verb} ${res}${q.name !== undefined ? ` name=${q.name}` : ""} ${q.namespace !== undefined ? `in ${q.namespace}` : "cluster-wide"}`;
}
