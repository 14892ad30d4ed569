/**
 * The access differential: Palisade's access model (policypack/analysis/access, `buildAccessModel`
 * with the bootstrap policy) against the RBAC authorizer of a real kube-apiserver v1.35.8, asked
 * through SubjectAccessReview.
 *
 * Generated RBAC sets (test/analysis/rbac-generate.ts) are created on the server one after
 * another; for each, every generated (user, groups, verb, group, resource, subresource, name,
 * namespace | cluster-wide) query is asked of the server and of `buildAccessModel(objects).can`,
 * and the two `allowed` answers must be equal. A few hand-written sets run first (FIXED_SETS):
 * the corners the generator reaches only now and then.
 *
 * Both sides must judge the same state, and the server's is eventually consistent twice over:
 * the clusterrole-aggregation controller rewrites aggregated ClusterRoles (the set's, and the
 * built-in admin/edit/view when a set's role carries an aggregate-to-* label) after they are
 * created, and the RBAC authorizer reads all four kinds through informers. So before a set's
 * queries (`settle`):
 *   1. the aggregation is waited for: every aggregated ClusterRole on the server holds exactly the
 *      rules of the ClusterRoles its selectors pick (checked here with our own selector code, on
 *      the server's objects — not with the model);
 *   2. then a marker is written: a ClusterRole, a ClusterRoleBinding, a Role and a RoleBinding,
 *      the ClusterRole with the same rule and (no) labels as the set's sentinel ClusterRole, which
 *      sorts before it, so no aggregated role gains a rule because of it; once SubjectAccessReview
 *      allows both marker users, all four informers have seen everything up to the marker;
 *   3. then every ClusterRole must still mean what it meant before the marker (same labels,
 *      aggregationRule and set of rules), else a new marker is written. Only the meaning is
 *      compared: in a cycle of aggregated roles (a set's role labelled aggregate-to-admin that
 *      selects admin) the controller keeps rewriting the same rules in a new order, for ever.
 * After the queries, step 3 is checked again; a change reruns the set's queries. The sentinel
 * and marker objects are part of what the model is given, so the model sees what the server holds.
 * Between sets everything a set created is deleted (namespaces stay: their names are unique), and
 * deleted again when the aggregation controller resurrects an aggregated ClusterRole (its
 * server-side apply from a stale cache creates the object anew).
 *
 * A disagreement prints the set as YAML, the query, both answers and the model's grants, and is
 * written to .tools/control-plane/reports/access-differential.json; the test fails on any. A
 * denial the model itself marks uncertain (`unmodelledRoles`: the requester holds a bootstrap
 * role whose rules it does not model, bound by one of the set's bindings) is counted and
 * reported apart, not failed. Disagreements where the server allowed through a bootstrap binding
 * of a control-plane identity (system:kube-scheduler, …) are a test of their own.
 *
 * ACCESS_DIFF_QUERIES (default 6,000) and ACCESS_DIFF_PER_SET (default 100) size the run;
 * ACCESS_DIFF_SEED (default 20261202) fixes the sets, `ACCESS_DIFF_SEED=random` explores.
 */
import { stringify } from "yaml";
import { buildAccessModel, type AccessDecision } from "../../policypack/analysis/access";
import type { KubeObject } from "../../policypack/engine/types";
import {
  describeQuery,
  generateRbacSet,
  RBAC,
  selectorMatches,
  type AccessQuery,
  type LabelSelector,
  type RbacSet,
} from "../analysis/rbac-generate";
import {
  ControlPlane,
  mapLimit,
  SETUP_TIMEOUT_MS,
  TEST_TIMEOUT_MS,
  writeReport,
  type SubjectAccessStatus,
} from "./control-plane";

jest.setTimeout(TEST_TIMEOUT_MS);

const QUERIES = Number(process.env["ACCESS_DIFF_QUERIES"] ?? 6000);
const PER_SET = Number(process.env["ACCESS_DIFF_PER_SET"] ?? 100);
const SEED_ENV = process.env["ACCESS_DIFF_SEED"] ?? "20261202";
const SEED = SEED_ENV === "random" ? Math.floor(Math.random() * 2 ** 31) : Number(SEED_ENV);
const CONCURRENCY = 8;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- hand-written sets

const role = (name: string, namespace: string, rules: unknown[]): KubeObject => ({
  apiVersion: `${RBAC}/v1`,
  kind: "Role",
  metadata: { name, namespace },
  rules,
});
const clusterRole = (
  name: string,
  rules: unknown[] | undefined,
  extra: { labels?: Record<string, string>; aggregationRule?: unknown } = {},
): KubeObject => ({
  apiVersion: `${RBAC}/v1`,
  kind: "ClusterRole",
  metadata: extra.labels !== undefined ? { name, labels: extra.labels } : { name },
  ...(rules !== undefined ? { rules } : {}),
  ...(extra.aggregationRule !== undefined ? { aggregationRule: extra.aggregationRule } : {}),
});
const binding = (
  kind: "RoleBinding" | "ClusterRoleBinding",
  name: string,
  namespace: string | undefined,
  ref: [string, string],
  subjects: unknown[],
): KubeObject => ({
  apiVersion: `${RBAC}/v1`,
  kind,
  metadata: namespace === undefined ? { name } : { name, namespace },
  roleRef: { apiGroup: RBAC, kind: ref[0], name: ref[1] },
  subjects,
});
const user = (name: string) => ({ kind: "User", apiGroup: RBAC, name });
const sa = (name: string, namespace?: string) => ({
  kind: "ServiceAccount",
  name,
  ...(namespace !== undefined ? { namespace } : {}),
});
const saUser = (ns: string, name: string): Pick<AccessQuery, "user" | "groups"> => ({
  user: `system:serviceaccount:${ns}:${name}`,
  groups: ["system:serviceaccounts", `system:serviceaccounts:${ns}`, "system:authenticated"],
});

/** Every combination of the given users × requests (each request: verb, group, resource[/sub], ns, name). */
function cross(
  who: readonly Pick<AccessQuery, "user" | "groups">[],
  requests: readonly [string, string, string, string | undefined, string?][],
): AccessQuery[] {
  return who.flatMap((w) =>
    requests.map(([verb, apiGroup, res, namespace, name]) => {
      const slash = res.indexOf("/");
      return {
        ...w,
        verb,
        apiGroup,
        resource: slash < 0 ? res : res.slice(0, slash),
        ...(slash < 0 ? {} : { subresource: res.slice(slash + 1) }),
        ...(namespace !== undefined ? { namespace } : {}),
        ...(name !== undefined ? { name } : {}),
      };
    }),
  );
}

function fixedSets(): RbacSet[] {
  const t = "fx";
  const [a, b] = [`${t}-a`, `${t}-b`];
  const objects: KubeObject[] = [
    // `pods/*` is the literal subresource "*", `*/scale` any resource's scale, `*` everything.
    role(`${t}-subs`, a, [
      { apiGroups: [""], resources: ["pods/*"], verbs: ["get"] },
      { apiGroups: ["*"], resources: ["*/scale"], verbs: ["update"] },
      { apiGroups: [""], resources: ["secrets"], resourceNames: ["tls"], verbs: ["get", "list"] },
    ]),
    binding("RoleBinding", `${t}-subs`, a, ["Role", `${t}-subs`], [user("alice"), sa("sa-a")]),
    // A ServiceAccount subject without namespace in a RoleBinding is the binding's namespace's.
    binding("RoleBinding", `${t}-view`, b, ["ClusterRole", "view"], [sa("sa-b"), user(`system:serviceaccount:${a}:x`)]),
    // A Role of another namespace does not resolve here: the binding grants nothing.
    binding("RoleBinding", `${t}-dangling`, b, ["Role", `${t}-subs`], [user("bob")]),
    // Aggregation: a chain, a cycle with empty rules, a label that feeds the built-in view.
    clusterRole(`${t}-src`, [{ apiGroups: ["example.com"], resources: ["widgets"], verbs: ["*"] }], {
      labels: { team: "a" },
    }),
    clusterRole(`${t}-to-view`, [{ apiGroups: ["example.com"], resources: ["widgets/status"], verbs: ["get"] }], {
      labels: { [`${RBAC}/aggregate-to-view`]: "true" },
    }),
    clusterRole(`${t}-agg1`, undefined, {
      labels: { tier: "x" },
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { team: "a" } }, { matchLabels: { tier: "y" } }] },
    }),
    clusterRole(`${t}-agg2`, undefined, {
      labels: { tier: "y" },
      aggregationRule: {
        clusterRoleSelectors: [{ matchExpressions: [{ key: "tier", operator: "In", values: ["x"] }] }],
      },
    }),
    clusterRole(`${t}-nonres`, [{ nonResourceURLs: ["*"], verbs: ["*"] }]),
    // An aggregated ClusterRole whose selectors pick nothing keeps the rules it was created with:
    // the controller's apply of an empty rule list leaves the field alone. The server allows erin
    // `get pods`.
    clusterRole(`${t}-agg-empty`, [{ apiGroups: [""], resources: ["pods"], verbs: ["get"] }], {
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { "palisade.test/none": "true" } }] },
    }),
    binding("ClusterRoleBinding", `${t}-agg-empty`, undefined, ["ClusterRole", `${t}-agg-empty`], [user("erin")]),
    binding("ClusterRoleBinding", `${t}-agg2`, undefined, ["ClusterRole", `${t}-agg2`], [user("carol")]),
    binding("ClusterRoleBinding", `${t}-nonres`, undefined, ["ClusterRole", `${t}-nonres`], [user("dave")]),
  ];
  const queries = cross(
    [
      { user: "alice", groups: [] },
      saUser(a, "sa-a"),
      saUser(b, "sa-b"),
      saUser(a, "x"),
      { user: "bob", groups: ["system:authenticated"] },
      { user: "carol", groups: [] },
      { user: "dave", groups: [] },
      { user: "erin", groups: [] },
    ],
    [
      ["get", "", "pods/log", a],
      ["get", "", "pods/*", a],
      ["update", "apps", "deployments/scale", a],
      ["update", "apps", "deployments/scale", undefined],
      ["get", "", "secrets", a, "tls"],
      ["list", "", "secrets", a],
      ["get", "", "pods", b],
      ["get", "example.com", "widgets/status", b],
      ["delete", "example.com", "widgets", undefined],
      ["get", "", "pods/log", b],
      ["get", "", "nodes", undefined],
    ],
  );
  // The bootstrap policy's own identities, with no set object involved: the server allows each
  // through a bootstrap ClusterRoleBinding (system:kube-scheduler, system:kube-controller-manager,
  // system:node-proxier, system:kube-dns) or RoleBinding in kube-system.
  const controlPlane = [
    ...cross(
      [{ user: "system:kube-scheduler", groups: ["system:authenticated"] }],
      [
        ["create", "", "events", "default"],
        ["create", "", "bindings", "default"],
        ["get", "coordination.k8s.io", "leases", "kube-system", "kube-scheduler"],
      ],
    ),
    ...cross(
      [{ user: "system:kube-controller-manager", groups: ["system:authenticated"] }],
      [
        ["list", "discovery.k8s.io", "endpointslices", undefined],
        ["get", "", "configmaps", "kube-system", "extension-apiserver-authentication"],
      ],
    ),
    ...cross([{ user: "system:kube-proxy", groups: ["system:authenticated"] }], [["list", "", "services", undefined]]),
    ...cross([saUser("kube-system", "kube-dns")], [["watch", "", "endpoints", undefined]]),
  ];
  return [
    { seed: 0, tag: t, namespaces: [a, b], objectNamespaces: [a, b], objects, queries: [...queries, ...controlPlane] },
  ];
}

// ---------------------------------------------------------------- server side

let cp: ControlPlane;

beforeAll(async () => {
  cp = await ControlPlane.start({ controllers: ["clusterrole-aggregation-controller"] });
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await cp?.stop();
});

function pathOf(o: KubeObject): string {
  const plural = `${(o.kind ?? "").toLowerCase()}s`;
  const ns = o.metadata?.namespace;
  return ns === undefined ? `/apis/${RBAC}/v1/${plural}` : `/apis/${RBAC}/v1/namespaces/${ns}/${plural}`;
}

async function create(o: KubeObject): Promise<KubeObject> {
  const r = await cp.request("POST", pathOf(o), o);
  if (r.status !== 201)
    throw new Error(`create ${o.kind} ${String(o.metadata?.name)}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as KubeObject;
}

async function remove(o: KubeObject): Promise<void> {
  const r = await cp.request("DELETE", `${pathOf(o)}/${String(o.metadata?.name)}`);
  if (r.status !== 200 && r.status !== 202 && r.status !== 404)
    throw new Error(`delete ${o.kind} ${String(o.metadata?.name)}: ${r.status} ${JSON.stringify(r.body)}`);
}

interface ServerClusterRole {
  metadata: { name: string; resourceVersion: string; labels?: Record<string, string> };
  rules?: unknown[] | null;
  aggregationRule?: { clusterRoleSelectors?: LabelSelector[] };
}

async function listClusterRoles(): Promise<ServerClusterRole[]> {
  const r = await cp.request("GET", `/apis/${RBAC}/v1/clusterroles`);
  if (r.status !== 200) throw new Error(`list clusterroles: ${r.status}`);
  return (r.body as { items: ServerClusterRole[] }).items;
}

const canon = (x: unknown): string =>
  JSON.stringify(x, (_k, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([p], [q]) => p.localeCompare(q)))
      : v,
  );

/** Aggregated ClusterRoles whose rules are not (yet) the union of what their selectors pick. */
function unsettledAggregation(roles: readonly ServerClusterRole[]): string[] {
  const out: string[] = [];
  for (const agg of roles) {
    const selectors = agg.aggregationRule?.clusterRoleSelectors;
    if (selectors === undefined) continue;
    const want = new Set<string>();
    for (const other of roles) {
      if (other.metadata.name === agg.metadata.name) continue;
      if (!selectors.some((s) => selectorMatches(s, other.metadata.labels ?? {}))) continue;
      for (const rule of other.rules ?? []) want.add(canon(rule));
    }
    // Nothing to aggregate: the controller's server-side apply then names no rules, so the rules
    // the role was created with stay (clusterroleaggregation_controller.go applyClusterRoles).
    if (want.size === 0) continue;
    const have = new Set((agg.rules ?? []).map(canon));
    if (want.size !== have.size || [...want].some((w) => !have.has(w))) out.push(agg.metadata.name);
  }
  return out;
}

const SENTINEL_RULE = { apiGroups: ["palisade.test"], resources: ["sentinels"], verbs: ["get"] };

/** The objects every set gets last: a ClusterRole and a Role with the sentinel rule. */
function sentinels(set: RbacSet): KubeObject[] {
  return [
    clusterRole(`${set.tag}-sentinel`, [SENTINEL_RULE]),
    role(`${set.tag}-sentinel`, set.namespaces[0] as string, [SENTINEL_RULE]),
  ];
}

/** What each ClusterRole means to the authorizer and the controller: labels, aggregationRule, the set of its rules. */
function meaning(roles: readonly ServerClusterRole[]): Map<string, string> {
  return new Map(
    roles.map((x) => [
      x.metadata.name,
      canon({
        labels: x.metadata.labels ?? {},
        aggregationRule: x.aggregationRule ?? null,
        rules: [...new Set((x.rules ?? []).map(canon))].sort(),
      }),
    ]),
  );
}

/** Names whose meaning differs between two snapshots (markers made since `before` aside). */
function changed(
  before: ReadonlyMap<string, string>,
  after: ReadonlyMap<string, string>,
  markerPrefix: string,
): string[] {
  const out: string[] = [];
  for (const [name, m] of before) if (after.get(name) !== m) out.push(name);
  for (const name of after.keys()) if (!before.has(name) && !name.startsWith(markerPrefix)) out.push(name);
  return out;
}

interface Settled {
  /** What the ClusterRoles meant when the authorizer was shown to have caught up. */
  readonly state: ReadonlyMap<string, string>;
  /** Marker objects created (the model is given them too). */
  readonly markers: readonly KubeObject[];
  readonly rounds: number;
}

/** Waits until the aggregation controller and the authorizer's informers agree on the set (see the header). */
async function settle(set: RbacSet, previous: readonly KubeObject[], round0: number): Promise<Settled> {
  const markers = [...previous];
  for (let round = round0; round < round0 + 20; round++) {
    const deadline = Date.now() + 60_000;
    let before: Map<string, string>;
    for (;;) {
      const roles = await listClusterRoles();
      // The controller can bring a deleted aggregated ClusterRole back: a sync from its stale
      // cache after our delete applies the rules (server-side apply creates what is missing),
      // without the aggregationRule. Such leftovers of earlier sets are deleted again.
      const leftovers = roles
        .map((x) => x.metadata.name)
        .filter((n) => /^(fx|s\d+)-/.test(n) && !n.startsWith(`${set.tag}-`));
      if (leftovers.length > 0) {
        if (Date.now() > deadline) throw new Error(`${set.tag}: leftovers keep coming back: ${leftovers.join(", ")}`);
        for (const n of leftovers) await cp.request("DELETE", `/apis/${RBAC}/v1/clusterroles/${n}`);
        totals.resurrected.push(...leftovers);
        continue;
      }
      const unsettled = unsettledAggregation(roles);
      if (unsettled.length === 0) {
        before = meaning(roles);
        break;
      }
      if (Date.now() > deadline) throw new Error(`${set.tag}: aggregation never settled: ${unsettled.join(", ")}`);
      await sleep(50);
    }
    const name = `${set.tag}-sentinel-m${round}`;
    const ns = set.namespaces[0] as string;
    const objects = [
      clusterRole(name, [SENTINEL_RULE]),
      binding("ClusterRoleBinding", name, undefined, ["ClusterRole", name], [user(`marker-${name}`)]),
      role(name, ns, [SENTINEL_RULE]),
      binding("RoleBinding", name, ns, ["Role", name], [user(`marker-${name}-ns`)]),
    ];
    for (const o of objects) await create(o);
    markers.push(...objects);
    const ask = (u: string, namespace?: string) =>
      cp.review({
        user: u,
        groups: [],
        verb: "get",
        apiGroup: "palisade.test",
        resource: "sentinels",
        ...(namespace ? { namespace } : {}),
      });
    const seen = Date.now() + 60_000;
    for (;;) {
      const [c, n] = await Promise.all([ask(`marker-${name}`), ask(`marker-${name}-ns`, ns)]);
      if (c.allowed && n.allowed) break;
      if (Date.now() > seen) throw new Error(`${set.tag}: the authorizer never saw marker ${name}`);
      await sleep(20);
    }
    const after = await listClusterRoles();
    if (
      changed(before, meaning(after), `${set.tag}-sentinel-m`).length === 0 &&
      unsettledAggregation(after).length === 0
    )
      return { state: before, markers, rounds: round - round0 + 1 };
  }
  throw new Error(`${set.tag}: the ClusterRoles kept changing`);
}

// ---------------------------------------------------------------- the run

interface Disagreement {
  readonly seed: number;
  readonly tag: string;
  readonly query: string;
  readonly request: AccessQuery;
  readonly server: SubjectAccessStatus;
  readonly model: { allowed: boolean; grants: readonly unknown[]; unmodelledRoles?: readonly string[] };
  readonly set: string;
}

interface RunTotals {
  sets: number;
  queries: number;
  allowed: number;
  denied: number;
  reruns: number;
  /** Why each rerun happened: the set and the ClusterRoles whose meaning changed during its queries. */
  rerunCauses: string[];
  /** ClusterRoles of earlier sets the aggregation controller brought back after their deletion. */
  resurrected: string[];
  markerRounds: number;
  /** Queries whose model decision named bootstrap roles it does not model. */
  unmodelled: number;
  /**
   * Denials the model marks uncertain (`unmodelledRoles`: the requester holds a bootstrap role
   * whose rules it does not model) that the server allows: a documented limit, counted apart.
   */
  uncertain: Disagreement[];
  disagreements: Disagreement[];
}

async function runSet(set: RbacSet, totals: RunTotals): Promise<void> {
  for (const ns of set.namespaces) await cp.ensureNamespace(ns);
  const applied: KubeObject[] = [];
  try {
    for (const o of [...set.objects, ...sentinels(set)]) {
      await create(o);
      applied.push(o);
    }
    let markers: readonly KubeObject[] = [];
    for (let attempt = 0; ; attempt++) {
      const settled = await settle(set, markers, markers.length / 4);
      markers = settled.markers;
      totals.markerRounds += settled.rounds;
      const model = buildAccessModel([...applied, ...markers]);
      const answers = await mapLimit(set.queries, CONCURRENCY, async (q) => ({
        q,
        server: await cp.review(q),
        model: model.can(q),
      }));
      const after = await listClusterRoles();
      const moved = changed(settled.state, meaning(after), `${set.tag}-sentinel-m`);
      if (moved.length > 0) {
        totals.rerunCauses.push(`${set.tag}: ${moved.join(", ")}`);
        // The controller wrote during the queries: the answers may mix two states.
        if (attempt >= 3) throw new Error(`${set.tag}: ClusterRoles changed during the queries, ${attempt + 1} times`);
        totals.reruns++;
        continue;
      }
      record(set, answers, [...applied, ...markers], totals);
      return;
    }
  } finally {
    await mapLimit([...applied].reverse(), CONCURRENCY, remove);
    await cleanupMarkers(set);
  }
}

/** Deletes the markers `settle` made (their names are the tag's `-sentinel-m<n>`). */
async function cleanupMarkers(set: RbacSet): Promise<void> {
  const prefix = `${set.tag}-sentinel-m`;
  const ns = set.namespaces[0] as string;
  const kinds: [string, string][] = [
    ["ClusterRoleBinding", `/apis/${RBAC}/v1/clusterrolebindings`],
    ["ClusterRole", `/apis/${RBAC}/v1/clusterroles`],
    ["RoleBinding", `/apis/${RBAC}/v1/namespaces/${ns}/rolebindings`],
    ["Role", `/apis/${RBAC}/v1/namespaces/${ns}/roles`],
  ];
  for (const [, list] of kinds) {
    const r = await cp.request("GET", list);
    const names = ((r.body as { items?: { metadata: { name: string } }[] }).items ?? [])
      .map((i) => i.metadata.name)
      .filter((n) => n.startsWith(prefix));
    await mapLimit(names, CONCURRENCY, async (n) => {
      await cp.request("DELETE", `${list}/${n}`);
    });
  }
}

function record(
  set: RbacSet,
  answers: readonly { q: AccessQuery; server: SubjectAccessStatus; model: AccessDecision }[],
  objects: readonly KubeObject[],
  totals: RunTotals,
): void {
  totals.sets++;
  for (const { q, server, model } of answers) {
    totals.queries++;
    if (server.allowed) totals.allowed++;
    else totals.denied++;
    if ((model.unmodelledRoles ?? []).length > 0) totals.unmodelled++;
    if (server.allowed === model.allowed) continue;
    const uncertain = !model.allowed && (model.unmodelledRoles ?? []).length > 0;
    const d: Disagreement = {
      seed: set.seed,
      tag: set.tag,
      query: describeQuery(q),
      request: q,
      server,
      model: {
        allowed: model.allowed,
        grants: model.grants,
        ...(model.unmodelledRoles !== undefined ? { unmodelledRoles: model.unmodelledRoles } : {}),
      },
      set: objects.map((o) => stringify(o)).join("---\n"),
    };
    if (uncertain) {
      totals.uncertain.push(d);
      continue;
    }
    totals.disagreements.push(d);
    if (totals.disagreements.length <= 5)
      process.stderr.write(
        `[access-differential] DISAGREEMENT seed ${set.seed} (${set.tag}): ${d.query}\n` +
          `  server: ${JSON.stringify(server)}\n  model:  ${JSON.stringify(d.model)}\n` +
          `  set:\n${d.set.replace(/^/gm, "    ")}\n`,
      );
  }
}

const totals: RunTotals = {
  sets: 0,
  queries: 0,
  allowed: 0,
  denied: 0,
  reruns: 0,
  rerunCauses: [],
  resurrected: [],
  markerRounds: 0,
  unmodelled: 0,
  uncertain: [],
  disagreements: [],
};
let elapsedMs = 0;

describe("access model against the API server's SubjectAccessReview", () => {
  beforeAll(async () => {
    const started = Date.now();
    for (const set of fixedSets()) await runSet(set, totals);
    const fixedQueries = totals.queries;
    const sets = Math.ceil(Math.max(0, QUERIES - fixedQueries) / PER_SET);
    for (let i = 0; i < sets; i++) {
      const per = Math.min(PER_SET, QUERIES - fixedQueries - i * PER_SET);
      await runSet(generateRbacSet(SEED + i, per, `s${i}`), totals);
    }
    elapsedMs = Date.now() - started;
    const file = writeReport("access-differential.json", {
      seed: SEED,
      ...totals,
      elapsedMs,
      disagreements: totals.disagreements,
      uncertain: totals.uncertain.map(({ set: _set, ...rest }) => rest),
    });
    process.stdout.write(
      `access differential: ${totals.sets} sets, ${totals.queries} queries (${totals.allowed} allowed, ${totals.denied} denied by the server), ` +
        `${totals.disagreements.length} disagreements; seed ${SEED}, ${totals.unmodelled} decisions naming unmodelled bootstrap roles ` +
        `(${totals.uncertain.length} uncertain denials the server allows), ` +
        `${totals.markerRounds} marker rounds, ${totals.reruns} reruns, ${Math.round(elapsedMs / 1000)} s; report ${file}\n`,
    );
  }, SETUP_TIMEOUT_MS);

  it(`asks at least ${QUERIES} queries, both answers occurring`, () => {
    expect(totals.queries).toBeGreaterThanOrEqual(QUERIES);
    expect(totals.allowed).toBeGreaterThan(totals.queries / 10);
    expect(totals.denied).toBeGreaterThan(totals.queries / 10);
  });

  /** The server allowed through a binding its bootstrap policy creates for a control-plane identity. */
  const viaControlPlaneBootstrap = (d: Disagreement): boolean =>
    d.server.allowed && /^RBAC: allowed by (ClusterRoleBinding|RoleBinding) "system:[^"]*"/.test(d.server.reason ?? "");
  const show = (d: Disagreement) =>
    `${d.tag}: ${d.query}: server ${d.server.allowed} (${d.server.reason ?? ""}), model ${d.model.allowed}`;

  it("every answer equals the server's (the sets' bindings, the bootstrap bindings the model keeps)", () => {
    expect(
      totals.disagreements
        .filter((d) => !viaControlPlaneBootstrap(d))
        .slice(0, 10)
        .map(show),
    ).toEqual([]);
  });

  it("the control plane's own identities (scheduler, controller manager, kube-proxy, kube-dns): the same", () => {
    expect(totals.disagreements.filter(viaControlPlaneBootstrap).slice(0, 10).map(show)).toEqual([]);
  });
});
