import { rbacAnonymousBinding } from "../../../policypack/controls/rbac/anonymous-binding";
import { rbacAuthenticatedBinding } from "../../../policypack/controls/rbac/authenticated-binding";
import { rbacClusterAdminBinding } from "../../../policypack/controls/rbac/cluster-admin-binding";
import { rbacSystemMastersBinding } from "../../../policypack/controls/rbac/system-masters-binding";
import { rbacTenantSaClusterBinding } from "../../../policypack/controls/rbac/tenant-sa-cluster-binding";
import type { KubeObject } from "../../../policypack/engine/types";
import { check, clusterRoleBinding, group, paths, roleBinding, sa, user, type SubjectInput } from "./helpers";

describe("rbac-cluster-admin-binding", () => {
  const admins = [user("alice@example.com"), group("oidc:sre"), sa("deployer", "ci")];

  it.each<[string, KubeObject, string[], string[]]>([
    [
      "ClusterRoleBinding, nothing allowed",
      clusterRoleBinding("admins", "cluster-admin", admins),
      [],
      ["subjects[0]", "subjects[1]", "subjects[2]"],
    ],
    [
      "exact allowlist entries",
      clusterRoleBinding("admins", "cluster-admin", admins),
      ["User:alice@example.com", "ServiceAccount:ci/deployer"],
      ["subjects[1]"],
    ],
    [
      "glob allowlist",
      clusterRoleBinding("admins", "cluster-admin", admins),
      ["Group:oidc:*", "User:*@example.com"],
      ["subjects[2]"],
    ],
    [
      "a binding named system:* is not exempt",
      clusterRoleBinding("system:masters-ish", "cluster-admin", admins),
      [],
      ["subjects[0]", "subjects[1]", "subjects[2]"],
    ],
    [
      "a binding named cluster-admin is not exempt",
      clusterRoleBinding("cluster-admin", "cluster-admin", [user("bob")]),
      [],
      ["subjects[0]"],
    ],
    [
      "RoleBinding to ClusterRole cluster-admin",
      roleBinding({ kind: "ClusterRole", name: "cluster-admin" }, [user("bob")], "shop"),
      [],
      ["subjects[0]"],
    ],
    [
      "a Role that happens to be named cluster-admin",
      roleBinding({ kind: "Role", name: "cluster-admin" }, [user("bob")], "shop"),
      [],
      [],
    ],
    ["another ClusterRole", clusterRoleBinding("v", "view", admins), [], []],
    ["no subjects", { ...clusterRoleBinding("empty", "cluster-admin", []), subjects: undefined }, [], []],
  ])("%s", (_name, object, allowedSubjects, expected) => {
    expect(paths(check(rbacClusterAdminBinding, object, { allowedSubjects }))).toEqual(expected);
  });

  it("a RoleBinding's namespace-less ServiceAccount is matched as <binding namespace>/<name>", () => {
    const b = roleBinding({ kind: "ClusterRole", name: "cluster-admin" }, [sa("deployer")], "ci");
    expect(check(rbacClusterAdminBinding, b, { allowedSubjects: ["ServiceAccount:ci/deployer"] })).toEqual([]);
    expect(check(rbacClusterAdminBinding, b)[0]?.message).toBe(
      'ServiceAccount "ci/deployer" is bound to ClusterRole "cluster-admin" in namespace "ci" and is not in allowedSubjects',
    );
  });

  it("defaults to an empty allowlist", () => {
    expect(rbacClusterAdminBinding.config?.["allowedSubjects"]?.default).toEqual([]);
  });
});

describe("subjects that grant to everyone (RBAC-018/019/020)", () => {
  const controls = [rbacAnonymousBinding, rbacAuthenticatedBinding, rbacSystemMastersBinding];

  it.each<[string, SubjectInput, string | undefined]>([
    ["User system:anonymous", user("system:anonymous"), "rbac-anonymous-binding"],
    ["Group system:unauthenticated", group("system:unauthenticated"), "rbac-anonymous-binding"],
    ["Group system:anonymous (either kind is matched)", group("system:anonymous"), "rbac-anonymous-binding"],
    ["Group system:authenticated", group("system:authenticated"), "rbac-authenticated-binding"],
    ["Group system:masters", group("system:masters"), "rbac-system-masters-binding"],
    ["Group system:serviceaccounts", group("system:serviceaccounts"), undefined],
    ["a ServiceAccount named system:anonymous", sa("system:anonymous", "x"), undefined],
    ["a named group", group("devs"), undefined],
    ["a near miss", group("system:authenticated-users"), undefined],
  ])("%s", (_name, subject, expected) => {
    for (const binding of [
      clusterRoleBinding("b", "view", [group("devs"), subject]),
      roleBinding({ kind: "ClusterRole", name: "view" }, [group("devs"), subject], "docs"),
    ]) {
      const fired = controls.filter((c) => check(c, binding).length > 0).map((c) => c.id);
      expect(fired).toEqual(expected === undefined ? [] : [expected]);
      if (expected !== undefined)
        expect(
          paths(
            check(
              controls.find((c) => c.id === expected)!,
              binding,
            ),
          ),
        ).toEqual(["subjects[1]"]);
    }
  });

  it("names the role granted", () => {
    expect(
      check(rbacAnonymousBinding, clusterRoleBinding("b", "status", [group("system:unauthenticated")]))[0]?.message,
    ).toBe(
      'subjects[0] is Group "system:unauthenticated": the binding grants ClusterRole "status" to unauthenticated requests',
    );
  });
});

describe("rbac-tenant-sa-cluster-binding", () => {
  it.each<[string, SubjectInput[], Record<string, unknown>, string[]]>([
    ["a tenant ServiceAccount", [sa("app", "shop")], {}, ["subjects[0]"]],
    [
      "kube-system, kube-public and kube-node-lease are platform",
      [sa("a", "kube-system"), sa("b", "kube-public"), sa("c", "kube-node-lease")],
      {},
      [],
    ],
    ["a namespace-less ServiceAccount matches nobody (RBAC-022 reports it)", [sa("app")], {}, []],
    ["the ServiceAccounts of a tenant namespace", [group("system:serviceaccounts:shop")], {}, ["subjects[0]"]],
    ["the ServiceAccounts of kube-system", [group("system:serviceaccounts:kube-system")], {}, []],
    ["every ServiceAccount", [group("system:serviceaccounts")], {}, ["subjects[0]"]],
    ["users and groups are not ServiceAccounts", [user("alice"), group("devs")], {}, []],
    [
      "configured platform namespaces (glob)",
      [sa("prom", "monitoring"), sa("app", "shop")],
      { platformNamespaces: ["kube-*", "monitoring"] },
      ["subjects[1]"],
    ],
  ])("%s", (_name, subjects, config, expected) => {
    expect(paths(check(rbacTenantSaClusterBinding, clusterRoleBinding("b", "view", subjects), config))).toEqual(
      expected,
    );
  });

  it("inspects ClusterRoleBindings only", () => {
    expect(rbacTenantSaClusterBinding.kinds).toEqual(["ClusterRoleBinding"]);
  });
});

describe("binding controls on odd shapes", () => {
  it.each<[string, unknown, unknown]>([
    ["no subjects, no roleRef", undefined, undefined],
    ["subjects a mapping", { kind: "User", name: "system:anonymous" }, { kind: "ClusterRole", name: "cluster-admin" }],
    ["subjects of every type", [null, 1, "x", { kind: 3, name: ["system:masters"] }], "cluster-admin"],
  ])("%s: no finding, no throw", (_n, subjects, roleRef) => {
    const object: KubeObject = { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRoleBinding", metadata: {} };
    if (subjects !== undefined) object["subjects"] = subjects;
    if (roleRef !== undefined) object["roleRef"] = roleRef;
    for (const c of [
      rbacClusterAdminBinding,
      rbacAnonymousBinding,
      rbacAuthenticatedBinding,
      rbacSystemMastersBinding,
      rbacTenantSaClusterBinding,
    ])
      expect(check(c, object)).toEqual([]);
  });
});
