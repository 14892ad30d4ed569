"use strict";
/**
 * `palisade access` at scale (issue 14): tenant namespaces of 10 RoleBindings each (users, groups,
 * local and cross-tenant ServiceAccounts, to a local Role, to the aggregated built-in view/edit and
 * to a custom ClusterRole aggregated from two parts), plus one ClusterRoleBinding per 20
 * namespaces, built in memory and analysed with the compiled analysis (dist/). Timed: the model
 * and the summary `palisade access` prints (every subject's permissions and the can-become graph
 * with its closure to cluster-admin-equivalent), one who-can query, and tenant-access-isolation
 * on the same set. Sizes are counted in bindings; the exponent is the least-squares slope of
 * log(time) on log(bindings).
 */
const path = require("node:path");
const { growthExponent, median } = require("./measure");

const ROOT = path.resolve(__dirname, "..", "..");
const RBAC = "rbac.authorization.k8s.io";
const BINDINGS_PER_NAMESPACE = 10;

function tenant(i, count) {
  const ns = `tenant-${i}`;
  const next = `tenant-${(i + 1) % count}`;
  const rb = (name, roleRef, subjects) => ({
    apiVersion: `${RBAC}/v1`,
    kind: "RoleBinding",
    metadata: { name, namespace: ns },
    roleRef: { apiGroup: RBAC, ...roleRef },
    subjects,
  });
  const user = (name) => ({ kind: "User", name, apiGroup: RBAC });
  const group = (name) => ({ kind: "Group", name, apiGroup: RBAC });
  const sa = (name, namespace = ns) => ({ kind: "ServiceAccount", name, namespace });
  const objects = [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: ns, labels: { "palisade.dev/tenant": ns } } },
    { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "app", namespace: ns } },
    { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "ci", namespace: ns } },
    {
      apiVersion: `${RBAC}/v1`,
      kind: "Role",
      metadata: { name: "deployer", namespace: ns },
      rules: [
        {
          apiGroups: ["apps"],
          resources: ["deployments", "deployments/scale"],
          verbs: ["get", "list", "create", "update"],
        },
        { apiGroups: [""], resources: ["configmaps"], verbs: ["get"], resourceNames: ["app-config"] },
      ],
    },
    rb("ci-deploys", { kind: "Role", name: "deployer" }, [sa("ci")]),
    rb("devs-edit", { kind: "ClusterRole", name: "edit" }, [group(`${ns}-devs`)]),
    rb("readers", { kind: "ClusterRole", name: "view" }, [group(`${ns}-readers`), user(`${ns}-auditor`)]),
    rb("owner", { kind: "ClusterRole", name: "admin" }, [user(`${ns}-owner`)]),
    rb("app-reads", { kind: "ClusterRole", name: "tenant-reader" }, [sa("app")]),
    rb("next-ci-reads", { kind: "ClusterRole", name: "view" }, [sa("app", next)]),
    rb("oncall", { kind: "ClusterRole", name: "tenant-reader" }, [group("oncall")]),
    rb("bot", { kind: "Role", name: "deployer" }, [user(`${ns}-bot`)]),
    rb("dangling", { kind: "Role", name: "missing" }, [user(`${ns}-old`)]),
    rb("ns-sas", { kind: "ClusterRole", name: "tenant-reader" }, [group(`system:serviceaccounts:${ns}`)]),
  ];
  if (i % 20 === 0)
    objects.push({
      apiVersion: `${RBAC}/v1`,
      kind: "ClusterRoleBinding",
      metadata: { name: `platform-${i}` },
      roleRef: { apiGroup: RBAC, kind: "ClusterRole", name: "view" },
      subjects: [group(`platform-${i}`)],
    });
  return objects;
}

function shared() {
  const part = (name, rules) => ({
    apiVersion: `${RBAC}/v1`,
    kind: "ClusterRole",
    metadata: { name, labels: { "example.com/aggregate-to-tenant-reader": "true" } },
    rules,
  });
  return [
    {
      apiVersion: `${RBAC}/v1`,
      kind: "ClusterRole",
      metadata: { name: "tenant-reader" },
      aggregationRule: {
        clusterRoleSelectors: [{ matchLabels: { "example.com/aggregate-to-tenant-reader": "true" } }],
      },
    },
    part("tenant-reader-pods", [{ apiGroups: [""], resources: ["pods", "pods/log"], verbs: ["get", "list"] }]),
    part("tenant-reader-apps", [{ apiGroups: ["apps"], resources: ["*"], verbs: ["get", "list", "watch"] }]),
  ];
}

const slope = (rows, key) => growthExponent(rows.filter((r) => r[key] !== undefined).map((r) => [r.bindings, r[key]]));

function setOf(bindings) {
  const namespaces = Math.max(2, Math.round(bindings / BINDINGS_PER_NAMESPACE));
  const objects = shared();
  for (let i = 0; i < namespaces; i++) objects.push(...tenant(i, namespaces));
  return { namespaces, objects };
}

function benchAccess({ sizes = [1000, 2500, 5000, 10000], runs = 3, controlUpTo = 10000, log = () => {} } = {}) {
  const access = require(path.join(ROOT, "dist", "policypack", "analysis", "access"));
  const { rbacTenantAccessIsolation } = require(
    path.join(ROOT, "dist", "policypack", "controls", "rbac", "tenant-access-isolation"),
  );
  const { evaluate } = require(path.join(ROOT, "dist", "policypack", "engine", "evaluate"));
  const summary = (objects) => {
    const model = access.buildAccessModel(objects);
    let permissions = 0;
    for (const s of model.subjects) permissions += model.permissionsOf(s).length;
    const graph = access.buildEscalationGraph(model);
    return { model, permissions, graph };
  };
  summary(setOf(sizes[0]).objects); // warm-up, unmeasured
  const rows = [];
  for (const size of sizes) {
    const { namespaces, objects } = setOf(size);
    const times = [];
    const whoTimes = [];
    const controlTimes = [];
    let out;
    for (let r = 0; r < runs; r++) {
      const t0 = process.hrtime.bigint();
      out = summary(objects);
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      const t1 = process.hrtime.bigint();
      out.model.whoCan({ verb: "create", apiGroup: "apps", resource: "deployments", namespace: "tenant-1" });
      whoTimes.push(Number(process.hrtime.bigint() - t1) / 1e6);
      if (size <= controlUpTo) {
        const t2 = process.hrtime.bigint();
        evaluate(objects, { controls: [rbacTenantAccessIsolation], level: "hardened" });
        controlTimes.push(Number(process.hrtime.bigint() - t2) / 1e6);
      }
    }
    const bindings = out.model.bindings.filter((b) => !b.bootstrap).length;
    const row = {
      bindings,
      namespaces,
      objects: objects.length,
      subjects: out.model.subjects.length,
      permissions: out.permissions,
      edges: out.graph.edges.length,
      adminEquivalent: out.graph.adminEquivalent.length,
      ms: Math.round(median(times)),
      whoCanMs: Math.round(median(whoTimes)),
      ...(controlTimes.length > 0 ? { controlMs: Math.round(median(controlTimes)) } : {}),
    };
    rows.push(row);
    log(
      `  ${bindings} bindings in ${namespaces} namespaces (${row.objects} objects, ${row.subjects} subjects): access summary ${row.ms} ms (${row.permissions} permissions, ${row.edges} can-become edges); who-can ${row.whoCanMs} ms${row.controlMs !== undefined ? `; tenant-access-isolation ${row.controlMs} ms` : ""}`,
    );
  }
  const exponent = slope(rows, "ms");
  const controlExponent = slope(
    rows.filter((r) => r.controlMs !== undefined),
    "controlMs",
  );
  if (exponent !== undefined)
    log(
      `  time grows as bindings^${exponent} (summary)${controlExponent !== undefined ? `, bindings^${controlExponent} (tenant-access-isolation)` : ""}; 1 = linear`,
    );
  return { rows, runs, exponent, controlExponent };
}

module.exports = { benchAccess, tenant };
