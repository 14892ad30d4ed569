/**
 * Palisade's RBAC findings against the real RBAC authorizer of kube-apiserver v1.35.8.
 *
 * 1. The built-in ClusterRoles Palisade models (cluster-admin, admin, edit, view, aggregated by the
 *    real clusterrole-aggregation controller here) grant exactly what the server's grant, for
 *    every sensitive request below and every rule the server holds.
 * 2. Every Role and ClusterRole of test/fixtures/rbac-*\/ is applied (renamed so fixtures do not
 *    collide; their own bindings too), bound to a fresh user of its own, and for each role control
 *    the real authorizer is asked, through SubjectAccessReview, whether that user may make the
 *    sensitive requests the control is about. Palisade flagging the role must equal "the server
 *    allows at least one of them". system:masters bypasses RBAC, so probes use plain users.
 *
 * The probe table is written here, independently of policypack/controls/rbac/permissions.ts, so a
 * change to Palisade's table that loses a request shows up as a disagreement.
 * Report: .tools/control-plane/reports/rbac-agreement.json.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { catalog } from "../../policypack/controls";
import { BUILTIN_CLUSTER_ROLES } from "../../policypack/controls/rbac/builtin-roles";
import { RoleResolver } from "../../policypack/controls/rbac/roles";
import { ANY_VERB, allows, rulesOf, type Rule } from "../../policypack/controls/rbac/rules";
import type { ControlSettings, PalisadeConfig } from "../../policypack/engine/config";
import { evaluate, isEnabled } from "../../policypack/engine/evaluate";
import { StackIndex } from "../../policypack/engine/stack";
import type { KubeObject } from "../../policypack/engine/types";
import { FIXTURES, fixturesFor, type Fixture } from "../helpers/fixtures";
import { ControlPlane, mapLimit, SETUP_TIMEOUT_MS, TEST_TIMEOUT_MS, writeReport } from "./control-plane";

jest.setTimeout(TEST_TIMEOUT_MS);

const RBAC = "rbac.authorization.k8s.io";
const STANDARD_VERBS = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"];
const WRITE = ["create", "update", "patch", "delete", "deletecollection"];

/** One family of requests: every verb × group × resource. `cluster`: the resource is cluster-scoped. */
interface ProbeSpec {
  readonly verbs: readonly string[];
  readonly groups: readonly string[];
  /** `resource` or `resource/subresource`; `resource/*` = any subresource (probed with the names rules use). */
  readonly resources: readonly string[];
  readonly cluster?: boolean;
  /** Namespaced probes go to this namespace instead of the role's (kube-system ConfigMaps). */
  readonly namespace?: string;
  /** The request names the namespace it is made in (updating a Namespace object). */
  readonly nameIsNamespace?: boolean;
  /**
   * Which grants the control is about: any (the default; a rule limited by resourceNames still
   * grants on the objects it names), `unnamed` (on every object: a grant limited by resourceNames
   * is what the remediation asks for), or `named-only` (limited by resourceNames: the server
   * allows a named request and refuses the same request unnamed).
   */
  readonly names?: "unnamed" | "named-only";
}

const ADMISSION_WRITES: ProbeSpec = {
  verbs: WRITE,
  groups: ["admissionregistration.k8s.io"],
  resources: [
    "validatingwebhookconfigurations",
    "mutatingwebhookconfigurations",
    "validatingadmissionpolicies",
    "validatingadmissionpolicybindings",
    "mutatingadmissionpolicies",
    "mutatingadmissionpolicybindings",
  ],
  cluster: true,
};

/** What each role control is about, as requests to the authorizer. */
const PROBES: Readonly<Record<string, readonly ProbeSpec[]>> = {
  "rbac-secrets-read": [{ verbs: ["get", "list", "watch"], groups: [""], resources: ["secrets"], names: "unnamed" }],
  "rbac-create-pods": [
    { verbs: ["create"], groups: [""], resources: ["pods", "replicationcontrollers"] },
    { verbs: ["create"], groups: ["apps", "extensions"], resources: ["deployments", "replicasets", "daemonsets"] },
    { verbs: ["create"], groups: ["apps"], resources: ["statefulsets"] },
    { verbs: ["create"], groups: ["batch"], resources: ["jobs", "cronjobs"] },
  ],
  "rbac-pod-exec": [
    { verbs: ["get", "create"], groups: [""], resources: ["pods/exec", "pods/attach", "pods/portforward"] },
    { verbs: ["update", "patch"], groups: [""], resources: ["pods/ephemeralcontainers"] },
  ],
  "rbac-escalate": [
    { verbs: ["escalate"], groups: [RBAC], resources: ["roles"] },
    { verbs: ["escalate"], groups: [RBAC], resources: ["clusterroles"], cluster: true },
  ],
  "rbac-bind": [
    { verbs: ["bind"], groups: [RBAC], resources: ["roles", "clusterroles"] },
    { verbs: ["bind"], groups: [RBAC], resources: ["clusterroles"], cluster: true },
  ],
  "rbac-impersonate": [
    {
      verbs: ["impersonate"],
      groups: ["", "authentication.k8s.io"],
      resources: ["users", "groups", "uids", "userextras/*"],
      cluster: true,
    },
    { verbs: ["impersonate"], groups: ["", "authentication.k8s.io"], resources: ["serviceaccounts"] },
  ],
  "rbac-binding-writes": [
    { verbs: ["create", "update", "patch"], groups: [RBAC], resources: ["rolebindings"] },
    { verbs: ["create", "update", "patch"], groups: [RBAC], resources: ["clusterrolebindings"], cluster: true },
  ],
  "rbac-nodes-proxy": [{ verbs: [ANY_VERB], groups: [""], resources: ["nodes/proxy"], cluster: true }],
  "rbac-create-persistent-volumes": [
    { verbs: ["create"], groups: [""], resources: ["persistentvolumes"], cluster: true },
  ],
  "rbac-csr-approval": [
    {
      verbs: ["update", "patch"],
      groups: ["certificates.k8s.io"],
      resources: ["certificatesigningrequests/approval"],
      cluster: true,
    },
    { verbs: ["approve"], groups: ["certificates.k8s.io"], resources: ["signers"], cluster: true },
  ],
  "rbac-admission-writes": [{ ...ADMISSION_WRITES, names: "unnamed" }],
  "rbac-admission-writes-named": [{ ...ADMISSION_WRITES, names: "named-only" }],
  "rbac-service-account-token-create": [{ verbs: ["create"], groups: [""], resources: ["serviceaccounts/token"] }],
  "rbac-guardrail-writes": [
    { verbs: WRITE, groups: ["networking.k8s.io", "extensions"], resources: ["networkpolicies"] },
    { verbs: WRITE, groups: [""], resources: ["resourcequotas", "limitranges"] },
  ],
  "rbac-namespace-update": [
    { verbs: ["update", "patch"], groups: [""], resources: ["namespaces"], nameIsNamespace: true },
  ],
  "rbac-destructive-verbs": [
    { verbs: ["delete", "deletecollection"], groups: ["", "events.k8s.io"], resources: ["events"] },
    { verbs: ["delete", "deletecollection"], groups: [""], resources: ["pods/log"] },
  ],
  "rbac-kube-system-configmap-writes": [
    { verbs: ["update", "patch"], groups: [""], resources: ["configmaps"], namespace: "kube-system" },
  ],
};

/**
 * Controls whose `applies` filter is about where a role lives rather than what it grants: with
 * these settings every role is judged on its grants alone (binding and guardrail writes apply to
 * tenant roles; with no platform namespace every role is a tenant's).
 */
const PURE_GRANT_CONFIG: Record<string, ControlSettings> = {
  "rbac-binding-writes": { platformNamespaces: [] },
  "rbac-guardrail-writes": { platformNamespaces: [] },
};

interface Request {
  readonly verb: string;
  readonly group: string;
  readonly resource: string;
  readonly namespace?: string;
  readonly name?: string;
}

function label(r: Request): string {
  return `${r.verb} ${r.group === "" ? "" : `${r.group}/`}${r.resource}${r.namespace ? ` in ${r.namespace}` : ""}${r.name ? ` name=${r.name}` : ""}`;
}

/** Every request a control's probes make for a role with these rules, in `namespace` (undefined: none). */
function requestsFor(controlId: string, rules: readonly Rule[], namespace: string): Request[] {
  const ruleVerbs = [...new Set(rules.flatMap((r) => r.verbs))].filter((v) => v !== "*" && v !== "");
  const ruleNames = [...new Set(rules.flatMap((r) => r.resourceNames))];
  const subresourcesNamed = (base: string) =>
    [
      ...new Set([
        "scopes",
        ...rules.flatMap((r) =>
          r.resources
            .filter((x) => x.startsWith(`${base}/`) || x.startsWith("*/"))
            .map((x) => x.slice(x.indexOf("/") + 1)),
        ),
      ]),
    ].filter((s) => s !== "");
  const out: Request[] = [];
  for (const spec of PROBES[controlId] ?? []) {
    const verbs = spec.verbs.flatMap((v) => (v === ANY_VERB ? [...new Set([...STANDARD_VERBS, ...ruleVerbs])] : [v]));
    const resources = spec.resources.flatMap((r) =>
      r.endsWith("/*") ? subresourcesNamed(r.slice(0, -2)).map((s) => `${r.slice(0, -2)}/${s}`) : [r],
    );
    const ns = spec.cluster === true ? undefined : (spec.namespace ?? namespace);
    for (const verb of verbs)
      for (const group of spec.groups)
        for (const resource of resources) {
          const base = { verb, group, resource, ...(ns !== undefined ? { namespace: ns } : {}) };
          if (spec.nameIsNamespace === true && ns !== undefined) out.push({ ...base, name: ns });
          else out.push(base);
          // A rule limited by resourceNames still grants on the objects it names.
          if (spec.nameIsNamespace !== true && spec.names !== "unnamed")
            for (const name of ruleNames) out.push({ ...base, name });
        }
  }
  return out;
}

let cp: ControlPlane;

beforeAll(async () => {
  cp = await ControlPlane.start({ controllers: ["clusterrole-aggregation-controller"] });
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await cp?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function create(apiPath: string, object: unknown): Promise<{ status: number; message: string }> {
  const r = await cp.request("POST", apiPath, object);
  const message = (r.body as { message?: string } | undefined)?.message ?? "";
  return { status: r.status, message };
}

/**
 * RBAC decisions come from informers: bind a sentinel user through a Role and a ClusterRole
 * created after everything else and wait until both are visible.
 */
async function waitForRbac(tag: string): Promise<void> {
  const user = `sentinel-${tag}`;
  await cp.ensureNamespace("probe-ns");
  const rule = [{ apiGroups: ["palisade.test"], resources: [`sentinel-${tag}`], verbs: ["get"] }];
  await create(`/apis/${RBAC}/v1/clusterroles`, { metadata: { name: user }, rules: rule });
  await create(`/apis/${RBAC}/v1/clusterrolebindings`, {
    metadata: { name: user },
    roleRef: { apiGroup: RBAC, kind: "ClusterRole", name: user },
    subjects: [{ apiGroup: RBAC, kind: "User", name: user }],
  });
  await create(`/apis/${RBAC}/v1/namespaces/probe-ns/roles`, { metadata: { name: user }, rules: rule });
  await create(`/apis/${RBAC}/v1/namespaces/probe-ns/rolebindings`, {
    metadata: { name: `${user}-ns` },
    roleRef: { apiGroup: RBAC, kind: "Role", name: user },
    subjects: [{ apiGroup: RBAC, kind: "User", name: `${user}-ns` }],
  });
  for (let i = 0; i < 200; i++) {
    const [a, b] = await Promise.all([
      cp.can({ user }, "get", `sentinel-${tag}`, undefined, { group: "palisade.test" }),
      cp.can({ user: `${user}-ns` }, "get", `sentinel-${tag}`, "probe-ns", { group: "palisade.test" }),
    ]);
    if (a && b) return;
    await sleep(50);
  }
  throw new Error("RBAC never saw the sentinel bindings");
}

async function allowed(user: string, r: Request): Promise<boolean> {
  return cp.can({ user }, r.verb, r.resource, r.namespace, { group: r.group, ...(r.name ? { name: r.name } : {}) });
}

const summary: Record<string, unknown> = {};
let builtin:
  | {
      cases: number;
      disagreements: { role: string; request: string; sensitive: boolean; server: boolean; palisade: boolean }[];
    }
  | undefined;

/**
 * Hand-written roles for what the fixtures do not exercise: cluster-scoped capabilities in a
 * namespaced Role (a RoleBinding never grants them), wildcard spellings the authorizer does and
 * does not honour, resourceNames.
 */
const SYNTHETIC_ROLES: readonly KubeObject[] = (
  [
    ["Role", "role-nodes-proxy", [{ apiGroups: [""], resources: ["nodes/proxy"], verbs: ["get"] }]],
    ["Role", "role-impersonate-users", [{ apiGroups: [""], resources: ["users", "groups"], verbs: ["impersonate"] }]],
    ["Role", "role-impersonate-sa", [{ apiGroups: [""], resources: ["serviceaccounts"], verbs: ["impersonate"] }]],
    ["Role", "role-create-pv", [{ apiGroups: [""], resources: ["persistentvolumes"], verbs: ["create"] }]],
    ["Role", "role-escalate-clusterroles", [{ apiGroups: [RBAC], resources: ["clusterroles"], verbs: ["escalate"] }]],
    ["Role", "role-bind-clusterroles", [{ apiGroups: [RBAC], resources: ["clusterroles"], verbs: ["bind"] }]],
    ["Role", "role-csr-approve", [{ apiGroups: ["certificates.k8s.io"], resources: ["signers"], verbs: ["approve"] }]],
    [
      "Role",
      "role-webhooks",
      [
        {
          apiGroups: ["admissionregistration.k8s.io"],
          resources: ["validatingwebhookconfigurations"],
          verbs: ["create"],
        },
      ],
    ],
    ["Role", "role-crb-writes", [{ apiGroups: [RBAC], resources: ["clusterrolebindings"], verbs: ["create"] }]],
    ["Role", "role-star", [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }]],
    ["Role", "role-update-namespaces", [{ apiGroups: [""], resources: ["namespaces"], verbs: ["patch"] }]],
    ["Role", "role-pods-star-sub", [{ apiGroups: [""], resources: ["pods/*"], verbs: ["*"] }]],
    ["Role", "role-star-exec", [{ apiGroups: [""], resources: ["*/exec"], verbs: ["create"] }]],
    [
      "Role",
      "role-named-secret",
      [{ apiGroups: [""], resources: ["secrets"], resourceNames: ["tls"], verbs: ["get"] }],
    ],
    ["ClusterRole", "cr-nonresource", [{ nonResourceURLs: ["/metrics", "*"], verbs: ["*"] }]],
    ["ClusterRole", "cr-nodes-proxy-any-verb", [{ apiGroups: [""], resources: ["nodes/proxy"], verbs: ["proxy"] }]],
    [
      "ClusterRole",
      "cr-userextras-star",
      [{ apiGroups: ["authentication.k8s.io"], resources: ["userextras/*"], verbs: ["impersonate"] }],
    ],
    ["ClusterRole", "cr-star-scopes", [{ apiGroups: ["*"], resources: ["*/scopes"], verbs: ["impersonate"] }]],
    ["ClusterRole", "cr-pods-star-sub", [{ apiGroups: [""], resources: ["pods/*"], verbs: ["get", "create"] }]],
    [
      "ClusterRole",
      "cr-escalate-clusterroles",
      [{ apiGroups: [RBAC], resources: ["clusterroles"], verbs: ["escalate"] }],
    ],
    ["ClusterRole", "cr-star-verbs-secrets", [{ apiGroups: [""], resources: ["secrets"], verbs: ["*"] }]],
  ] as const
).map(([kind, name, rules]) => ({
  apiVersion: `${RBAC}/v1`,
  kind,
  metadata: kind === "Role" ? { name, namespace: "synthetic" } : { name },
  rules: structuredClone(rules) as unknown as KubeObject[],
}));

describe("built-in ClusterRoles: Palisade's model against the server's bootstrap policy", () => {
  const BUILTINS = ["cluster-admin", "admin", "edit", "view"];

  it("grants the same sensitive requests, and allows every rule the server's roles hold", async () => {
    const resolver = new RoleResolver(new StackIndex([]));
    for (const name of BUILTINS) {
      await create(`/apis/${RBAC}/v1/clusterrolebindings`, {
        metadata: { name: `builtin-probe-${name}` },
        roleRef: { apiGroup: RBAC, kind: "ClusterRole", name },
        subjects: [{ apiGroup: RBAC, kind: "User", name: `builtin-probe-${name}` }],
      });
    }
    await waitForRbac("builtins");
    const disagreements: { role: string; request: string; sensitive: boolean; server: boolean; palisade: boolean }[] =
      [];
    const sensitive = new Set<Request>();
    let cases = 0;
    let sensitiveCases = 0;
    for (const name of BUILTINS) {
      const modelled = resolver.clusterRole(name)?.rules ?? [];
      expect([name, modelled.length > 0]).toEqual([name, true]);
      const server = await cp.request("GET", `/apis/${RBAC}/v1/clusterroles/${name}`);
      const serverRules = ((server.body as { rules?: Record<string, string[]>[] }).rules ?? []).map((r, i) => ({
        index: i,
        path: `rules[${i}]`,
        apiGroups: r["apiGroups"] ?? [],
        resources: r["resources"] ?? [],
        verbs: r["verbs"] ?? [],
        resourceNames: r["resourceNames"] ?? [],
        nonResourceURLs: r["nonResourceURLs"] ?? [],
      }));
      // Every (verb, group, resource) the server's role names, plus every sensitive request.
      const byLabel = new Map<string, Request>();
      const requests: Request[] = [];
      const add = (r: Request): Request => {
        const known = byLabel.get(label(r));
        if (known !== undefined) return known;
        byLabel.set(label(r), r);
        requests.push(r);
        return r;
      };
      for (const r of serverRules)
        for (const verb of r.verbs)
          for (const group of r.apiGroups)
            for (const resource of r.resources)
              if (!verb.includes("*") && !group.includes("*") && !resource.includes("*"))
                add({ verb, group, resource, namespace: "probe-ns" });
      for (const id of Object.keys(PROBES)) for (const r of requestsFor(id, [], "probe-ns")) sensitive.add(add(r));
      const results = await mapLimit(requests, 16, async (r) => ({
        r,
        server: await allowed(`builtin-probe-${name}`, r),
        palisade: allows(modelled, r) !== undefined,
      }));
      for (const x of results) {
        cases++;
        if (sensitive.has(x.r)) sensitiveCases++;
        if (x.server !== x.palisade)
          disagreements.push({
            role: name,
            request: label(x.r),
            sensitive: sensitive.has(x.r),
            server: x.server,
            palisade: x.palisade,
          });
      }
    }
    builtin = { cases, disagreements };
    summary["builtinRoles"] = {
      roles: BUILTINS,
      cases,
      sensitiveCases,
      disagreements: disagreements.length,
      sensitiveDisagreements: disagreements.filter((d) => d.sensitive).length,
    };
    writeReport("rbac-builtin-roles.json", { summary: summary["builtinRoles"], disagreements });
    const show = (d: (typeof disagreements)[number]) =>
      `${d.role}: ${d.request}: server ${d.server ? "allows" : "denies"}, Palisade's model ${d.palisade ? "allows" : "denies"}`;
    expect(disagreements.filter((d) => d.sensitive).map(show)).toEqual([]);
    // Palisade's model has the server's objects' names too.
    expect(BUILTIN_CLUSTER_ROLES.map((o) => o.metadata?.name)).toEqual(expect.arrayContaining(BUILTINS));
  });

  it("models every rule of the server's admin, edit and view (events.k8s.io, resource.k8s.io, …)", () => {
    expect(builtin).toBeDefined();
    const show = (d: { role: string; request: string; server: boolean; palisade: boolean }) =>
      `${d.role}: ${d.request}: server ${d.server ? "allows" : "denies"}, Palisade's model ${d.palisade ? "allows" : "denies"}`;
    expect((builtin?.disagreements ?? []).filter((d) => !d.sensitive).map(show)).toEqual([]);
  });
});

interface RoleVerdict {
  readonly fixture: string;
  readonly synthetic: boolean;
  readonly role: string;
  readonly control: string;
  readonly palisade: boolean;
  readonly server: boolean;
  readonly allowedRequests: string[];
  readonly findings: string[];
}

const showVerdict = (d: RoleVerdict) =>
  `${d.fixture} ${d.role} ${d.control}: Palisade ${d.palisade ? `flags it (${d.findings.join("; ")})` : "does not flag it"}, ` +
  `the server ${d.server ? `allows ${d.allowedRequests.slice(0, 4).join(", ")}` : "denies every probe"}`;

describe("role controls: Palisade's findings against SubjectAccessReview", () => {
  const verdicts: RoleVerdict[] = [];
  const refused: string[] = [];
  let compared = 0;

  beforeAll(async () => {
    const roleControls = catalog.filter((c) => PROBES[c.id] !== undefined);
    expect(roleControls.map((c) => c.id).sort()).toEqual(Object.keys(PROBES).sort());
    const dirs = fs
      .readdirSync(FIXTURES)
      .filter((d) => d.startsWith("rbac-") && fs.statSync(path.join(FIXTURES, d)).isDirectory())
      .sort();
    const fixtures: Fixture[] = [
      ...dirs.flatMap((d) => fixturesFor(d)),
      ...SYNTHETIC_ROLES.map((role) => ({
        file: path.join(FIXTURES, `synthetic:${String(role.metadata?.name)}`),
        name: String(role.metadata?.name),
        kind: "fail" as const,
        objects: [role],
        config: {},
      })),
    ];

    interface Case {
      readonly fixture: string;
      readonly role: KubeObject;
      readonly applied: string;
      readonly user: string;
      readonly namespace: string;
      readonly config: PalisadeConfig;
    }
    const cases: Case[] = [];
    const skipped: string[] = [];
    const bindingsRefused: string[] = [];
    let n = 0;
    const namespaces = new Set<string>(["probe-ns"]);
    for (const f of fixtures)
      for (const o of f.objects) {
        const ns = o.metadata?.namespace;
        if (typeof ns === "string" && ns !== "") namespaces.add(ns);
      }
    for (const ns of namespaces) await cp.ensureNamespace(ns);

    for (const f of fixtures) {
      const rel = path.relative(FIXTURES, f.file);
      const renamed = new Map<string, string>();
      for (const role of f.objects.filter((o) => o.kind === "Role" || o.kind === "ClusterRole")) {
        const id = `${rel}: ${role.kind} ${String(role.metadata?.name)}`;
        if (role.kind === "ClusterRole" && role["aggregationRule"] !== undefined) {
          skipped.push(`${id}: aggregated (its rules are whatever the controller selects, not its own)`);
          continue;
        }
        const name = `${String(role.metadata?.name)}-f${n++}`;
        const namespace = role.kind === "Role" ? (role.metadata?.namespace ?? "default") : "probe-ns";
        const object = structuredClone(role) as KubeObject;
        object.metadata = { ...object.metadata, name };
        if (role.kind === "Role") object.metadata.namespace = namespace;
        const apiPath =
          role.kind === "Role" ? `/apis/${RBAC}/v1/namespaces/${namespace}/roles` : `/apis/${RBAC}/v1/clusterroles`;
        const made = await create(apiPath, object);
        if (made.status !== 201) {
          refused.push(`${id}: ${made.status} ${made.message}`);
          continue;
        }
        renamed.set(`${role.kind}/${role.kind === "Role" ? namespace : ""}/${String(role.metadata?.name)}`, name);
        const user = `probe-${name}`;
        const binding =
          role.kind === "Role"
            ? await create(`/apis/${RBAC}/v1/namespaces/${namespace}/rolebindings`, {
                metadata: { name: user },
                roleRef: { apiGroup: RBAC, kind: "Role", name },
                subjects: [{ apiGroup: RBAC, kind: "User", name: user }],
              })
            : await create(`/apis/${RBAC}/v1/clusterrolebindings`, {
                metadata: { name: user },
                roleRef: { apiGroup: RBAC, kind: "ClusterRole", name },
                subjects: [{ apiGroup: RBAC, kind: "User", name: user }],
              });
        if (binding.status !== 201) throw new Error(`binding ${user}: ${binding.status} ${binding.message}`);
        cases.push({ fixture: rel, role, applied: name, user, namespace, config: f.config });
      }
      // The fixture's own bindings, pointed at the renamed roles (for the record: they must be valid).
      for (const b of f.objects.filter((o) => o.kind === "RoleBinding" || o.kind === "ClusterRoleBinding")) {
        const object = structuredClone(b) as KubeObject & { roleRef?: { kind?: string; name?: string } };
        const ns = b.kind === "RoleBinding" ? (b.metadata?.namespace ?? "default") : "";
        const ref = object.roleRef;
        const target =
          ref === undefined
            ? undefined
            : renamed.get(`${ref.kind ?? ""}/${ref.kind === "Role" ? ns : ""}/${ref.name ?? ""}`);
        if (ref !== undefined && target !== undefined) ref.name = target;
        object.metadata = { ...object.metadata, name: `${String(b.metadata?.name)}-f${n++}` };
        const apiPath =
          b.kind === "RoleBinding"
            ? `/apis/${RBAC}/v1/namespaces/${ns}/rolebindings`
            : `/apis/${RBAC}/v1/clusterrolebindings`;
        const made = await create(apiPath, object);
        if (made.status !== 201)
          bindingsRefused.push(`${rel}: ${b.kind} ${String(b.metadata?.name)}: ${made.status} ${made.message}`);
      }
    }
    await waitForRbac("fixtures");

    const notComparable: string[] = [];
    await mapLimit(cases, 4, async (c) => {
      const rules = rulesOf(c.role);
      for (const control of roleControls) {
        const config: PalisadeConfig = {
          ...c.config,
          controls: {
            ...(c.config.controls ?? {}),
            [control.id]: { ...(c.config.controls?.[control.id] ?? {}), ...(PURE_GRANT_CONFIG[control.id] ?? {}) },
          },
        };
        if (!isEnabled(control, config)) {
          notComparable.push(
            `${c.fixture} ${c.role.kind} ${String(c.role.metadata?.name)}: ${control.id} disabled by the fixture's config`,
          );
          continue;
        }
        const result = evaluate([c.role], { controls: [control], level: "hardened", config });
        const findings = result.findings.filter((f) => f.control === control.id);
        let requests = requestsFor(control.id, rules, c.namespace);
        if (control.id === "rbac-kube-system-configmap-writes") {
          const protectedNs = (config.controls?.[control.id]?.["protectedNamespaces"] as string[] | undefined) ?? [
            "kube-system",
          ];
          requests = protectedNs
            .filter((p) => !/[*?]/.test(p))
            .flatMap((ns) => requests.map((r) => ({ ...r, namespace: ns })));
        }
        const answers = await mapLimit(requests, 8, async (r) => ((await allowed(c.user, r)) ? label(r) : undefined));
        let allowedRequests = answers.filter((a): a is string => a !== undefined);
        if ((PROBES[control.id] ?? []).some((p) => p.names === "named-only")) {
          // Only named grants count: a named request allowed while the same request unnamed is not.
          const granted = new Set(allowedRequests);
          allowedRequests = requests
            .filter(
              (r) => r.name !== undefined && granted.has(label(r)) && !granted.has(label({ ...r, name: undefined })),
            )
            .map(label);
        }
        verdicts.push({
          fixture: c.fixture,
          synthetic: c.fixture.startsWith("synthetic:"),
          role: `${c.role.kind} ${String(c.role.metadata?.name)}`,
          control: control.id,
          palisade: findings.length > 0,
          server: allowedRequests.length > 0,
          allowedRequests,
          findings: findings.map((f) => `${f.path ?? ""}: ${f.message}`),
        });
      }
    });

    const disagreements = verdicts.filter((v) => v.palisade !== v.server);
    const count = (pred: (v: RoleVerdict) => boolean) => verdicts.filter(pred).length;
    compared = cases.length;
    const fixtureSummary = {
      fixtures: fixtures.length - SYNTHETIC_ROLES.length,
      syntheticRoles: SYNTHETIC_ROLES.length,
      rolesCompared: cases.length,
      rolesSkipped: skipped,
      rolesRefusedByServer: refused,
      bindingsRefusedByServer: bindingsRefused,
      controls: roleControls.length,
      cases: verdicts.length,
      fixtureCases: count((v) => !v.synthetic),
      fixtureDisagreements: count((v) => !v.synthetic && v.palisade !== v.server),
      syntheticCases: count((v) => v.synthetic),
      syntheticDisagreements: count((v) => v.synthetic && v.palisade !== v.server),
      flaggedAndAllowed: count((v) => v.palisade && v.server),
      notFlaggedAndDenied: count((v) => !v.palisade && !v.server),
      flaggedButDenied: count((v) => v.palisade && !v.server),
      allowedButNotFlagged: count((v) => !v.palisade && v.server),
      notComparable,
    };
    summary["fixtureRoles"] = fixtureSummary;
    const file = writeReport("rbac-agreement.json", { summary, disagreements, verdicts });
    process.stderr.write(`[rbac-agreement] ${JSON.stringify({ ...summary, report: file }, null, 2)}\n`);
  }, SETUP_TIMEOUT_MS);

  it("applies every fixture role", () => {
    expect(refused).toEqual([]);
    expect(compared).toBeGreaterThan(40);
  });

  it("fixture roles (test/fixtures/rbac-*): flagged for a capability exactly when the authorizer grants it", () => {
    expect(verdicts.filter((v) => !v.synthetic && v.palisade !== v.server).map(showVerdict)).toEqual([]);
  });

  it("hand-written roles (cluster-scoped grants in a Role, wildcard spellings, resourceNames): the same", () => {
    expect(verdicts.filter((v) => v.synthetic && v.palisade !== v.server).map(showVerdict)).toEqual([]);
  });
});
