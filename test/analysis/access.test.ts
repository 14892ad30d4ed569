/** The access model's `can`: the kube-apiserver RBAC authorizer's decisions, case by case. */
import { buildAccessModel, describeChain, type AccessRequest } from "../../policypack/analysis/access";
import type { KubeObject } from "../../policypack/engine/types";
import { clusterRole, RBAC, role, rule } from "./access-objects";

const subject = (s: string): Record<string, string> => {
  const [kind, rest] = [s.slice(0, s.indexOf(":")), s.slice(s.indexOf(":") + 1)];
  if (kind === "ServiceAccount") {
    const [namespace, name] = rest.split("/") as [string, string];
    return namespace === "" ? { kind, name } : { kind, name, namespace };
  }
  return { kind, name: rest, apiGroup: RBAC };
};
const roleBinding = (namespace: string, name: string, ref: string, subjects: string[]): KubeObject => ({
  apiVersion: `${RBAC}/v1`,
  kind: "RoleBinding",
  metadata: { name, namespace },
  roleRef: { apiGroup: RBAC, kind: ref.split("/")[0], name: ref.split("/")[1] },
  subjects: subjects.map(subject),
});
const clusterRoleBinding = (name: string, roleName: string, subjects: string[]): KubeObject => ({
  apiVersion: `${RBAC}/v1`,
  kind: "ClusterRoleBinding",
  metadata: { name },
  roleRef: { apiGroup: RBAC, kind: "ClusterRole", name: roleName },
  subjects: subjects.map(subject),
});
const req = (over: Partial<AccessRequest>): AccessRequest => ({
  user: "alice",
  groups: [],
  verb: "get",
  apiGroup: "",
  resource: "pods",
  ...over,
});

describe("can: bindings and scope", () => {
  const model = buildAccessModel(
    [
      clusterRole("pod-reader", [rule([""], ["pods"], ["get", "list"])]),
      roleBinding("a", "read", "ClusterRole/pod-reader", ["User:alice"]),
      clusterRoleBinding("all-read", "pod-reader", ["Group:readers"]),
    ],
    { bootstrap: false },
  );
  it("a RoleBinding to a ClusterRole grants in its namespace only", () => {
    expect(model.can(req({ namespace: "a" })).allowed).toBe(true);
    expect(model.can(req({ namespace: "b" })).allowed).toBe(false);
  });
  it("a RoleBinding never grants a cluster-wide request", () => {
    expect(model.can(req({})).allowed).toBe(false);
  });
  it("a ClusterRoleBinding grants in every namespace and cluster-wide", () => {
    const groups = ["readers"];
    expect(model.can(req({ user: "bob", groups, namespace: "z" })).allowed).toBe(true);
    expect(model.can(req({ user: "bob", groups })).allowed).toBe(true);
    expect(model.can(req({ user: "bob", groups, verb: "delete" })).allowed).toBe(false);
  });
  it("names the chain of each grant", () => {
    const d = model.can(req({ namespace: "a", groups: ["readers"] }));
    expect(d.grants.map(describeChain)).toEqual([
      "ClusterRoleBinding/all-read → ClusterRole/pod-reader rules[0]",
      "RoleBinding/a/read → ClusterRole/pod-reader rules[0]",
    ]);
    expect(d.grants[1]).toMatchObject({ subject: "User:alice", scope: "a", bootstrap: false });
  });
});

describe("can: rule matching as the authorizer's RuleAllows", () => {
  const objects = [
    role("n", "r", [
      rule(["*"], ["deployments"], ["*"]),
      rule([""], ["pods/log"], ["get"]),
      rule([""], ["*/scale"], ["update"]),
      rule([""], ["services/*"], ["get"]),
      rule([""], ["configmaps"], ["get", "update"], ["app-config"]),
    ]),
    roleBinding("n", "b", "Role/r", ["User:u"]),
  ];
  const model = buildAccessModel(objects, { bootstrap: false });
  const can = (over: Partial<AccessRequest>): boolean => model.can(req({ user: "u", namespace: "n", ...over })).allowed;
  it("`*` verbs and groups", () => {
    expect(can({ verb: "delete", apiGroup: "apps", resource: "deployments" })).toBe(true);
    expect(can({ verb: "delete", apiGroup: "apps", resource: "statefulsets" })).toBe(false);
  });
  it("resource/subresource exactly, and not the parent", () => {
    expect(can({ resource: "pods", subresource: "log" })).toBe(true);
    expect(can({ resource: "pods" })).toBe(false);
    expect(can({ resource: "pods", subresource: "exec" })).toBe(false);
  });
  it("*/subresource matches that subresource of every resource", () => {
    expect(can({ verb: "update", resource: "replicationcontrollers", subresource: "scale" })).toBe(true);
    expect(can({ verb: "update", resource: "replicationcontrollers" })).toBe(false);
  });
  it("resource/* is a literal, not a wildcard (the authorizer's ResourceMatches)", () => {
    expect(can({ resource: "services", subresource: "proxy" })).toBe(false);
    expect(can({ resource: "services", subresource: "*" })).toBe(true);
  });
  it("resourceNames: only a named request for a listed name", () => {
    expect(can({ resource: "configmaps", name: "app-config" })).toBe(true);
    expect(can({ resource: "configmaps", name: "other" })).toBe(false);
    expect(can({ resource: "configmaps" })).toBe(false);
    expect(can({ verb: "update", resource: "configmaps", name: "app-config" })).toBe(true);
  });
});

describe("can: subjects", () => {
  const objects = [
    role("n", "r", [rule([""], ["pods"], ["get"])]),
    clusterRole("c", [rule([""], ["pods"], ["get"])]),
    roleBinding("n", "sa-local", "Role/r", ["ServiceAccount:/builder"]),
    roleBinding("n", "sa-other", "Role/r", ["ServiceAccount:other/runner"]),
    clusterRoleBinding("sa-no-ns", "c", ["ServiceAccount:/ghost"]),
    clusterRoleBinding("ns-group", "c", ["Group:system:serviceaccounts:team"]),
    roleBinding("n", "dangling", "Role/missing", ["User:dangling"]),
    roleBinding("n", "bad-kind", "Role/r", ["Robot:x"]),
  ];
  const model = buildAccessModel(objects, { bootstrap: false });
  it("a ServiceAccount subject without namespace is the RoleBinding's namespace", () => {
    expect(model.can(req({ user: "system:serviceaccount:n:builder", namespace: "n" })).allowed).toBe(true);
    expect(model.can(req({ user: "system:serviceaccount:other:builder", namespace: "n" })).allowed).toBe(false);
  });
  it("a ServiceAccount of another namespace named explicitly", () => {
    expect(model.can(req({ user: "system:serviceaccount:other:runner", namespace: "n" })).allowed).toBe(true);
  });
  it("a ClusterRoleBinding's ServiceAccount subject without namespace matches nobody", () => {
    expect(model.can(req({ user: "system:serviceaccount:default:ghost", namespace: "n" })).allowed).toBe(false);
    expect(model.can(req({ user: "system:serviceaccount::ghost", namespace: "n" })).allowed).toBe(false);
  });
  it("groups: the namespace's ServiceAccounts group", () => {
    const groups = ["system:serviceaccounts", "system:serviceaccounts:team", "system:authenticated"];
    expect(model.can(req({ user: "system:serviceaccount:team:x", groups, namespace: "q" })).allowed).toBe(true);
  });
  it("a subject of an unknown kind matches nobody", () => {
    expect(model.can(req({ user: "x", groups: ["x"], namespace: "n" })).allowed).toBe(false);
  });
  it("a binding whose roleRef does not resolve grants nothing", () => {
    expect(model.can(req({ user: "dangling", namespace: "n" })).allowed).toBe(false);
  });
});

describe("can: aggregation", () => {
  const objects = [
    clusterRole("agg", [rule([""], ["secrets"], ["get"])], {
      aggregationRule: {
        clusterRoleSelectors: [
          { matchLabels: { "example.com/agg": "true" } },
          { matchExpressions: [{ key: "tier", operator: "In", values: ["gold"] }] },
        ],
      },
    }),
    clusterRole("part-a", [rule([""], ["pods"], ["get"])], { labels: { "example.com/agg": "true" } }),
    clusterRole("part-b", [rule(["apps"], ["deployments"], ["list"])], { labels: { tier: "gold" } }),
    clusterRole("not-part", [rule([""], ["nodes"], ["get"])], { labels: { tier: "silver" } }),
    clusterRoleBinding("agg", "agg", ["User:u"]),
  ];
  const model = buildAccessModel(objects, { bootstrap: false });
  it("grants the selected roles' rules, naming where each came from", () => {
    const d = model.can(req({ user: "u", namespace: "n" }));
    expect(d.allowed).toBe(true);
    expect(d.grants[0]).toMatchObject({ role: "ClusterRole/agg", via: "ClusterRole/part-a", ruleIndex: 0 });
    expect(model.can(req({ user: "u", verb: "list", apiGroup: "apps", resource: "deployments" })).allowed).toBe(true);
  });
  it("an aggregated role that selects nothing keeps its own rules (the controller applies an empty list)", () => {
    const lonely = buildAccessModel(
      [
        clusterRole("lonely", [rule([""], ["pods"], ["get"])], {
          aggregationRule: { clusterRoleSelectors: [{ matchLabels: { "example.com/none": "true" } }] },
        }),
        clusterRoleBinding("lonely", "lonely", ["User:u"]),
      ],
      { bootstrap: false },
    );
    const d = lonely.can(req({ user: "u", namespace: "n" }));
    expect(d.allowed).toBe(true);
    expect(d.grants[0]).toMatchObject({ role: "ClusterRole/lonely", ruleIndex: 0 });
    expect(d.grants[0]?.via).toBeUndefined();
  });
  it("drops the aggregated role's own rules (the controller overwrites them) and unselected roles", () => {
    expect(model.can(req({ user: "u", resource: "secrets" })).allowed).toBe(false);
    expect(model.can(req({ user: "u", resource: "nodes" })).allowed).toBe(false);
  });
});

describe("can: bootstrap policy and system:masters", () => {
  const model = buildAccessModel([roleBinding("n", "edit", "ClusterRole/edit", ["User:e"])]);
  it("system:authenticated may create selfsubjectaccessreviews (system:basic-user)", () => {
    const d = model.can(
      req({
        groups: ["system:authenticated"],
        verb: "create",
        apiGroup: "authorization.k8s.io",
        resource: "selfsubjectaccessreviews",
      }),
    );
    expect(d.allowed).toBe(true);
    expect(d.grants[0]).toMatchObject({ binding: "ClusterRoleBinding/system:basic-user", bootstrap: true });
  });
  it("system:masters is allowed everything, and the decision says it is not RBAC", () => {
    const d = model.can(req({ user: "root", groups: ["system:masters"], verb: "delete", resource: "nodes" }));
    expect(d).toMatchObject({ allowed: true, privilegedGroup: "system:masters" });
  });
  it("edit is aggregated from the bootstrap parts", () => {
    const d = model.can(req({ user: "e", verb: "create", apiGroup: "apps", resource: "deployments", namespace: "n" }));
    expect(d.allowed).toBe(true);
    expect(d.grants[0]?.via).toBe("ClusterRole/system:aggregate-to-edit");
    expect(
      model.can(req({ user: "e", verb: "create", apiGroup: RBAC, resource: "rolebindings", namespace: "n" })).allowed,
    ).toBe(false);
  });
  it("without bootstrap, built-in roles do not exist", () => {
    const bare = buildAccessModel([roleBinding("n", "edit", "ClusterRole/edit", ["User:e"])], { bootstrap: false });
    expect(bare.can(req({ user: "e", namespace: "n" })).allowed).toBe(false);
  });
});
