/**
 * Parity on every argument shape: the same SecureNamespace and HardenedWorkload arguments — the
 * union-typed ones the package schema declares as Any (quantities as numbers and strings, a DNS
 * target object, a custom Role beside a preset, a ServiceAccount of another namespace, disabled
 * and object probes, a StatefulSet with claims, a PodDisruptionBudget by minAvailable) — given to
 * the TypeScript components from a Node.js program and to the package from a Pulumi YAML program
 * render the same manifests.
 */
import * as path from "node:path";
import { stringify } from "yaml";
import { renderedManifests } from "./pulumi-package";
import { PulumiWorkspace, ROOT, SETUP_TIMEOUT, toolchainEnv } from "./pulumi";

const NAMESPACE = {
  name: "data",
  tenant: "analytics",
  labels: { team: "data" },
  podSecurity: { version: "v1.33" },
  dnsEgress: { namespace: "kube-system" },
  allowSameNamespace: true,
  egress: [{ to: [{ cidr: "10.0.0.0/8" }], ports: [{ port: 5432 }] }],
  quota: { hard: { pods: 20, "requests.cpu": "2", "limits.cpu": 4 } },
  limitRange: { defaultLimits: { cpu: "250m", memory: "256Mi" }, max: { cpu: 1 } },
  serviceAccounts: ["etl"],
  access: [
    { role: "view", users: ["ana@example.com"], serviceAccounts: ["etl", { name: "ci", namespace: "ci" }] },
    {
      role: {
        name: "configmap-reader",
        rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list"] }],
      },
      groups: ["data-eng"],
    },
  ],
};
const WORKLOAD = {
  name: "db",
  image: "registry.example.com/db:16.2@sha256:5e2bf3a1c7d94e8fa6b0c2d4e6f8a1b3c5d7e9f0a2b4c6d8e0f1a3b5c7d9e1f3",
  kind: "StatefulSet",
  replicas: 3,
  ports: [{ port: 5432, name: "pg" }],
  ingressFrom: [{ podLabels: { "app.kubernetes.io/name": "etl" } }],
  resources: { cpu: { request: "200m", limit: 1 }, memory: { request: "256Mi", limit: "1Gi" } },
  probes: {
    readiness: { exec: { command: ["pg_isready"] }, periodSeconds: 5 },
    liveness: { tcpSocket: { port: "pg" } },
    startup: { tcpSocket: { port: 5432 }, failureThreshold: 30 },
  },
  runAs: { user: 10999, group: 10999 },
  volumeClaims: [{ name: "data", mountPath: "/var/lib/postgresql/data", size: "10Gi" }],
  volumes: [{ name: "conf", mountPath: "/etc/pg", configMap: "pg-conf" }],
  env: { PGDATA: "/var/lib/postgresql/data/pgdata" },
  tmpVolume: { sizeLimit: "128Mi", medium: "Memory" },
  podDisruptionBudget: { minAvailable: 2 },
};

let nodeOut: string;
let yamlOut: string;

beforeAll(() => {
  toolchainEnv();
  // Node.js: the TypeScript components (compiled), the workload given the SecureNamespace object.
  const js = new PulumiWorkspace("parity-nodejs");
  nodeOut = path.join(js.scratch, "rendered");
  js.write("Pulumi.yaml", "name: parity-nodejs\nruntime: nodejs\n");
  js.write("package.json", JSON.stringify({ name: "parity-nodejs", private: true, main: "index.js" }));
  js.write(
    "index.js",
    `"use strict";
const k8s = require("@pulumi/kubernetes");
const { SecureNamespace, HardenedWorkload } = require(${JSON.stringify(path.join(ROOT, "dist", "components", "pulumi"))});
const provider = new k8s.Provider("render", { renderYamlToDirectory: ${JSON.stringify(nodeOut)} });
const ns = new SecureNamespace("data", ${JSON.stringify(NAMESPACE)}, { provider });
new HardenedWorkload("db", { ...${JSON.stringify(WORKLOAD)}, namespace: ns }, { provider });
`,
  );
  js.stack("dev");
  const a = js.pulumi(["up", "--yes"]);
  if (a.code !== 0) throw new Error(`Node.js program failed:\n${a.output}`);

  // Pulumi YAML: the package, the workload given the namespace's name and tenant.
  const yaml = new PulumiWorkspace("parity-yaml");
  yamlOut = path.join(yaml.scratch, "rendered");
  yaml.write(
    "Pulumi.yaml",
    stringify({
      name: "parity-yaml",
      runtime: "yaml",
      packages: { palisade: ROOT },
      resources: {
        render: { type: "pulumi:providers:kubernetes", properties: { renderYamlToDirectory: yamlOut } },
        data: { type: "palisade:index:SecureNamespace", properties: NAMESPACE, options: { providers: ["${render}"] } },
        db: {
          type: "palisade:index:HardenedWorkload",
          properties: { ...WORKLOAD, namespace: "data", tenant: "analytics" },
          options: { providers: ["${render}"], dependsOn: ["${data}"] },
        },
      },
    }),
  );
  yaml.stack("dev");
  const b = yaml.pulumi(["up", "--yes"]);
  if (b.code !== 0) throw new Error(`YAML program failed:\n${b.output}`);
}, SETUP_TIMEOUT);

it("the YAML program renders the Node.js program's manifests, file for file", () => {
  const fromNode = renderedManifests(nodeOut);
  const fromYaml = renderedManifests(yamlOut);
  expect(fromNode.size).toBe(19);
  expect([...fromYaml.keys()]).toEqual([...fromNode.keys()]);
  for (const [file, docs] of fromNode) expect([file, fromYaml.get(file)]).toEqual([file, docs]);
});

it("the Any-typed arguments took effect rather than being dropped on the way", () => {
  const rendered = renderedManifests(yamlOut);
  const doc = (pattern: RegExp): Record<string, unknown> => {
    const entry = [...rendered].find(([f]) => pattern.test(f));
    if (entry === undefined) throw new Error(`no rendered file matches ${pattern}`);
    return entry[1][0] as Record<string, unknown>;
  };
  const quota = doc(/resourcequota-data-tenant-quota/) as { spec: { hard: Record<string, string> } };
  expect(quota.spec.hard).toEqual(expect.objectContaining({ pods: "20", "requests.cpu": "2", "limits.cpu": "4" }));
  const sts = doc(/statefulset-data-db/) as {
    spec: { template: { spec: { containers: Record<string, unknown>[] } }; volumeClaimTemplates: unknown[] };
  };
  const container = sts.spec.template.spec.containers[0]!;
  expect(container["readinessProbe"]).toEqual(
    expect.objectContaining({ exec: { command: ["pg_isready"] }, periodSeconds: 5 }),
  );
  expect(container["resources"]).toEqual(expect.objectContaining({ limits: expect.objectContaining({ cpu: "1" }) }));
  expect(sts.spec.volumeClaimTemplates).toHaveLength(1);
  expect(doc(/role-data-configmap-reader/)).toEqual(expect.objectContaining({ kind: "Role" }));
  expect(doc(/poddisruptionbudget-data-db/)).toEqual(
    expect.objectContaining({ spec: expect.objectContaining({ minAvailable: 2 }) }),
  );
});
