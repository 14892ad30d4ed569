import {
  allows,
  ANY_VERB,
  describeGrant,
  grantsOf,
  matchRule,
  ruleGrant,
  rulesOf,
  type Rule,
} from "../../../policypack/controls/rbac/rules";
import { POD_EXEC, SECRETS_READ, NODES_PROXY } from "../../../policypack/controls/rbac/permissions";

function r(apiGroups: string[], resources: string[], verbs: string[], resourceNames: string[] = []): Rule {
  return { index: 0, path: "rules[0]", apiGroups, resources, verbs, resourceNames, nonResourceURLs: [] };
}

describe("matchRule: the authorizer's semantics", () => {
  it.each([
    // [rule groups, resources, verbs] × request → matches?
    [[""], ["pods"], ["get"], "get", "", "pods", true],
    [[""], ["pods"], ["get"], "list", "", "pods", false],
    [[""], ["pods"], ["*"], "delete", "", "pods", true],
    [["*"], ["pods"], ["get"], "get", "example.com", "pods", true],
    [["apps"], ["pods"], ["get"], "get", "", "pods", false],
    [[""], ["*"], ["get"], "get", "", "secrets", true],
    [[""], ["*"], ["get"], "get", "", "pods/exec", true],
    [[""], ["pods"], ["get"], "get", "", "pods/exec", false],
    [[""], ["*/exec"], ["get"], "get", "", "pods/exec", true],
    [[""], ["*/exec"], ["get"], "get", "", "pods", false],
    [[""], ["*/exe"], ["get"], "get", "", "pods/exec", false],
    [[""], ["pods/*"], ["get"], "get", "", "pods/exec", false],
    [[""], ["pods/*"], ["get"], "get", "", "pods", false],
    [[""], ["nodes/*"], ["get"], "get", "", "pods/exec", false],
    [
      ["authentication.k8s.io"],
      ["userextras/scopes"],
      ["impersonate"],
      "impersonate",
      "authentication.k8s.io",
      "userextras/*",
      true,
    ],
    [
      ["authentication.k8s.io"],
      ["*/scopes"],
      ["impersonate"],
      "impersonate",
      "authentication.k8s.io",
      "userextras/*",
      true,
    ],
    [
      ["authentication.k8s.io"],
      ["userextras"],
      ["impersonate"],
      "impersonate",
      "authentication.k8s.io",
      "userextras/*",
      false,
    ],
    [[""], ["nodes/proxy"], ["watch"], ANY_VERB, "", "nodes/proxy", true],
    [[""], ["nodes/proxy"], [], ANY_VERB, "", "nodes/proxy", false],
    [[""], ["pods"], ["GET"], "get", "", "pods", false],
    [[], ["secrets"], ["get"], "get", "", "secrets", false],
    [[""], [], ["*"], "get", "", "secrets", false],
  ] as const)("%j %j %j grants %s %j %s: %s", (groups, resources, verbs, verb, group, resource, expected) => {
    expect(matchRule(r([...groups], [...resources], [...verbs]), { verb, group, resource }) !== undefined).toBe(
      expected,
    );
  });

  it("names the entries that matched, the specific one before a wildcard", () => {
    expect(
      matchRule(r(["*", ""], ["*", "secrets"], ["*", "get"]), { verb: "get", group: "", resource: "secrets" }),
    ).toEqual({ verb: "get", group: "", resource: "secrets", narrowed: false });
    expect(matchRule(r(["*"], ["*"], ["*"]), { verb: "get", group: "", resource: "secrets" })).toEqual({
      verb: "*",
      group: "*",
      resource: "*",
      narrowed: false,
    });
  });

  it("resourceNames narrows a grant without clearing it", () => {
    const m = matchRule(r([""], ["secrets"], ["get"], ["tls"]), { verb: "get", group: "", resource: "secrets" });
    expect(m?.narrowed).toBe(true);
    expect(
      allows([r([""], ["secrets"], ["get"], ["tls"])], { verb: "get", group: "", resource: "secrets" }, true),
    ).toBeUndefined();
  });

  it("a nonResourceURLs rule grants nothing on resources", () => {
    const [rule] = rulesOf({ rules: [{ nonResourceURLs: ["*"], verbs: ["*"] }] });
    expect(matchRule(rule!, { verb: "get", group: "", resource: "secrets" })).toBeUndefined();
  });
});

describe("rulesOf: odd shapes", () => {
  it.each([
    ["no rules", {}],
    ["rules not a list", { rules: "x" }],
    ["null", { rules: null }],
  ])("%s → no rules", (_n, object) => {
    expect(rulesOf(object)).toEqual([]);
  });

  it("skips non-mapping entries and keeps the indexes of the others", () => {
    const rules = rulesOf({ rules: [7, null, { apiGroups: [""], resources: "pods", verbs: ["get", 3] }] });
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({ index: 2, path: "rules[2]", resources: [], verbs: ["get"] });
  });
});

describe("ruleGrant / describeGrant", () => {
  it("reports the concrete verbs and resources, the wildcards and the resourceNames", () => {
    const g = ruleGrant(r([""], ["*/exec", "pods/attach"], ["get", "create", "delete"], ["web-0"]), POD_EXEC);
    expect(g).toMatchObject({ verbs: ["get", "create"], resources: ["pods/exec", "pods/attach"], narrowed: true });
    expect(describeGrant(g!, POD_EXEC.what)).toBe(
      'rules[0] grants "get", "create" on "pods/exec", "pods/attach" through wildcard "*/exec", only for resourceNames "web-0" (exec, attach or port-forward into containers)',
    );
  });

  it("the brief's example message", () => {
    const rules = rulesOf({
      rules: [
        { apiGroups: [""], resources: ["pods"], verbs: ["get"] },
        { apiGroups: [""], resources: ["pods/exec"], verbs: ["get"] },
      ],
    });
    expect(grantsOf(rules, POD_EXEC).map((g) => describeGrant(g, "exec into containers"))).toEqual([
      'rules[1] grants "get" on "pods/exec" (exec into containers)',
    ]);
  });

  it("any verb on nodes/proxy reports the rule's own verbs", () => {
    expect(ruleGrant(r([""], ["nodes/proxy"], ["watch", "list"]), NODES_PROXY)?.verbs).toEqual(["watch", "list"]);
  });

  it("a namespace-scoped grant leaves out cluster-scoped resources", () => {
    const all = r(["*"], ["*"], ["*"]);
    expect(ruleGrant(all, NODES_PROXY, "namespace")).toBeUndefined();
    expect(ruleGrant(all, SECRETS_READ, "namespace")).toBeDefined();
  });
});
