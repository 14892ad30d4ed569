/**
 * The verb × resource × apiGroup matrix: for each rule, exactly which role controls fire. The peer
 * pitfalls of CONTROLS.md §G are rows here (rules[1] wildcard, `*` verb on secrets, `get` on
 * pods/exec, impersonate in the core group, bind on roles not bindings, `cronjobs` plural, VAP
 * writes), and a stack table covers ClusterRoles reached through RoleBindings.
 */
import fc from "fast-check";
import { rbacControls } from "../../../policypack/controls/rbac";
import { rbacRoleRefResolves } from "../../../policypack/controls/rbac/role-ref-resolves";
import { rbacWorkloadSaPrivileges } from "../../../policypack/controls/rbac/workload-sa-privileges";
import { rbacAdminEquivalentBinding } from "../../../policypack/controls/rbac/admin-equivalent-binding";
import type { ResourceControl } from "../../../policypack/engine/control";
import type { KubeObject } from "../../../policypack/engine/types";
import {
  check,
  checkStack,
  clusterRole,
  clusterRoleBinding,
  deployment,
  role,
  roleBinding,
  rule,
  sa,
  type RuleInput,
} from "./helpers";

const ROLE_CONTROLS = rbacControls.filter(
  (c): c is ResourceControl => c.scope === "resource" && c.kinds.includes("ClusterRole"),
);

function firing(object: KubeObject): string[] {
  return ROLE_CONTROLS.filter((c) => check(c, object).length > 0)
    .map((c) => c.id.replace(/^rbac-/, ""))
    .sort();
}

const CORE = [""];
const RBAC = ["rbac.authorization.k8s.io"];
const ADM = ["admissionregistration.k8s.io"];
const EVERYTHING = [
  "admission-writes",
  "bind",
  "binding-writes",
  "create-persistent-volumes",
  "create-pods",
  "csr-approval",
  "destructive-verbs",
  "escalate",
  "guardrail-writes",
  "impersonate",
  "kube-system-configmap-writes",
  "namespace-update",
  "nodes-proxy",
  "pod-exec",
  "secrets-read",
  "service-account-token-create",
  "wildcard-api-groups",
  "wildcard-resources",
  "wildcard-verbs",
];

describe("verb × resource × apiGroup matrix (one rule in a ClusterRole)", () => {
  it.each<[string, RuleInput, string[]]>([
    ["read-only configmaps", rule(CORE, ["configmaps"], ["get", "list", "watch"]), []],
    ["* * *", rule(["*"], ["*"], ["*"]), EVERYTHING],
    // Secrets (§G #21: verb "*" on secrets)
    ["* verb on secrets", rule(CORE, ["secrets"], ["*"]), ["secrets-read", "wildcard-verbs"]],
    ["get secrets", rule(CORE, ["secrets"], ["get"]), ["secrets-read"]],
    ["list secrets", rule(CORE, ["secrets"], ["list"]), ["secrets-read"]],
    ["watch secrets", rule(CORE, ["secrets"], ["watch"]), ["secrets-read"]],
    ["write-only secrets", rule(CORE, ["secrets"], ["create", "update", "delete"]), []],
    ["secrets in the wrong group", rule(["apps"], ["secrets"], ["get"]), []],
    ["secrets in group *", rule(["*"], ["secrets"], ["get"]), ["secrets-read", "wildcard-api-groups"]],
    // Naming the Secret is the remediation rbac-secrets-read gives.
    ["named secret", rule(CORE, ["secrets"], ["get"], { resourceNames: ["tls"] }), []],
    [
      "get on every core resource",
      rule(CORE, ["*"], ["get"]),
      ["nodes-proxy", "pod-exec", "secrets-read", "wildcard-resources"],
    ],
    // Exec (§G #12: get counts)
    ["get pods/exec", rule(CORE, ["pods/exec"], ["get"]), ["pod-exec"]],
    ["create pods/exec", rule(CORE, ["pods/exec"], ["create"]), ["pod-exec"]],
    ["list pods/exec", rule(CORE, ["pods/exec"], ["list"]), []],
    ["get pods/attach", rule(CORE, ["pods/attach"], ["get"]), ["pod-exec"]],
    ["create pods/portforward", rule(CORE, ["pods/portforward"], ["create"]), ["pod-exec"]],
    ["create */exec", rule(CORE, ["*/exec"], ["create"]), ["pod-exec", "wildcard-resources"]],
    // The authorizer does not expand `pods/*`: it grants no exec, but it is still a wildcard spelling.
    ["get pods/*", rule(CORE, ["pods/*"], ["get"]), ["wildcard-resources"]],
    ["patch pods/ephemeralcontainers", rule(CORE, ["pods/ephemeralcontainers"], ["patch"]), ["pod-exec"]],
    ["get pods/log", rule(CORE, ["pods", "pods/log"], ["get", "list"]), []],
    // Pod creation (§G #13: plurals, every controller)
    ["create pods", rule(CORE, ["pods"], ["create"]), ["create-pods"]],
    ["create cronjobs", rule(["batch"], ["cronjobs"], ["create"]), ["create-pods"]],
    ["create cronjob (singular: no such resource)", rule(["batch"], ["cronjob"], ["create"]), []],
    ["create jobs with *", rule(["batch"], ["jobs"], ["*"]), ["create-pods", "wildcard-verbs"]],
    ["create deployments (apps)", rule(["apps"], ["deployments"], ["create"]), ["create-pods"]],
    ["create deployments (extensions)", rule(["extensions"], ["deployments"], ["create"]), ["create-pods"]],
    ["create statefulsets (extensions never served them)", rule(["extensions"], ["statefulsets"], ["create"]), []],
    ["create sts/ds/rs", rule(["apps"], ["statefulsets", "daemonsets", "replicasets"], ["create"]), ["create-pods"]],
    ["create replicationcontrollers", rule(CORE, ["replicationcontrollers"], ["create"]), ["create-pods"]],
    ["update deployments", rule(["apps"], ["deployments"], ["update", "patch"]), []],
    // Escalate / bind (§G #10: bind is checked on roles)
    ["escalate roles", rule(RBAC, ["roles"], ["escalate"]), ["escalate"]],
    ["escalate clusterroles", rule(RBAC, ["clusterroles"], ["escalate"]), ["escalate"]],
    ["bind roles", rule(RBAC, ["roles"], ["bind"]), ["bind"]],
    ["bind clusterroles", rule(RBAC, ["clusterroles"], ["bind"]), ["bind"]],
    ["bind rolebindings (grants nothing)", rule(RBAC, ["rolebindings"], ["bind"]), []],
    ["bind clusterrolebindings (grants nothing)", rule(RBAC, ["clusterrolebindings"], ["bind"]), []],
    ["* on roles", rule(RBAC, ["roles"], ["*"]), ["bind", "escalate", "wildcard-verbs"]],
    ["escalate roles in group *", rule(["*"], ["roles"], ["escalate"]), ["escalate", "wildcard-api-groups"]],
    ["create rolebindings", rule(RBAC, ["rolebindings"], ["create"]), ["binding-writes"]],
    ["patch clusterrolebindings", rule(RBAC, ["clusterrolebindings"], ["patch"]), ["binding-writes"]],
    // Impersonate (§G #11: core group)
    ["impersonate users (core)", rule(CORE, ["users"], ["impersonate"]), ["impersonate"]],
    ["impersonate groups (core)", rule(CORE, ["groups"], ["impersonate"]), ["impersonate"]],
    ["impersonate serviceaccounts", rule(CORE, ["serviceaccounts"], ["impersonate"]), ["impersonate"]],
    ["impersonate uids", rule(["authentication.k8s.io"], ["uids"], ["impersonate"]), ["impersonate"]],
    [
      "impersonate userextras/scopes",
      rule(["authentication.k8s.io"], ["userextras/scopes"], ["impersonate"]),
      ["impersonate"],
    ],
    [
      "impersonate userextras/*",
      rule(["authentication.k8s.io"], ["userextras/*"], ["impersonate"]),
      ["impersonate", "wildcard-resources"],
    ],
    ["impersonate groups in group *", rule(["*"], ["groups"], ["impersonate"]), ["impersonate", "wildcard-api-groups"]],
    ["get users", rule(CORE, ["users"], ["get"]), []],
    // nodes/proxy: any verb
    ["get nodes/proxy", rule(CORE, ["nodes/proxy"], ["get"]), ["nodes-proxy"]],
    ["list nodes/proxy", rule(CORE, ["nodes/proxy"], ["list"]), ["nodes-proxy"]],
    ["create nodes/proxy", rule(CORE, ["nodes/proxy"], ["create"]), ["nodes-proxy"]],
    ["get */proxy", rule(CORE, ["*/proxy"], ["get"]), ["nodes-proxy", "wildcard-resources"]],
    ["get nodes/*", rule(CORE, ["nodes/*"], ["get"]), ["wildcard-resources"]],
    ["get nodes", rule(CORE, ["nodes", "nodes/metrics"], ["get"]), []],
    // PVs, CSRs, tokens
    ["create persistentvolumes", rule(CORE, ["persistentvolumes"], ["create"]), ["create-persistent-volumes"]],
    ["create persistentvolumeclaims", rule(CORE, ["persistentvolumeclaims"], ["create"]), []],
    [
      "update CSR approval",
      rule(["certificates.k8s.io"], ["certificatesigningrequests/approval"], ["update"]),
      ["csr-approval"],
    ],
    ["approve signers", rule(["certificates.k8s.io"], ["signers"], ["approve"]), ["csr-approval"]],
    ["create CSRs", rule(["certificates.k8s.io"], ["certificatesigningrequests"], ["create"]), []],
    [
      "create serviceaccounts/token",
      rule(CORE, ["serviceaccounts/token"], ["create"]),
      ["service-account-token-create"],
    ],
    ["create serviceaccounts", rule(CORE, ["serviceaccounts"], ["create"]), []],
    // Admission (§G #20: VAP/MAP and bindings)
    [
      "create validatingwebhookconfigurations",
      rule(ADM, ["validatingwebhookconfigurations"], ["create"]),
      ["admission-writes"],
    ],
    [
      "patch mutatingwebhookconfigurations",
      rule(ADM, ["mutatingwebhookconfigurations"], ["patch"]),
      ["admission-writes"],
    ],
    [
      "update validatingadmissionpolicies",
      rule(ADM, ["validatingadmissionpolicies"], ["update"]),
      ["admission-writes"],
    ],
    [
      "delete validatingadmissionpolicybindings",
      rule(ADM, ["validatingadmissionpolicybindings"], ["delete"]),
      ["admission-writes"],
    ],
    [
      "deletecollection mutatingadmissionpolicies",
      rule(ADM, ["mutatingadmissionpolicies"], ["deletecollection"]),
      ["admission-writes"],
    ],
    [
      "create mutatingadmissionpolicybindings",
      rule(ADM, ["mutatingadmissionpolicybindings"], ["create"]),
      ["admission-writes"],
    ],
    ["read webhooks", rule(ADM, ["validatingwebhookconfigurations"], ["get", "list", "watch"]), []],
    // Guardrails, namespaces, evidence, configmaps
    ["delete networkpolicies", rule(["networking.k8s.io"], ["networkpolicies"], ["delete"]), ["guardrail-writes"]],
    ["update resourcequotas", rule(CORE, ["resourcequotas"], ["update"]), ["guardrail-writes"]],
    ["create limitranges", rule(CORE, ["limitranges"], ["create"]), ["guardrail-writes"]],
    ["patch namespaces", rule(CORE, ["namespaces"], ["patch"]), ["namespace-update"]],
    ["create namespaces", rule(CORE, ["namespaces"], ["create"]), []],
    ["delete events", rule(["", "events.k8s.io"], ["events"], ["delete"]), ["destructive-verbs"]],
    ["deletecollection pods/log", rule(CORE, ["pods/log"], ["deletecollection"]), ["destructive-verbs"]],
    ["update configmaps (ClusterRole)", rule(CORE, ["configmaps"], ["update"]), ["kube-system-configmap-writes"]],
    // Shapes that grant nothing
    ["nonResourceURLs with *", { nonResourceURLs: ["*"], verbs: ["*"] }, ["wildcard-verbs"]],
    ["no apiGroups", { resources: ["secrets"], verbs: ["get"] }, []],
    ["upper-case verb", rule(CORE, ["secrets"], ["GET"]), []],
  ])("%s", (_name, r, expected) => {
    expect(firing(clusterRole([r]))).toEqual([...expected].sort());
  });

  it("rules[1] wildcard: every rule is inspected, not rules[0]", () => {
    const object = clusterRole([rule(CORE, ["configmaps"], ["get"]), rule(["*"], ["*"], ["*"])]);
    expect(firing(object)).toEqual(EVERYTHING);
    for (const c of ROLE_CONTROLS) for (const v of check(c, object)) expect(v.path?.startsWith("rules[1]")).toBe(true);
  });

  // A Role is bound by RoleBindings only, which never grant cluster-scoped requests: the real
  // authorizer denies them (test/cluster/rbac-agreement.test.ts), so a Role does not fire those.
  const CLUSTER_SCOPED_ONLY = ["admission-writes", "create-persistent-volumes", "csr-approval", "nodes-proxy"];

  it("the same rule in a tenant Role fires the same controls, except cluster-scoped grants and the kube-system ConfigMap check", () => {
    expect(firing(role([rule(["*"], ["*"], ["*"])], "shop"))).toEqual(
      EVERYTHING.filter((id) => id !== "kube-system-configmap-writes" && !CLUSTER_SCOPED_ONLY.includes(id)),
    );
    expect(firing(role([rule(["*"], ["*"], ["*"])], "kube-system"))).toEqual(
      EVERYTHING.filter(
        (id) => id !== "binding-writes" && id !== "guardrail-writes" && !CLUSTER_SCOPED_ONLY.includes(id),
      ),
    );
  });
});

describe("stack pitfalls: roles reached through bindings", () => {
  const secretReader = clusterRole([rule(CORE, ["secrets"], ["get"])], "secret-reader");
  const nodeProxy = clusterRole([rule(CORE, ["nodes/proxy"], ["get"])], "node-proxy");
  const web = deployment("web", "shop", "web");

  it.each<[string, KubeObject[], string[], string[]]>([
    [
      "RoleBinding → ClusterRole is resolved as a ClusterRole (kube-linter's miss)",
      [secretReader, web, roleBinding({ kind: "ClusterRole", name: "secret-reader" }, [sa("web", "shop")], "shop")],
      ["workload-sa-privileges"],
      [],
    ],
    [
      "RoleBinding with kind Role but only a ClusterRole of that name: unresolved, with a hint",
      [secretReader, web, roleBinding({ kind: "Role", name: "secret-reader" }, [sa("web", "shop")], "shop")],
      [],
      ["role-ref-resolves"],
    ],
    [
      "RoleBinding → built-in edit",
      [web, roleBinding({ kind: "ClusterRole", name: "edit" }, [sa("web", "shop")], "shop")],
      ["workload-sa-privileges"],
      [],
    ],
    [
      "ClusterRoleBinding → built-in edit is admin-equivalent",
      [web, clusterRoleBinding("web-edit", "edit", [sa("web", "shop")])],
      ["admin-equivalent-binding", "workload-sa-privileges"],
      [],
    ],
    [
      "RoleBinding → ClusterRole with nodes/proxy grants nothing on nodes",
      [nodeProxy, web, roleBinding({ kind: "ClusterRole", name: "node-proxy" }, [sa("web", "shop")], "shop")],
      [],
      [],
    ],
    [
      "ClusterRoleBinding → ClusterRole with nodes/proxy",
      [nodeProxy, web, clusterRoleBinding("web-proxy", "node-proxy", [sa("web", "shop")])],
      ["admin-equivalent-binding", "workload-sa-privileges"],
      [],
    ],
  ])("%s", (_name, objects, privileged, hygiene) => {
    const fired = (ids: string[]): string[] =>
      [rbacWorkloadSaPrivileges, rbacAdminEquivalentBinding, rbacRoleRefResolves]
        .filter((c) => checkStack(c, objects).length > 0)
        .map((c) => c.id.replace(/^rbac-/, ""))
        .filter((id) => ids.includes(id))
        .sort();
    expect(fired(["workload-sa-privileges", "admin-equivalent-binding"])).toEqual(privileged.sort());
    expect(fired(["role-ref-resolves"])).toEqual(hygiene);
  });
});

describe("properties", () => {
  const verbs = fc.constantFrom(
    "get",
    "list",
    "watch",
    "create",
    "update",
    "patch",
    "delete",
    "deletecollection",
    "escalate",
    "bind",
    "impersonate",
    "approve",
    "*",
  );
  const resources = fc.constantFrom(
    "pods",
    "pods/exec",
    "pods/log",
    "secrets",
    "configmaps",
    "namespaces",
    "nodes/proxy",
    "roles",
    "clusterroles",
    "rolebindings",
    "users",
    "groups",
    "cronjobs",
    "deployments",
    "persistentvolumes",
    "serviceaccounts/token",
    "validatingadmissionpolicies",
    "networkpolicies",
    "events",
    "*",
    "*/exec",
    "pods/*",
  );
  const groups = fc.constantFrom("", "apps", "batch", "rbac.authorization.k8s.io", "authentication.k8s.io", "*");
  const names = fc.constantFrom("a", "aws-auth");
  const anyRule = fc.record(
    {
      apiGroups: fc.uniqueArray(groups, { maxLength: 3 }),
      resources: fc.uniqueArray(resources, { maxLength: 3 }),
      verbs: fc.uniqueArray(verbs, { maxLength: 3 }),
      resourceNames: fc.uniqueArray(names, { maxLength: 1 }),
    },
    { requiredKeys: ["apiGroups", "resources", "verbs"] },
  );
  const aggregated = fc.option(fc.constantFrom("view", "edit", "admin"), { nil: undefined });
  const anyRole = fc
    .tuple(
      fc.array(anyRule, { maxLength: 4 }),
      fc.constantFrom("Role:shop", "Role:kube-system", "ClusterRole"),
      aggregated,
    )
    .map(([rules, where, target]) => {
      if (where === "ClusterRole") {
        const labels =
          target !== undefined ? { [`rbac.authorization.k8s.io/aggregate-to-${target}`]: "true" } : undefined;
        return (extra: RuleInput[]) => clusterRole([...rules, ...extra], "cr", labels);
      }
      return (extra: RuleInput[]) => role([...rules, ...extra], where.slice("Role:".length));
    });

  const findings = (object: KubeObject): Set<string> =>
    new Set(ROLE_CONTROLS.flatMap((c) => check(c, object).map((v) => `${c.id} ${v.path} ${v.message}`)));

  it("adding rules to a role never removes a finding", () => {
    fc.assert(
      fc.property(anyRole, fc.array(anyRule, { minLength: 1, maxLength: 3 }), (make, extra) => {
        const before = findings(make([]));
        const after = findings(make(extra));
        for (const f of before) expect(after.has(f)).toBe(true);
      }),
    );
  });

  it("widening a rule (more verbs, resources or groups) never removes a control that fired", () => {
    fc.assert(
      fc.property(anyRule, verbs, resources, groups, (r, v, res, g) => {
        const wider = {
          ...r,
          verbs: [...r.verbs, v],
          resources: [...r.resources, res],
          apiGroups: [...r.apiGroups, g],
        };
        const before = firing(clusterRole([r]));
        const after = firing(clusterRole([wider]));
        for (const id of before) expect(after).toContain(id);
      }),
    );
  });

  it("read-only rules on non-sensitive resources yield no finding", () => {
    const readOnly = fc.record({
      apiGroups: fc.uniqueArray(fc.constantFrom("", "apps", "batch", "networking.k8s.io"), {
        minLength: 1,
        maxLength: 3,
      }),
      resources: fc.uniqueArray(
        fc.constantFrom(
          "configmaps",
          "services",
          "deployments",
          "statefulsets",
          "jobs",
          "ingresses",
          "endpoints",
          "pods",
        ),
        { minLength: 1, maxLength: 4 },
      ),
      verbs: fc.uniqueArray(fc.constantFrom("get", "list", "watch"), { minLength: 1, maxLength: 3 }),
    });
    fc.assert(
      fc.property(fc.array(readOnly, { minLength: 1, maxLength: 5 }), anyRole, (rules, _unused) => {
        for (const object of [
          clusterRole(rules),
          clusterRole(rules, "agg", { "rbac.authorization.k8s.io/aggregate-to-view": "true" }),
          role(rules, "shop"),
          role(rules, "kube-system"),
        ])
          expect([...findings(object)]).toEqual([]);
      }),
    );
  });
});
