"use strict";
/**
 * `palisade reach` at scale (issue 14): N tenant namespaces × 10 workloads × 5 NetworkPolicies,
 * built in memory, analysed with the compiled analysis (dist/), timed for the model and the
 * whole relation, and the tenant-network-isolation control on the same set. Sizes grow to show
 * how time grows; the exponent is the least-squares slope of log(time) on log(namespaces).
 */
const path = require("node:path");
const { growthExponent, median } = require("./measure");

const ROOT = path.resolve(__dirname, "..", "..");
const WORKLOADS = 10;

/** One tenant namespace: 10 Deployments and 5 policies (default deny, DNS, same tenant, one cross-tenant ingress, one egress to the next tenant plus the internet). */
function tenant(i, count) {
  const ns = `tenant-${i}`;
  const next = `tenant-${(i + 1) % count}`;
  const prev = `tenant-${(i + count - 1) % count}`;
  const np = (name, spec) => ({
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name, namespace: ns },
    spec,
  });
  const byName = (n) => ({ matchLabels: { "kubernetes.io/metadata.name": n } });
  const objects = [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: ns, labels: { "palisade.dev/tenant": ns } } },
  ];
  for (let w = 0; w < WORKLOADS; w++) {
    objects.push({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: `w${w}`, namespace: ns },
      spec: {
        selector: { matchLabels: { app: `w${w}` } },
        template: {
          metadata: { labels: { app: `w${w}`, tier: w < 3 ? "front" : "back", "palisade.dev/tenant": ns } },
          spec: {
            containers: [
              { name: "c", image: "registry.example/app:1", ports: [{ name: "http", containerPort: 8080 }] },
            ],
          },
        },
      },
    });
  }
  objects.push(
    np("default-deny", { podSelector: {}, policyTypes: ["Ingress", "Egress"] }),
    np("dns", {
      podSelector: {},
      policyTypes: ["Egress"],
      egress: [
        {
          to: [{ namespaceSelector: byName("kube-system"), podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
          ports: [
            { port: 53, protocol: "UDP" },
            { port: 53, protocol: "TCP" },
          ],
        },
      ],
    }),
    np("same-tenant", {
      podSelector: { matchLabels: { "palisade.dev/tenant": ns } },
      ingress: [{ from: [{ podSelector: { matchLabels: { "palisade.dev/tenant": ns } } }] }],
      egress: [{ to: [{ podSelector: { matchLabels: { "palisade.dev/tenant": ns } } }] }],
    }),
    np("front-from-prev", {
      podSelector: { matchLabels: { tier: "front" } },
      ingress: [
        {
          from: [{ namespaceSelector: byName(prev), podSelector: { matchLabels: { app: "w3" } } }],
          ports: [{ port: "http" }],
        },
      ],
    }),
    np("w3-to-next", {
      podSelector: { matchLabels: { app: "w3" } },
      policyTypes: ["Egress"],
      egress: [
        {
          to: [{ namespaceSelector: byName(next), podSelector: { matchLabels: { tier: "front" } } }],
          ports: [{ port: 8080 }],
        },
        {
          to: [
            {
              ipBlock: {
                cidr: "0.0.0.0/0",
                except: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.169.254/32"],
              },
            },
          ],
          ports: [{ port: 443 }],
        },
      ],
    }),
  );
  return objects;
}

function benchReach({ sizes = [50, 100, 200, 500], runs = 3, log = () => {} } = {}) {
  const { buildReachModel, reachability } = require(path.join(ROOT, "dist", "policypack", "analysis", "network"));
  const { networkTenantIsolation } = require(
    path.join(ROOT, "dist", "policypack", "controls", "network", "tenant-network-isolation"),
  );
  const { evaluate } = require(path.join(ROOT, "dist", "policypack", "engine", "evaluate"));
  const rows = [];
  // One unmeasured pass at the smallest size, so the first row is not the JIT's warm-up.
  {
    const warm = [];
    for (let i = 0; i < sizes[0]; i++) warm.push(...tenant(i, sizes[0]));
    reachability(buildReachModel(warm));
  }
  for (const namespaces of sizes) {
    const objects = [];
    for (let i = 0; i < namespaces; i++) objects.push(...tenant(i, namespaces));
    const times = [];
    const controlTimes = [];
    let endpoints = 0;
    let connections = 0;
    for (let r = 0; r < runs; r++) {
      const t0 = process.hrtime.bigint();
      const model = buildReachModel(objects);
      const relation = reachability(model);
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      endpoints = model.endpoints.length;
      connections = relation.length;
      const t1 = process.hrtime.bigint();
      evaluate(objects, { controls: [networkTenantIsolation], level: "hardened" });
      controlTimes.push(Number(process.hrtime.bigint() - t1) / 1e6);
    }
    const row = {
      namespaces,
      workloads: namespaces * WORKLOADS,
      policies: namespaces * 5,
      objects: objects.length,
      endpoints,
      connections,
      ms: Math.round(median(times)),
      controlMs: Math.round(median(controlTimes)),
    };
    rows.push(row);
    log(
      `  ${namespaces} namespaces × ${WORKLOADS} workloads × 5 policies (${row.objects} objects): reach ${row.ms} ms (${endpoints} endpoints, ${connections} connections); tenant-network-isolation ${row.controlMs} ms`,
    );
  }
  const exponent = growthExponent(rows.map((r) => [r.namespaces, r.ms]));
  if (exponent !== undefined)
    log(
      `  time grows as namespaces^${exponent} (least squares over ${rows.filter((r) => r.ms > 0).length} sizes; 1 = linear)`,
    );
  return { rows, runs, exponent };
}

module.exports = { benchReach, tenant };
