import { rbacAggregationInjection } from "../../../policypack/controls/rbac/aggregation-injection";
import type { KubeObject } from "../../../policypack/engine/types";
import { check, clusterRole, paths, rule, type RuleInput } from "./helpers";

const CORE = [""];
const RBAC = ["rbac.authorization.k8s.io"];
const to = (...targets: string[]): Record<string, string> =>
  Object.fromEntries(targets.map((t) => [`rbac.authorization.k8s.io/aggregate-to-${t}`, "true"]));

describe("rbac-aggregation-injection: aggregated rules", () => {
  it.each<[string, Record<string, string> | undefined, RuleInput, boolean]>([
    ["CRD verbs into edit", to("edit", "admin"), rule(["example.com"], ["widgets"], ["*"]), false],
    ["secrets read into view", to("view"), rule(CORE, ["secrets"], ["get"]), true],
    ["secrets read into edit (edit has it)", to("edit"), rule(CORE, ["secrets"], ["get", "list", "watch"]), false],
    [
      "secrets read labelled for view and edit: view decides",
      to("edit", "view"),
      rule(CORE, ["secrets"], ["get"]),
      true,
    ],
    [
      "impersonate serviceaccounts into edit (edit has it)",
      to("edit"),
      rule(CORE, ["serviceaccounts"], ["impersonate"]),
      false,
    ],
    ["impersonate users into edit", to("edit"), rule(CORE, ["users"], ["impersonate"]), true],
    [
      "rolebindings writes into admin (admin has them)",
      to("admin"),
      rule(RBAC, ["rolebindings"], ["create", "update"]),
      false,
    ],
    ["rolebindings writes into edit", to("edit"), rule(RBAC, ["rolebindings"], ["create"]), true],
    ["bind into admin", to("admin"), rule(RBAC, ["clusterroles"], ["bind"]), true],
    ["nodes/proxy into admin", to("admin"), rule(CORE, ["nodes/proxy"], ["get"]), true],
    ["exec into edit (edit has it)", to("edit"), rule(CORE, ["pods/exec"], ["create"]), false],
    ["ephemeral containers into edit", to("edit"), rule(CORE, ["pods/ephemeralcontainers"], ["patch"]), true],
    [
      "networkpolicies writes into view",
      to("view"),
      rule(["networking.k8s.io"], ["networkpolicies"], ["update"]),
      true,
    ],
    ["* * * into view", to("view"), rule(["*"], ["*"], ["*"]), true],
    [
      'label value other than "true"',
      { "rbac.authorization.k8s.io/aggregate-to-view": "false" },
      rule(CORE, ["secrets"], ["get"]),
      false,
    ],
    ["no aggregation label", undefined, rule(CORE, ["secrets"], ["get"]), false],
  ])("%s", (_name, labels, r, fires) => {
    const object = clusterRole([rule(["example.com"], ["widgets"], ["get"]), r], "x", labels);
    const found = check(rbacAggregationInjection, object);
    expect(found.length > 0).toBe(fires);
    for (const v of found) expect(v.path).toBe("rules[1]");
  });

  it("reports each injected capability, naming the target", () => {
    const object = clusterRole([rule(CORE, ["secrets", "nodes/proxy"], ["get"])], "x", to("view"));
    expect(check(rbacAggregationInjection, object).map((v) => v.message)).toEqual([
      'rules[0] grants "get" on "secrets" (read Secret contents), which label rbac.authorization.k8s.io/aggregate-to-view injects into the built-in ClusterRole "view"',
      'rules[0] grants "get" on "nodes/proxy" (reach the kubelet API, including exec in every pod of the node), which label rbac.authorization.k8s.io/aggregate-to-view injects into the built-in ClusterRole "view"',
    ]);
  });
});

describe("rbac-aggregation-injection: aggregationRule selectors", () => {
  it.each<[string, unknown[], string[]]>([
    ["a dedicated label", [{ matchLabels: { "example.com/aggregate-to-ops": "true" } }], []],
    ["empty selector", [{}], ["aggregationRule.clusterRoleSelectors[0]"]],
    [
      "only NotIn",
      [{ matchExpressions: [{ key: "team", operator: "NotIn", values: ["x"] }] }],
      ["aggregationRule.clusterRoleSelectors[0]"],
    ],
    ["Exists on a dedicated key", [{ matchExpressions: [{ key: "example.com/ops", operator: "Exists" }] }], []],
    [
      "the bootstrap label selects cluster-admin",
      [
        { matchLabels: { "example.com/x": "true" } },
        { matchLabels: { "kubernetes.io/bootstrapping": "rbac-defaults" } },
      ],
      ["aggregationRule.clusterRoleSelectors[1]"],
    ],
    [
      "the built-in admin label (becomes admin: fine)",
      [{ matchLabels: { "rbac.authorization.k8s.io/aggregate-to-admin": "true" } }],
      [],
    ],
  ])("%s", (_name, selectors, expected) => {
    const object: KubeObject = { ...clusterRole([], "agg"), aggregationRule: { clusterRoleSelectors: selectors } };
    expect(paths(check(rbacAggregationInjection, object))).toEqual(expected);
  });

  it("says what the selector reaches", () => {
    const object: KubeObject = { ...clusterRole([], "agg"), aggregationRule: { clusterRoleSelectors: [{}] } };
    expect(check(rbacAggregationInjection, object)[0]?.message).toBe(
      'aggregationRule.clusterRoleSelectors[0] selects ClusterRole "cluster-admin", whose rules this ClusterRole then grants',
    );
  });

  it.each<[string, unknown]>([
    ["selectors a string", { clusterRoleSelectors: "all" }],
    ["no selectors", {}],
    ["aggregationRule a list", [{}]],
  ])("odd shape (%s): no finding, no throw", (_n, aggregationRule) => {
    expect(check(rbacAggregationInjection, { ...clusterRole([], "agg"), aggregationRule })).toEqual([]);
  });
});
