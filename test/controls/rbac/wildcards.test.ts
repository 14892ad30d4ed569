import { rbacWildcardApiGroups } from "../../../policypack/controls/rbac/wildcard-api-groups";
import { rbacWildcardResources } from "../../../policypack/controls/rbac/wildcard-resources";
import { rbacWildcardVerbs } from "../../../policypack/controls/rbac/wildcard-verbs";
import type { KubeObject } from "../../../policypack/engine/types";
import { check, clusterRole, paths, role, rule, type RuleInput } from "./helpers";

const inBothKinds = (rules: RuleInput[]): KubeObject[] => [role(rules), clusterRole(rules)];

describe("rbac-wildcard-verbs", () => {
  it.each<[string, RuleInput[], string[]]>([
    ["explicit verbs", [rule([""], ["pods"], ["get", "list"])], []],
    ["* in rules[0]", [rule([""], ["pods"], ["*"])], ["rules[0].verbs"]],
    [
      "* in rules[2] only",
      [
        rule([""], ["pods"], ["get"]),
        rule(["apps"], ["deployments"], ["list"]),
        rule(["batch"], ["jobs"], ["get", "*"]),
      ],
      ["rules[2].verbs"],
    ],
    [
      "* in every rule",
      [rule([""], ["pods"], ["*"]), rule([""], ["services"], ["*"])],
      ["rules[0].verbs", "rules[1].verbs"],
    ],
    ["* on nonResourceURLs", [{ nonResourceURLs: ["/healthz"], verbs: ["*"] }], ["rules[0].verbs"]],
    ["a verb containing * is not the wildcard", [rule([""], ["pods"], ["get*"])], []],
  ])("%s", (_name, rules, expected) => {
    for (const object of inBothKinds(rules)) expect(paths(check(rbacWildcardVerbs, object))).toEqual(expected);
  });

  it.each<[string, RuleInput, string]>([
    [
      "escalate, bind and impersonate only where they mean something",
      rule(["*"], ["*"], ["*"]),
      'rules[0] grants every verb ("*") on "*", including escalate, bind and impersonate',
    ],
    [
      "roles: escalate and bind",
      rule(["rbac.authorization.k8s.io"], ["roles"], ["*"]),
      'rules[0] grants every verb ("*") on "roles", including escalate and bind',
    ],
    [
      "serviceaccounts: impersonate",
      rule([""], ["serviceaccounts"], ["*"]),
      'rules[0] grants every verb ("*") on "serviceaccounts", including impersonate',
    ],
    [
      "secrets: the writes, no special verb",
      rule([""], ["secrets"], ["*"]),
      'rules[0] grants every verb ("*") on "secrets": every write (create, update, patch, delete, deletecollection) and any verb added later',
    ],
    [
      "statefulsets: the writes, no special verb",
      rule(["apps"], ["statefulsets"], ["*"]),
      'rules[0] grants every verb ("*") on "statefulsets": every write (create, update, patch, delete, deletecollection) and any verb added later',
    ],
    [
      "nonResourceURLs: HTTP methods",
      { nonResourceURLs: ["/metrics"], verbs: ["*"] },
      'rules[0] grants every verb ("*") on nonResourceURLs "/metrics": every HTTP method, where such endpoints are usually only read (get)',
    ],
  ])("says what * means: %s", (_name, r, message) => {
    expect(check(rbacWildcardVerbs, clusterRole([r]))[0]?.message).toBe(message);
  });

  it("a Role's * on users does not impersonate (a RoleBinding cannot grant users)", () => {
    expect(check(rbacWildcardVerbs, role([rule([""], ["users"], ["*"])]))[0]?.message).toMatch(/: every write/);
  });
});

describe("rbac-wildcard-resources", () => {
  it.each<[string, RuleInput[], string[]]>([
    ["named resources and subresources", [rule([""], ["pods", "pods/log", "deployments/scale"], ["get"])], []],
    ["*", [rule(["apps"], ["*"], ["get"])], ["rules[0].resources"]],
    ["*/sub", [rule([""], ["*/scale"], ["get"])], ["rules[0].resources"]],
    ["resource/*", [rule([""], ["pods/*"], ["get"])], ["rules[0].resources"]],
    ["second rule", [rule([""], ["pods"], ["get"]), rule([""], ["services", "*"], ["get"])], ["rules[1].resources"]],
    ["nonResourceURLs * is not a resource", [{ nonResourceURLs: ["*"], verbs: ["get"] }], []],
  ])("%s", (_name, rules, expected) => {
    for (const object of inBothKinds(rules)) expect(paths(check(rbacWildcardResources, object))).toEqual(expected);
  });

  it("says that resource/* is matched literally and grants nothing", () => {
    expect(check(rbacWildcardResources, role([rule([""], ["pods/*"], ["get"])]))[0]?.message).toBe(
      'rules[0] lists "pods/*", which the authorizer matches literally (no subresource is named "*"): that entry grants nothing; name the subresources meant (e.g. "pods/log")',
    );
    expect(check(rbacWildcardResources, role([rule([""], ["*", "pods/*"], ["get"])]))[0]?.message).toBe(
      'rules[0] grants "get" on wildcard resources "*" in apiGroups ""; it also lists "pods/*", which the authorizer matches literally (no subresource is named "*"): that entry grants nothing; name the subresources meant (e.g. "pods/log")',
    );
  });

  it("lists only the wildcard entries", () => {
    expect(check(rbacWildcardResources, role([rule([""], ["pods", "*/exec"], ["get"])]))[0]?.message).toBe(
      'rules[0] grants "get" on wildcard resources "*/exec" in apiGroups ""',
    );
  });
});

describe("rbac-wildcard-api-groups", () => {
  it.each<[string, RuleInput[], string[]]>([
    ["named groups", [rule(["", "apps"], ["pods", "deployments"], ["get"])], []],
    ["* alone", [rule(["*"], ["ingresses"], ["get"])], ["rules[0].apiGroups"]],
    [
      "* beside a group, rules[1]",
      [rule([""], ["pods"], ["get"]), rule(["apps", "*"], ["deployments"], ["get"])],
      ["rules[1].apiGroups"],
    ],
    ["a group containing * is not the wildcard", [rule(["*.example.com"], ["widgets"], ["get"])], []],
  ])("%s", (_name, rules, expected) => {
    for (const object of inBothKinds(rules)) expect(paths(check(rbacWildcardApiGroups, object))).toEqual(expected);
  });
});

describe("wildcard controls on odd shapes", () => {
  it.each<[string, unknown]>([
    ["no rules", undefined],
    ["rules is a string", "*"],
    ["rules hold non-mappings", [null, 3, "*", ["*"]]],
    ["fields of the wrong type", [{ apiGroups: "*", resources: { a: 1 }, verbs: [1, null] }]],
  ])("%s: no finding, no throw", (_name, rules) => {
    const object: KubeObject = {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: "x" },
    };
    if (rules !== undefined) object["rules"] = rules;
    for (const c of [rbacWildcardVerbs, rbacWildcardResources, rbacWildcardApiGroups])
      expect(check(c, object)).toEqual([]);
  });
});
