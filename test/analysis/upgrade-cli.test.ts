/** `palisade upgrade`: text grouped by what to do first, JSON, SARIF, exit codes, usage and input errors. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cli, ROOT } from "../helpers/cli";

const EXAMPLE = path.join(ROOT, "test", "fixtures", "upgrade", "examples", "cluster.yaml");
const DRIFT = path.join(ROOT, "test", "fixtures", "upgrade", "drift");

test("text: what breaks first, then what a raised pin changes, then pins; exit 1", async () => {
  const r = await cli(["upgrade", EXAMPLE, "--to", "v1.34", "--from", "v1.33"]);
  expect(r.code).toBe(1);
  const order = [
    "1. Breaks at v1.34: API versions no longer served (3)",
    "2. Breaks at v1.34: pods newly rejected in namespaces that follow the cluster (no pin) (1)",
    "3. Before raising pins to v1.34: newly rejected once the label says v1.34 (1)",
    "5. Pins (3)",
  ].map((h) => r.stdout.indexOf(h));
  expect(order.every((i) => i >= 0)).toBe(true);
  expect([...order].sort((a, b) => a - b)).toEqual(order);
  expect(r.stdout).toContain("HorizontalPodAutoscaler shop/web: autoscaling/v2beta2 → autoscaling/v2");
  expect(r.stdout).toMatch(
    /Pod batch\/report: newly rejected by baseline \(enforce\) v1\.33 → v1\.34 {2}\S*cluster\.yaml:\d+/,
  );
  expect(r.stdout).toContain("pod-host-probes: container");
  expect(r.stdout).toContain("spec.rules[0].http.paths[0].backend.serviceName → backend.service.name");
  expect(r.stdout).toContain("4 breaking at v1.34");
});

test("json: the same report for machines", async () => {
  const r = await cli(["upgrade", EXAMPLE, "--to", "v1.34", "--from", "v1.33", "--format", "json"]);
  expect(r.code).toBe(1);
  const out = JSON.parse(r.stdout) as {
    from: string;
    to: string;
    breaking: number;
    apis: { status: string; apiVersion: string; replacement: string; removedIn: string }[];
    drift: { resource: { kind: string; name: string }; verdict: string; trigger: string; breaking: boolean }[];
    pins: { namespace: string; kind: string; mode?: string }[];
  };
  expect(out).toMatchObject({ from: "v1.33", to: "v1.34", breaking: 4 });
  expect(out.apis.map((a) => [a.apiVersion, a.status, a.replacement, a.removedIn])).toEqual([
    ["autoscaling/v2beta2", "removed", "autoscaling/v2", "v1.26"],
    ["flowcontrol.apiserver.k8s.io/v1beta3", "removed", "flowcontrol.apiserver.k8s.io/v1", "v1.32"],
    ["networking.k8s.io/v1beta1", "removed", "networking.k8s.io/v1", "v1.22"],
  ]);
  expect(out.drift.map((d) => [d.resource.name, d.verdict, d.trigger, d.breaking])).toEqual([
    ["web", "newly-rejected", "raise-pin", false],
    ["report", "newly-rejected", "upgrade", true],
  ]);
  expect(out.pins.map((p) => `${p.namespace}:${p.mode}:${p.kind}`)).toEqual([
    "shop:enforce:lagging",
    "shop:warn:unpinned",
    "batch:enforce:unpinned",
  ]);
});

test("sarif: one result per item, located at the field", async () => {
  const r = await cli(["upgrade", EXAMPLE, "--to", "v1.34", "--from", "v1.33", "--format", "sarif"]);
  expect(r.code).toBe(1);
  const sarif = JSON.parse(r.stdout) as {
    version: string;
    runs: { results: { ruleId: string; level: string; locations: { physicalLocation?: unknown }[] }[] }[];
  };
  expect(sarif.version).toBe("2.1.0");
  const results = sarif.runs[0]!.results;
  expect(results.map((x) => `${x.ruleId}:${x.level}`)).toEqual([
    "upgrade-api-removed:error",
    "upgrade-api-removed:error",
    "upgrade-api-removed:error",
    "upgrade-pss-newly-rejected:warning",
    "upgrade-pss-newly-rejected:error",
    "upgrade-pin-lagging:warning",
    "upgrade-pin-unpinned:warning",
    "upgrade-pin-unpinned:warning",
  ]);
  expect(results.every((x) => x.locations[0]?.physicalLocation !== undefined)).toBe(true);
});

test("exit 0 when nothing breaks (a pinned namespace only drifts once its pin is raised)", async () => {
  const r = await cli(["upgrade", path.join(DRIFT, "v1.34-host-probes.yaml"), "--to", "v1.34"]);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain("Upgrade to v1.34 from v1.33");
  expect(r.stdout).toContain("3. Before raising pins to v1.34");
});

test.each([
  [["upgrade", EXAMPLE], /--to v1\.N is required/],
  [["upgrade", EXAMPLE, "--to", "2.0"], /--to must be a Kubernetes version v1\.N/],
  [["upgrade", EXAMPLE, "--to", "v1.99"], /up to v1\.37/],
  [["upgrade", EXAMPLE, "--to", "v1.30", "--from", "v1.30"], /--from \(v1\.30\) must be older than --to/],
  [["upgrade", "--to", "v1.30"], /no input/],
])("usage error %j: exit 2", async (args, message) => {
  const r = await cli(args);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(message);
});

test("a field of the wrong type is an input error naming file, object and field: exit 2", async () => {
  const bad = "apiVersion: v1\nkind: Pod\nmetadata: { name: p, namespace: a }\nspec:\n  containers: nope\n";
  const r = await cli(["upgrade", "-", "--to", "v1.34"], bad);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/<stdin>:1: Pod a\/p: .*containers/);
});

test("--from defaults to the config's psaVersion when no namespace pins one", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "palisade-upgrade-"));
  const config = path.join(dir, "palisade.yaml");
  fs.writeFileSync(config, "psaVersion: v1.33\n");
  const manifests = [
    "apiVersion: v1\nkind: Namespace\nmetadata: { name: batch, labels: { pod-security.kubernetes.io/enforce: baseline } }",
    "apiVersion: v1\nkind: Pod\nmetadata: { name: report, namespace: batch }\nspec:\n  containers:\n    - { name: r, image: r:1, readinessProbe: { tcpSocket: { host: 10.0.0.2, port: 9000 } } }",
  ].join("\n---\n");
  const r = await cli(["upgrade", "-", "--to", "v1.34", "--config", config, "--format", "json"], manifests);
  expect(r.code).toBe(1);
  const out = JSON.parse(r.stdout) as { from: string; drift: { trigger: string; breaking: boolean }[] };
  expect(out.from).toBe("v1.33");
  expect(out.drift).toMatchObject([{ trigger: "upgrade", breaking: true }]);
  // Without it there is nothing to compare a floating namespace with: it is listed as unpinned only.
  const bare = await cli(["upgrade", "-", "--to", "v1.34", "--format", "json"], manifests);
  expect(bare.code).toBe(0);
  expect(JSON.parse(bare.stdout)).toMatchObject({
    from: null,
    drift: [],
    pins: [{ kind: "unpinned" }],
    notes: [
      expect.stringContaining('namespace "batch" follows the cluster (enforce=baseline, no pin) but the version'),
    ],
  });
});
