import { rbacAdmissionWrites } from "../../../policypack/controls/rbac/admission-writes";
import { rbacAdmissionWritesNamed } from "../../../policypack/controls/rbac/admission-writes-named";
import { rbacBind } from "../../../policypack/controls/rbac/bind";
import { rbacBindingWrites } from "../../../policypack/controls/rbac/binding-writes";
import { rbacCreatePersistentVolumes } from "../../../policypack/controls/rbac/create-persistent-volumes";
import { rbacCreatePods } from "../../../policypack/controls/rbac/create-pods";
import { rbacCsrApproval } from "../../../policypack/controls/rbac/csr-approval";
import { rbacDestructiveVerbs } from "../../../policypack/controls/rbac/destructive-verbs";
import { rbacEscalate } from "../../../policypack/controls/rbac/escalate";
import { rbacGuardrailWrites } from "../../../policypack/controls/rbac/guardrail-writes";
import { rbacImpersonate } from "../../../policypack/controls/rbac/impersonate";
import { rbacKubeSystemConfigmapWrites } from "../../../policypack/controls/rbac/kube-system-configmap-writes";
import { rbacNamespaceUpdate } from "../../../policypack/controls/rbac/namespace-update";
import { rbacNodesProxy } from "../../../policypack/controls/rbac/nodes-proxy";
import { rbacPodExec } from "../../../policypack/controls/rbac/pod-exec";
import { rbacSecretsRead } from "../../../policypack/controls/rbac/secrets-read";
import { rbacServiceAccountTokenCreate } from "../../../policypack/controls/rbac/service-account-token-create";
import type { ResourceControl } from "../../../policypack/engine/control";
import type { KubeObject } from "../../../policypack/engine/types";
import { check, clusterRole, paths, role, rule, type RuleInput } from "./helpers";

const CORE = [""];
const RBAC = ["rbac.authorization.k8s.io"];
const harmless = rule(CORE, ["configmaps"], ["get", "list", "watch"]);

/**
 * get on the one Secret a workload needs is rbac-secrets-read's remediation; writes to one's own
 * named webhook configuration are rbac-admission-writes-named's (medium), not critical.
 */
const NAMED_IS_REMEDIATION = new Set(["rbac-secrets-read", "rbac-admission-writes"]);

/** [control, a rule that must fire, the closest rule that must not] */
const CASES: [ResourceControl, RuleInput, RuleInput][] = [
  [
    rbacSecretsRead,
    rule(CORE, ["secrets"], ["watch"]),
    rule(CORE, ["secrets"], ["create", "update", "patch", "delete"]),
  ],
  [rbacCreatePods, rule(["apps"], ["daemonsets"], ["create"]), rule(["apps"], ["daemonsets"], ["update", "delete"])],
  [rbacPodExec, rule(CORE, ["pods/portforward"], ["get"]), rule(CORE, ["pods/portforward"], ["list", "watch"])],
  [rbacEscalate, rule(RBAC, ["clusterroles"], ["escalate"]), rule(RBAC, ["clusterroles"], ["update", "bind"])],
  [rbacBind, rule(RBAC, ["roles"], ["bind"]), rule(RBAC, ["rolebindings", "clusterrolebindings"], ["bind"])],
  [
    rbacImpersonate,
    rule(CORE, ["serviceaccounts"], ["impersonate"]),
    rule(CORE, ["serviceaccounts"], ["get", "create"]),
  ],
  [
    rbacBindingWrites,
    rule(RBAC, ["rolebindings"], ["update"]),
    rule(RBAC, ["rolebindings"], ["get", "list", "delete"]),
  ],
  [rbacNodesProxy, rule(CORE, ["nodes/proxy"], ["patch"]), rule(CORE, ["nodes", "nodes/stats"], ["*"])],
  [
    rbacCreatePersistentVolumes,
    rule(CORE, ["persistentvolumes"], ["create"]),
    rule(CORE, ["persistentvolumes"], ["get", "delete"]),
  ],
  [
    rbacCsrApproval,
    rule(["certificates.k8s.io"], ["certificatesigningrequests/approval"], ["patch"]),
    rule(["certificates.k8s.io"], ["certificatesigningrequests/approval"], ["get"]),
  ],
  [
    rbacAdmissionWrites,
    rule(["admissionregistration.k8s.io"], ["mutatingadmissionpolicies"], ["update"]),
    rule(["admissionregistration.k8s.io"], ["mutatingadmissionpolicies"], ["get", "list"]),
  ],
  [
    rbacServiceAccountTokenCreate,
    rule(CORE, ["serviceaccounts/token"], ["create"]),
    rule(CORE, ["serviceaccounts/token"], ["get"]),
  ],
  [
    rbacGuardrailWrites,
    rule(["extensions"], ["networkpolicies"], ["deletecollection"]),
    rule(["extensions"], ["networkpolicies"], ["get"]),
  ],
  [rbacNamespaceUpdate, rule(CORE, ["namespaces"], ["update"]), rule(CORE, ["namespaces"], ["get", "delete"])],
  [rbacDestructiveVerbs, rule(CORE, ["events"], ["delete"]), rule(CORE, ["events"], ["create", "patch"])],
  [
    rbacKubeSystemConfigmapWrites,
    rule(CORE, ["configmaps"], ["patch"]),
    rule(CORE, ["configmaps"], ["create", "delete"]),
  ],
];

describe.each(CASES.map(([c, bad, good]) => [c.id, c, bad, good] as const))("%s", (_id, control, bad, good) => {
  it("fires on the granting rule wherever it sits, once per rule", () => {
    const object = clusterRole([harmless, bad, good, bad]);
    expect(paths(check(control, object))).toEqual(["rules[1]", "rules[3]"]);
    expect(check(control, object)[0]?.message).toMatch(/^rules\[1\] grants "[^"]+".* on "[^"]+"/);
  });

  it("passes the closest rule that does not grant it", () => {
    expect(check(control, clusterRole([harmless, good]))).toEqual([]);
  });

  it("fires through * verbs, resources and groups", () => {
    expect(paths(check(control, clusterRole([rule(["*"], ["*"], ["*"])])))).toEqual(["rules[0]"]);
  });

  it("fires on a rule limited by resourceNames and says so, unless naming the objects is the remediation", () => {
    const found = check(control, clusterRole([{ ...bad, resourceNames: ["only-this"] }]));
    if (NAMED_IS_REMEDIATION.has(control.id)) expect(found).toEqual([]);
    else expect(found[0]?.message).toContain('only for resourceNames "only-this"');
  });

  it("inspects Roles and ClusterRoles", () => {
    expect(control.kinds).toEqual(["Role", "ClusterRole"]);
  });

  it.each<[string, unknown]>([
    ["rules missing", undefined],
    ["rules a mapping", { verbs: ["*"] }],
    ["entries of every type", [null, 1, "x", [], { verbs: "*", resources: "*", apiGroups: "*" }]],
  ])("odd shape (%s): no finding, no throw", (_n, rules) => {
    const object: KubeObject = { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: {} };
    if (rules !== undefined) object["rules"] = rules;
    expect(check(control, object)).toEqual([]);
  });
});

describe("tenant roles (rbac-binding-writes, rbac-guardrail-writes)", () => {
  const bindingWrite = rule(RBAC, ["rolebindings"], ["create"]);
  const quotaWrite = rule(CORE, ["resourcequotas"], ["update"]);

  it.each<[string, KubeObject, Record<string, unknown>, boolean]>([
    ["Role in a tenant namespace", role([bindingWrite, quotaWrite], "shop"), {}, true],
    ["Role in kube-system (platform by default)", role([bindingWrite, quotaWrite], "kube-system"), {}, false],
    ["Role in kube-node-lease", role([bindingWrite, quotaWrite], "kube-node-lease"), {}, false],
    [
      "Role with no namespace (the default namespace is a tenant's)",
      { ...role([bindingWrite, quotaWrite]), metadata: { name: "r" } },
      {},
      true,
    ],
    ["ClusterRole (any tenant can be bound to it)", clusterRole([bindingWrite, quotaWrite]), {}, true],
    [
      "Role in a configured platform namespace (glob)",
      role([bindingWrite, quotaWrite], "platform-rbac"),
      { platformNamespaces: ["platform-*"] },
      false,
    ],
    [
      "kube-system once the list is replaced",
      role([bindingWrite, quotaWrite], "kube-system"),
      { platformNamespaces: ["platform-*"] },
      true,
    ],
  ])("%s", (_n, object, config, fires) => {
    expect(check(rbacBindingWrites, object, config).length > 0).toBe(fires);
    expect(check(rbacGuardrailWrites, object, config).length > 0).toBe(fires);
  });
});

describe("rbac-kube-system-configmap-writes", () => {
  const write = rule(CORE, ["configmaps"], ["update"]);

  it.each<[string, KubeObject, Record<string, unknown>, boolean]>([
    ["Role in kube-system", role([write], "kube-system"), {}, true],
    ["Role in a tenant namespace", role([write], "shop"), {}, false],
    ["Role without a namespace", { ...role([write]), metadata: { name: "r" } }, {}, false],
    ["ClusterRole", clusterRole([write]), {}, true],
    [
      "Role in a configured namespace",
      role([write], "flux-system"),
      { protectedNamespaces: ["kube-system", "*-system"] },
      true,
    ],
  ])("%s", (_n, object, config, fires) => {
    expect(check(rbacKubeSystemConfigmapWrites, object, config).length > 0).toBe(fires);
  });
});

describe("rbac-namespace-update applies to Roles too", () => {
  it("a Role can relabel its own Namespace", () => {
    expect(paths(check(rbacNamespaceUpdate, role([rule(CORE, ["namespaces"], ["patch"])], "shop")))).toEqual([
      "rules[0]",
    ]);
  });
});

describe("rbac-admission-writes-named", () => {
  const webhook = rule(["admissionregistration.k8s.io"], ["mutatingwebhookconfigurations"], ["get", "patch"]);

  it("reports writes limited by resourceNames, which rbac-admission-writes leaves to it", () => {
    const object = clusterRole([harmless, { ...webhook, resourceNames: ["own-webhook"] }]);
    expect(paths(check(rbacAdmissionWritesNamed, object))).toEqual(["rules[1]"]);
    expect(paths(check(rbacAdmissionWrites, object))).toEqual([]);
    expect(check(rbacAdmissionWritesNamed, object)[0]?.message).toBe(
      'rules[1] grants "patch" on "mutatingwebhookconfigurations", only for resourceNames "own-webhook" (rewrite the admission configuration objects it names)',
    );
  });

  it("leaves a role that also writes unrestricted to rbac-admission-writes (one finding to act on, the critical one)", () => {
    const object = clusterRole([harmless, { ...webhook, resourceNames: ["own-webhook"] }, webhook]);
    expect(paths(check(rbacAdmissionWritesNamed, object))).toEqual([]);
    expect(paths(check(rbacAdmissionWrites, object))).toEqual(["rules[2]"]);
  });

  it("is below rbac-admission-writes in severity", () => {
    expect([rbacAdmissionWritesNamed.severity, rbacAdmissionWrites.severity]).toEqual(["medium", "critical"]);
  });
});
