/**
 * The upgrade analysis' Pod Security drift verdicts against the real PodSecurity admission of
 * kube-apiserver v1.35.8. For every drift fixture (test/fixtures/upgrade/drift/): the namespace,
 * pinned to the old policy version, admits (or rejects) the pod — a server-side dry run, nothing
 * stored — and the same namespace re-labelled to the target version rejects (or admits) it,
 * exactly as `analyzeUpgrade` said (newly-rejected / newly-allowed). Fixtures whose target the
 * server cannot judge (policy versions after its own 1.35) say so in a `# server: skip` header
 * and are counted, not sent.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { analyzeUpgrade, DEPRECATED_APIS } from "../../policypack/analysis/upgrade";
import { parseManifests } from "../../policypack/engine/parse";
import { StackIndex } from "../../policypack/engine/stack";
import type { KubeObject } from "../../policypack/engine/types";
import { ControlPlane, SETUP_TIMEOUT_MS, TEST_TIMEOUT_MS, writeReport, type AdmissionVerdict } from "./control-plane";

jest.setTimeout(TEST_TIMEOUT_MS);

const DIR = path.join(__dirname, "..", "fixtures", "upgrade", "drift");
const VERSION_LABEL = "pod-security.kubernetes.io/enforce-version";

interface DriftFixture {
  readonly name: string;
  readonly objects: KubeObject[];
  readonly to: number;
  readonly expect: string;
  readonly skip?: string;
}

function loadFixtures(): DriftFixture[] {
  return fs
    .readdirSync(DIR)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => {
      const text = fs.readFileSync(path.join(DIR, f), "utf8");
      const header = (key: string) => new RegExp(`^# ${key}: (.*)$`, "m").exec(text)?.[1];
      const parsed = parseManifests(text, f);
      if (parsed.errors.length > 0) throw new Error(`${f}: ${parsed.errors[0]!.message}`);
      const skip = header("server");
      return {
        name: f.replace(/\.yaml$/, ""),
        objects: parsed.objects.map((o) => o.object),
        to: Number(/^v1\.(\d+)$/.exec(header("to") ?? "")?.[1]),
        expect: header("expect") ?? "",
        ...(skip !== undefined ? { skip } : {}),
      };
    });
}

type Outcome = "allowed" | "pod-security" | string;
const outcome = (v: AdmissionVerdict): Outcome =>
  v.outcome === "rejected" ? `rejected (${v.status} ${v.reason}): ${v.message}` : v.outcome;

let cp: ControlPlane;

beforeAll(async () => {
  cp = await ControlPlane.start({ controllers: [] });
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await cp?.stop();
});

it("every drift verdict of the upgrade analysis is what PodSecurity admission does at the two versions", async () => {
  const fixtures = loadFixtures();
  const rows: Record<string, unknown>[] = [];
  const disagreements: string[] = [];
  const skipped: string[] = [];
  for (const fx of fixtures) {
    const report = analyzeUpgrade(new StackIndex(fx.objects), { to: fx.to });
    const verdicts = report.drift.map((d) => d.verdict);
    if (verdicts.length !== 1 || verdicts[0] !== fx.expect)
      disagreements.push(`${fx.name}: the analysis says ${JSON.stringify(verdicts)}, the fixture expects ${fx.expect}`);
    if (fx.skip !== undefined) {
      skipped.push(`${fx.name} ${fx.skip}`);
      continue;
    }
    const namespace = fx.objects.find((o) => o.kind === "Namespace")!;
    const pod = fx.objects.find((o) => o.kind === "Pod")!;
    const name = String(namespace.metadata?.name);
    const labels = namespace.metadata?.labels as Record<string, string>;
    await cp.ensureNamespace(name, labels);
    const atPin = outcome(await cp.dryRunPod(pod as Record<string, unknown>, name));
    const raised = { ...labels, [VERSION_LABEL]: `v1.${fx.to}` };
    await cp.ensureNamespace(name, raised);
    // PodSecurity reads namespaces from an informer: right after the relabel it may still judge by
    // the old labels. Ask again until the verdict changes (or 10 s pass: then it did not change).
    let atTarget = outcome(await cp.dryRunPod(pod as Record<string, unknown>, name));
    let retries = 0;
    for (; retries < 50 && atTarget === atPin; retries++) {
      await new Promise((res) => setTimeout(res, 200));
      atTarget = outcome(await cp.dryRunPod(pod as Record<string, unknown>, name));
    }
    // And a namespace created with the target's labels (no cache involved) must say the same.
    await cp.ensureNamespace(`${name}-to`, raised);
    const moved = { ...pod, metadata: { ...pod.metadata, namespace: `${name}-to` } };
    const fresh = outcome(await cp.dryRunPod(moved as Record<string, unknown>, `${name}-to`));
    if (fresh !== atTarget)
      disagreements.push(`${fx.name}: re-labelled namespace says ${atTarget}, a new one labelled v1.${fx.to} ${fresh}`);
    const server =
      atPin === "allowed" && atTarget === "pod-security"
        ? "newly-rejected"
        : atPin === "pod-security" && atTarget === "allowed"
          ? "newly-allowed"
          : `unchanged or refused (pinned ${labels[VERSION_LABEL]}: ${atPin}; v1.${fx.to}: ${atTarget})`;
    rows.push({
      fixture: fx.name,
      pinned: labels[VERSION_LABEL],
      to: `v1.${fx.to}`,
      server,
      palisade: verdicts[0],
      retries,
    });
    if (server !== verdicts[0])
      disagreements.push(`${fx.name}: the server says ${server}, the analysis ${verdicts[0]}`);
  }
  writeReport("upgrade-drift.json", { agreed: rows.length - disagreements.length, rows, skipped, disagreements });
  expect(disagreements).toEqual([]);
  // Every fixture but the ones after the server's own version was sent.
  expect(rows.length + skipped.length).toBe(fixtures.length);
  expect(rows.length).toBeGreaterThanOrEqual(13);
});

it("the removal table agrees with the server's discovery: every removed version is gone at v1.35, every replacement served", async () => {
  const groupPath = (apiVersion: string) => (apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`);
  const wrong: string[] = [];
  let checked = 0;
  for (const api of DEPRECATED_APIS) {
    if (api.removedIn > 35) continue;
    const gone = await cp.request("GET", groupPath(api.apiVersion));
    checked++;
    if (gone.status !== 404)
      wrong.push(`${api.apiVersion}: served (${gone.status}), the table says removed in v1.${api.removedIn}`);
    if (!/^[a-z0-9.]+\/v\d+$|^v1$/.test(api.replacement)) continue;
    const served = await cp.request("GET", groupPath(api.replacement));
    if (served.status !== 200) {
      wrong.push(`${api.replacement} (replacing ${api.apiVersion}): ${served.status}`);
      continue;
    }
    // The replacement serves each kind the old version did.
    const kinds = ((served.body as { resources?: { kind: string }[] }).resources ?? []).map((r) => r.kind);
    for (const kind of api.kinds)
      if (!kinds.includes(kind)) wrong.push(`${api.replacement} does not serve ${kind} (replacing ${api.apiVersion})`);
  }
  writeReport("upgrade-apis.json", { checked, wrong });
  expect(wrong).toEqual([]);
  expect(checked).toBe(DEPRECATED_APIS.length);
});
