import { rbacAdminEquivalentBinding } from "../../../policypack/controls/rbac/admin-equivalent-binding";
import { rbacRoleRefResolves } from "../../../policypack/controls/rbac/role-ref-resolves";
import { RoleResolver, selectorMatches } from "../../../policypack/controls/rbac/roles";
import { rbacSubjectHygiene } from "../../../policypack/controls/rbac/subject-hygiene";
import { rbacWorkloadSaPrivileges } from "../../../policypack/controls/rbac/workload-sa-privileges";
import { StackIndex } from "../../../policypack/engine/stack";
import type { KubeObject } from "../../../policypack/engine/types";
import { inEveryKind } from "../../helpers/objects";
import {
  checkStack,
  clusterRole,
  clusterRoleBinding,
  deployment,
  group,
  paths,
  role,
  roleBinding,
  rule,
  sa,
  user,
} from "./helpers";

const CORE = [""];
const RBAC = ["rbac.authorization.k8s.io"];
const AGG = (t: string): Record<string, string> => ({ [`rbac.authorization.k8s.io/aggregate-to-${t}`]: "true" });

describe("selectorMatches", () => {
  const labels = { a: "1", b: "2" };
  it.each<[string, unknown, boolean]>([
    ["empty selects everything", {}, true],
    ["matchLabels hit", { matchLabels: { a: "1" } }, true],
    ["matchLabels miss", { matchLabels: { a: "2" } }, false],
    ["In", { matchExpressions: [{ key: "b", operator: "In", values: ["2", "3"] }] }, true],
    ["NotIn", { matchExpressions: [{ key: "b", operator: "NotIn", values: ["2"] }] }, false],
    ["NotIn on an absent key", { matchExpressions: [{ key: "c", operator: "NotIn", values: ["2"] }] }, true],
    ["Exists", { matchExpressions: [{ key: "a", operator: "Exists" }] }, true],
    ["DoesNotExist", { matchExpressions: [{ key: "a", operator: "DoesNotExist" }] }, false],
    ["unknown operator", { matchExpressions: [{ key: "a", operator: "Gt", values: ["0"] }] }, false],
    ["not a mapping", "a=1", false],
  ])("%s", (_n, selector, expected) => {
    expect(selectorMatches(selector, labels)).toBe(expected);
  });
});

describe("RoleResolver: built-ins and aggregation", () => {
  const secretsRule = (rules: readonly { resources: readonly string[]; verbs: readonly string[] }[]): boolean =>
    rules.some((r) => r.resources.includes("secrets") && r.verbs.includes("get"));

  it("models edit (secrets, exec) and view (no secrets), admin = edit + RBAC writes", () => {
    const resolver = new RoleResolver(new StackIndex([]));
    expect(secretsRule(resolver.clusterRole("edit")!.rules)).toBe(true);
    expect(secretsRule(resolver.clusterRole("view")!.rules)).toBe(false);
    expect(secretsRule(resolver.clusterRole("admin")!.rules)).toBe(true);
    expect(resolver.clusterRole("admin")!.rules.some((r) => r.resources.includes("rolebindings"))).toBe(true);
    expect(resolver.clusterRole("system:node")).toBeUndefined();
  });

  it("custom roles labelled aggregate-to-view flow into view, edit and admin", () => {
    const extra = clusterRole([rule(CORE, ["nodes/proxy"], ["get"])], "extra", AGG("view"));
    const resolver = new RoleResolver(new StackIndex([extra]));
    for (const name of ["view", "edit", "admin"])
      expect(resolver.clusterRole(name)!.rules.some((r) => r.resources.includes("nodes/proxy"))).toBe(true);
  });

  it("an aggregated role gets the rules of the plain roles it reaches (its own are overwritten), cycles included", () => {
    const aggregated = (
      name: string,
      rules: unknown[],
      select: string,
      labels: Record<string, string>,
    ): KubeObject => ({
      ...clusterRole(rules, name, labels),
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [select]: "true" } }] },
    });
    const a = aggregated("a", [rule(CORE, ["configmaps"], ["get"])], "to-a", { "to-c": "true" });
    const b = clusterRole([rule(CORE, ["pods"], ["get"])], "b", { "to-a": "true" });
    const c = aggregated("c", [], "to-c", { "to-a": "true" });
    const d = clusterRole([rule(CORE, ["secrets"], ["get"])], "d", { "to-c": "true" });
    const resolver = new RoleResolver(new StackIndex([a, b, c, d]));
    expect(
      resolver
        .clusterRole("a")!
        .rules.map((r) => r.resources[0])
        .sort(),
    ).toEqual(["pods", "secrets"]);
    expect(
      resolver
        .clusterRole("c")!
        .rules.map((r) => r.resources[0])
        .sort(),
    ).toEqual(["pods", "secrets"]);
  });

  // The controller applies an empty rule list when nothing is selected, which leaves the rules the
  // role was created with (kube-apiserver 1.35, test/cluster/access-differential.test.ts), so a
  // binding to such a role grants them and the stack controls must see them.
  it("an aggregated role whose selectors pick nothing keeps its own rules, and a binding to it is judged by them", () => {
    const lonely: KubeObject = {
      ...clusterRole([rule(["*"], ["*"], ["*"])], "lonely"),
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { "example.com/none": "true" } }] },
    };
    const resolver = new RoleResolver(new StackIndex([lonely]));
    expect(resolver.clusterRole("lonely")!.rules.map((r) => r.verbs)).toEqual([["*"]]);
    const binding: KubeObject = {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: "ops" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "lonely" },
      subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: "erin" }],
    };
    expect(checkStack(rbacAdminEquivalentBinding, [lonely, binding]).length).toBeGreaterThan(0);
  });
});

describe("rbac-admin-equivalent-binding", () => {
  const star = clusterRole([rule(["*"], ["*"], ["*"])], "star");
  it.each<[string, KubeObject[], Record<string, string[]>, string[]]>([
    [
      "RoleBinding → custom * ClusterRole",
      [star, roleBinding({ kind: "ClusterRole", name: "star" }, [user("bob")], "shop")],
      {},
      ["subjects[0]"],
    ],
    [
      "RoleBinding → custom * Role",
      [
        role([rule(["*"], ["*"], ["*"])], "shop", "star"),
        roleBinding({ kind: "Role", name: "star" }, [user("bob")], "shop"),
      ],
      {},
      ["subjects[0]"],
    ],
    [
      "* with resourceNames is not admin-equivalent",
      [
        clusterRole([rule(["*"], ["*"], ["*"], { resourceNames: ["x"] })], "n"),
        clusterRoleBinding("b", "n", [user("bob")]),
      ],
      {},
      [],
    ],
    ["cluster-admin is RBAC-004's", [clusterRoleBinding("b", "cluster-admin", [user("bob")])], {}, []],
    ["ClusterRoleBinding → admin", [clusterRoleBinding("b", "admin", [group("devs")])], {}, ["subjects[0]"]],
    ["RoleBinding → admin", [roleBinding({ kind: "ClusterRole", name: "admin" }, [group("devs")], "shop")], {}, []],
    ["ClusterRoleBinding → view", [clusterRoleBinding("b", "view", [group("devs")])], {}, []],
    [
      "impersonate groups cluster-wide",
      [clusterRole([rule(CORE, ["groups"], ["impersonate"])], "sudo"), clusterRoleBinding("b", "sudo", [user("bob")])],
      {},
      ["subjects[0]"],
    ],
    [
      "impersonate groups through a RoleBinding (cluster-scoped: nothing)",
      [
        clusterRole([rule(CORE, ["groups"], ["impersonate"])], "sudo"),
        roleBinding({ kind: "ClusterRole", name: "sudo" }, [user("bob")], "shop"),
      ],
      {},
      [],
    ],
    [
      "escalate + update roles in a namespace",
      [
        role([rule(RBAC, ["roles"], ["escalate", "update"])], "shop", "e"),
        roleBinding({ kind: "Role", name: "e" }, [user("bob")], "shop"),
      ],
      {},
      ["subjects[0]"],
    ],
    [
      "escalate alone",
      [
        role([rule(RBAC, ["roles"], ["escalate"])], "shop", "e"),
        roleBinding({ kind: "Role", name: "e" }, [user("bob")], "shop"),
      ],
      {},
      [],
    ],
    [
      "bind + create rolebindings",
      [
        role([rule(RBAC, ["clusterroles"], ["bind"]), rule(RBAC, ["rolebindings"], ["create"])], "shop", "b"),
        roleBinding({ kind: "Role", name: "b" }, [user("bob")], "shop"),
      ],
      {},
      ["subjects[0]"],
    ],
    [
      "bind limited by resourceNames",
      [
        role(
          [
            rule(RBAC, ["clusterroles"], ["bind"], { resourceNames: ["view"] }),
            rule(RBAC, ["rolebindings"], ["create"]),
          ],
          "shop",
          "b",
        ),
        roleBinding({ kind: "Role", name: "b" }, [user("bob")], "shop"),
      ],
      {},
      [],
    ],
    [
      "create pods cluster-wide",
      [
        clusterRole([rule(["batch"], ["cronjobs"], ["create"])], "cron"),
        clusterRoleBinding("b", "cron", [sa("ci", "ci")]),
      ],
      {},
      ["subjects[0]"],
    ],
    [
      "create pods in one namespace",
      [
        clusterRole([rule(["batch"], ["cronjobs"], ["create"])], "cron"),
        roleBinding({ kind: "ClusterRole", name: "cron" }, [sa("ci", "ci")], "ci"),
      ],
      {},
      [],
    ],
    [
      "allowlisted subject",
      [star, clusterRoleBinding("b", "star", [user("bob"), group("oidc:sre")])],
      { allowedSubjects: ["Group:oidc:*"] },
      ["subjects[0]"],
    ],
    ["unknown role: RBAC-021's", [clusterRoleBinding("b", "nowhere", [user("bob")])], {}, []],
  ])("%s", (_name, objects, config, expected) => {
    expect(paths(checkStack(rbacAdminEquivalentBinding, objects, config))).toEqual(expected);
  });

  it("reports on the binding and names the rule that makes it admin", () => {
    const b = roleBinding({ kind: "ClusterRole", name: "star" }, [user("bob")], "shop");
    const [v] = checkStack(rbacAdminEquivalentBinding, [star, b]);
    expect(v?.object).toBe(b);
    expect(v?.message).toBe(
      'User "bob" is bound to ClusterRole "star" in namespace "shop", which is admin-equivalent: ClusterRole "star" rules[0] grants every verb on every resource in every API group',
    );
  });
});

describe("rbac-role-ref-resolves", () => {
  const reader = role([rule(CORE, ["pods"], ["get"])], "shop", "reader");
  it.each<[string, KubeObject[], Record<string, string[]>, string[]]>([
    [
      "RoleBinding → Role in its namespace",
      [reader, roleBinding({ kind: "Role", name: "reader" }, [], "shop")],
      {},
      [],
    ],
    [
      "RoleBinding → Role in another namespace",
      [reader, roleBinding({ kind: "Role", name: "reader" }, [], "staging")],
      {},
      ["roleRef.name"],
    ],
    [
      "RoleBinding → ClusterRole declared",
      [clusterRole([], "c"), roleBinding({ kind: "ClusterRole", name: "c" }, [], "shop")],
      {},
      [],
    ],
    [
      "RoleBinding → ClusterRole missing",
      [roleBinding({ kind: "ClusterRole", name: "c" }, [], "shop")],
      {},
      ["roleRef.name"],
    ],
    [
      "built-ins exist",
      [
        clusterRoleBinding("a", "cluster-admin", []),
        clusterRoleBinding("b", "edit", []),
        clusterRoleBinding("c", "system:node-proxier", []),
      ],
      {},
      [],
    ],
    [
      "ClusterRoleBinding → Role",
      [
        reader,
        {
          ...clusterRoleBinding("b", "reader", []),
          roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "reader" },
        },
      ],
      {},
      ["roleRef.kind"],
    ],
    ["unknown kind", [{ ...roleBinding({ kind: "Group", name: "x" }, [], "shop") }], {}, ["roleRef.kind"]],
    [
      "wrong apiGroup",
      [
        {
          ...clusterRoleBinding("b", "view", []),
          roleRef: { apiGroup: "rbac.example.com", kind: "ClusterRole", name: "view" },
        },
      ],
      {},
      ["roleRef.apiGroup"],
    ],
    ["missing roleRef", [{ ...clusterRoleBinding("b", "view", []), roleRef: undefined }], {}, ["roleRef"]],
    [
      "missing name",
      [{ ...clusterRoleBinding("b", "view", []), roleRef: { kind: "ClusterRole" } }],
      {},
      ["roleRef.name"],
    ],
    [
      "knownRoles: ClusterRole by name, Role by namespace/name",
      [clusterRoleBinding("b", "vendor-x", []), roleBinding({ kind: "Role", name: "old" }, [], "shop")],
      { knownRoles: ["vendor-*", "shop/old"] },
      [],
    ],
  ])("%s", (_name, objects, config, expected) => {
    expect(paths(checkStack(rbacRoleRefResolves, objects, config))).toEqual(expected);
  });

  it("a namespace-less RoleBinding resolves in the default namespace", () => {
    const rb = { ...roleBinding({ kind: "Role", name: "reader" }, []), metadata: { name: "rb" } };
    expect(checkStack(rbacRoleRefResolves, [role([], "default", "reader"), rb])).toEqual([]);
  });

  it("hints at roleRef.kind when only a ClusterRole of that name exists", () => {
    const [v] = checkStack(rbacRoleRefResolves, [
      clusterRole([], "reader"),
      roleBinding({ kind: "Role", name: "reader" }, [], "shop"),
    ]);
    expect(v?.message).toContain("a ClusterRole of that name exists: set roleRef.kind: ClusterRole");
  });
});

describe("rbac-subject-hygiene", () => {
  it.each<[string, KubeObject[], Record<string, unknown>, string[]]>([
    [
      "well-formed",
      [roleBinding({ kind: "Role", name: "r" }, [sa("a", "shop"), user("alice"), group("devs")], "shop")],
      {},
      [],
    ],
    [
      "ServiceAccount without namespace in a RoleBinding",
      [roleBinding({ kind: "Role", name: "r" }, [sa("a")], "shop")],
      {},
      ["subjects[0].namespace"],
    ],
    [
      "ServiceAccount without namespace in a ClusterRoleBinding",
      [clusterRoleBinding("b", "view", [sa("a")])],
      {},
      ["subjects[0].namespace"],
    ],
    [
      "wrong kind spelling",
      [clusterRoleBinding("b", "view", [{ kind: "serviceaccount", name: "a", namespace: "x" }])],
      {},
      ["subjects[0].kind"],
    ],
    ["no name", [clusterRoleBinding("b", "view", [{ kind: "User" }])], {}, ["subjects[0].name"]],
    [
      "ServiceAccount with the RBAC apiGroup",
      [clusterRoleBinding("b", "view", [{ ...sa("a", "x"), apiGroup: "rbac.authorization.k8s.io" }])],
      {},
      ["subjects[0].apiGroup"],
    ],
    [
      "User with a foreign apiGroup",
      [clusterRoleBinding("b", "view", [{ kind: "User", name: "u", apiGroup: "v1" }])],
      {},
      ["subjects[0].apiGroup"],
    ],
    [
      "allowlists apply when set",
      [clusterRoleBinding("b", "view", [user("alice"), user("mallory"), group("devs"), group("oidc:x")])],
      { allowedUsers: ["alice"], allowedGroups: ["oidc:*"] },
      ["subjects[1]", "subjects[2]"],
    ],
    [
      "undeclared ServiceAccount, when required",
      [
        { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "a", namespace: "shop" } },
        roleBinding({ kind: "Role", name: "r" }, [sa("a", "shop"), sa("b", "shop"), sa("default", "shop")], "shop"),
      ],
      { requireDeclaredServiceAccounts: true },
      ["subjects[1]"],
    ],
    [
      "undeclared ServiceAccount, by default",
      [roleBinding({ kind: "Role", name: "r" }, [sa("b", "shop")], "shop")],
      {},
      [],
    ],
  ])("%s", (_name, objects, config, expected) => {
    expect(paths(checkStack(rbacSubjectHygiene, objects, config as Record<string, string[]>))).toEqual(expected);
  });
});

describe("rbac-workload-sa-privileges", () => {
  const secretReader = clusterRole([rule(CORE, ["secrets"], ["get"])], "secret-reader");

  it.each<[string, KubeObject[], number]>([
    [
      "serviceAccountName bound to edit",
      [
        deployment("web", "shop", "web"),
        roleBinding({ kind: "ClusterRole", name: "edit" }, [sa("web", "shop")], "shop"),
      ],
      1,
    ],
    [
      "another ServiceAccount is bound",
      [
        deployment("web", "shop", "web"),
        roleBinding({ kind: "ClusterRole", name: "edit" }, [sa("other", "shop")], "shop"),
      ],
      0,
    ],
    [
      "same name, other namespace",
      [
        deployment("web", "shop", "web"),
        roleBinding({ kind: "ClusterRole", name: "edit" }, [sa("web", "staging")], "staging"),
      ],
      0,
    ],
    [
      "namespace-less subject means the RoleBinding's namespace",
      [deployment("web", "shop", "web"), roleBinding({ kind: "ClusterRole", name: "edit" }, [sa("web")], "shop")],
      1,
    ],
    [
      "namespace-less subject in a ClusterRoleBinding matches nobody",
      [deployment("web", "shop", "web"), clusterRoleBinding("b", "edit", [sa("web")])],
      0,
    ],
    [
      "no serviceAccountName: default",
      [deployment("web", "shop"), roleBinding({ kind: "ClusterRole", name: "edit" }, [sa("default", "shop")], "shop")],
      1,
    ],
    [
      "through system:serviceaccounts:<ns>",
      [
        secretReader,
        deployment("web", "shop", "web"),
        clusterRoleBinding("b", "secret-reader", [group("system:serviceaccounts:shop")]),
      ],
      1,
    ],
    [
      "through system:serviceaccounts",
      [
        secretReader,
        deployment("web", "shop", "web"),
        clusterRoleBinding("b", "secret-reader", [group("system:serviceaccounts")]),
      ],
      1,
    ],
    [
      "through system:authenticated",
      [
        secretReader,
        deployment("web", "shop", "web"),
        clusterRoleBinding("b", "secret-reader", [group("system:authenticated")]),
      ],
      1,
    ],
    [
      "bound twice by one binding: reported once",
      [
        secretReader,
        deployment("web", "shop", "web"),
        clusterRoleBinding("b", "secret-reader", [sa("web", "shop"), group("system:serviceaccounts")]),
      ],
      1,
    ],
    [
      "bound to view",
      [
        deployment("web", "shop", "web"),
        roleBinding({ kind: "ClusterRole", name: "view" }, [sa("web", "shop")], "shop"),
      ],
      0,
    ],
    [
      "view with an injected aggregated rule",
      [
        clusterRole([rule(CORE, ["secrets"], ["list"])], "leak", AGG("view")),
        deployment("web", "shop", "web"),
        roleBinding({ kind: "ClusterRole", name: "view" }, [sa("web", "shop")], "shop"),
      ],
      1,
    ],
    [
      "a Role with pods/exec",
      [
        role([rule(CORE, ["pods/exec"], ["get"])], "shop", "debug"),
        deployment("web", "shop", "web"),
        roleBinding({ kind: "Role", name: "debug" }, [sa("web", "shop")], "shop"),
      ],
      1,
    ],
    [
      "an unknown role",
      [
        deployment("web", "shop", "web"),
        roleBinding({ kind: "ClusterRole", name: "gone" }, [sa("web", "shop")], "shop"),
      ],
      0,
    ],
    [
      "PersistentVolume creation through a RoleBinding: cluster-scoped, nothing",
      [
        clusterRole([rule(CORE, ["persistentvolumes"], ["create"])], "pv"),
        deployment("web", "shop", "web"),
        roleBinding({ kind: "ClusterRole", name: "pv" }, [sa("web", "shop")], "shop"),
      ],
      0,
    ],
    [
      "Namespace update through a RoleBinding (its own Namespace): not in RBAC-006…017",
      [
        clusterRole([rule(CORE, ["namespaces"], ["update"])], "ns"),
        deployment("web", "shop", "web"),
        roleBinding({ kind: "ClusterRole", name: "ns" }, [sa("web", "shop")], "shop"),
      ],
      0,
    ],
  ])("%s", (_name, objects, count) => {
    expect(checkStack(rbacWorkloadSaPrivileges, objects)).toHaveLength(count);
  });

  it("covers every pod-bearing kind, at its serviceAccountName path", () => {
    const workloads = inEveryKind({ serviceAccountName: "app", containers: [{ name: "c", image: "i" }] });
    const binding = roleBinding({ kind: "ClusterRole", name: "edit" }, [sa("app", "app")], "app");
    const found = checkStack(rbacWorkloadSaPrivileges, [...workloads, binding]);
    expect(found.map((v) => v.object?.kind)).toEqual(workloads.map((w) => w.kind));
    expect(found.find((v) => v.object?.kind === "CronJob")?.path).toBe(
      "spec.jobTemplate.spec.template.spec.serviceAccountName",
    );
    expect(found.find((v) => v.object?.kind === "Pod")?.path).toBe("spec.serviceAccountName");
  });

  it("honours the deprecated serviceAccount field", () => {
    const pod: KubeObject = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p", namespace: "shop" },
      spec: { serviceAccount: "legacy", containers: [{ name: "c", image: "i" }] },
    };
    const binding = roleBinding({ kind: "ClusterRole", name: "edit" }, [sa("legacy", "shop")], "shop");
    expect(checkStack(rbacWorkloadSaPrivileges, [pod, binding])).toHaveLength(1);
  });

  it("names the ServiceAccount, the binding, the role and what it allows", () => {
    const [v] = checkStack(rbacWorkloadSaPrivileges, [
      secretReader,
      deployment("web", "shop", "web"),
      clusterRoleBinding("b", "secret-reader", [group("system:serviceaccounts:shop")]),
    ]);
    expect(v?.message).toBe(
      'ServiceAccount "shop/web" is bound through Group "system:serviceaccounts:shop" by ClusterRoleBinding b to ClusterRole "secret-reader" cluster-wide, which lets it read Secret contents (RBAC-006)',
    );
  });

  it("indexes the stack once, however many workloads and bindings", () => {
    const objects: KubeObject[] = [secretReader];
    for (let i = 0; i < 200; i++) {
      objects.push(deployment(`w${i}`, `ns${i}`, "app"));
      objects.push(
        roleBinding(
          { kind: "ClusterRole", name: i % 2 === 0 ? "secret-reader" : "view" },
          [sa("app")],
          `ns${i}`,
          `rb${i}`,
        ),
      );
    }
    const stack = new StackIndex(objects);
    let byKindCalls = 0;
    const original = stack.byKind.bind(stack);
    stack.byKind = (kind: string) => {
      byKindCalls++;
      return original(kind);
    };
    const found = rbacWorkloadSaPrivileges.checkStack(stack, { level: "hardened", config: {}, policyVersion: 36 });
    expect(found).toHaveLength(100);
    expect(byKindCalls).toBeLessThanOrEqual(4);
  });

  it("odd shapes: no throw", () => {
    const weird: KubeObject[] = [
      {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "RoleBinding",
        metadata: { name: "x", namespace: "a" },
        subjects: "all",
        roleRef: 7,
      },
      {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "ClusterRoleBinding",
        metadata: { name: "y" },
        subjects: [null, { kind: "Group" }],
        roleRef: { kind: "ClusterRole" },
      },
      {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "ClusterRole",
        metadata: { name: "z" },
        rules: "x",
        aggregationRule: { clusterRoleSelectors: "all" },
      },
      { apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "a" }, spec: { serviceAccountName: 5 } },
    ];
    for (const c of [rbacWorkloadSaPrivileges, rbacAdminEquivalentBinding, rbacRoleRefResolves, rbacSubjectHygiene])
      expect(() => checkStack(c, weird)).not.toThrow();
  });
});
