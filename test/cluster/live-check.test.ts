/**
 * `palisade check` on a live cluster, as the README tells users to run it:
 * `kubectl get … -o yaml | palisade check -`. What the API server returns is not what was applied:
 * defaults filled in (imagePullPolicy, securityContext {}, the serviceAccount alias, a hostNetwork
 * Pod's hostPorts), status, managedFields, a `List` around the items. Palisade must judge the
 * live objects exactly as it judged their manifests.
 */
import { hardenedWorkload, secureNamespace, type Manifest } from "../../components/manifests";
import { catalog } from "../../policypack/controls";
import { evaluate } from "../../policypack/engine/evaluate";
import type { KubeObject } from "../../policypack/engine/types";
import { cliProcess } from "../helpers/cli";
import { ControlPlane, SETUP_TIMEOUT_MS, TEST_TIMEOUT_MS, writeReport } from "./control-plane";

jest.setTimeout(TEST_TIMEOUT_MS);

const NS = "live-shop";
/** Unlabelled, so Pod Security lets the insecure objects in (the live view must still flag them). */
const LEGACY = "live-legacy";
const IMAGE = `ghcr.io/acme/web:1.4.2@sha256:${"0123456789abcdef".repeat(4)}`;
/** The kinds the manifests hold, as `kubectl get` names them. */
const KINDS =
  "deployments,statefulsets,daemonsets,cronjobs,jobs,pods,services,serviceaccounts,roles,rolebindings,networkpolicies,resourcequotas,limitranges,poddisruptionbudgets";

let cp: ControlPlane;

beforeAll(async () => {
  cp = await ControlPlane.start({ controllers: ["namespace-controller", "serviceaccount-controller"] });
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await cp?.stop();
});

/** Hardened by construction, plus objects that break controls the way real manifests do. */
function manifests(): KubeObject[] {
  const insecure: KubeObject[] = [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: LEGACY } },
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "legacy", namespace: LEGACY, labels: { app: "legacy" } },
      spec: {
        selector: { matchLabels: { app: "legacy" } },
        template: {
          metadata: { labels: { app: "legacy" } },
          spec: {
            serviceAccountName: "legacy",
            containers: [{ name: "app", image: "nginx:latest", securityContext: { privileged: true } }],
          },
        },
      },
    },
    {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "node-agent", namespace: LEGACY },
      spec: { hostNetwork: true, containers: [{ name: "agent", image: IMAGE, ports: [{ containerPort: 9100 }] }] },
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: { name: "debugger", namespace: LEGACY },
      rules: [{ apiGroups: [""], resources: ["pods/exec", "secrets"], verbs: ["get", "create"] }],
    },
  ];
  const hardened: Manifest[] = [
    ...secureNamespace({ name: NS }),
    ...hardenedWorkload({ name: "web", namespace: NS, image: IMAGE, ports: [{ port: 8080 }] }),
  ];
  return [...(hardened as KubeObject[]), ...insecure];
}

const key = (kind: string, name: string | undefined, control: string): string => `${kind}/${name ?? "?"} ${control}`;

it("judges the live objects (kubectl get -o yaml) exactly as it judged their manifests", async () => {
  const source = manifests();
  const applied = await cp.kubectl(["apply", "--server-side", "--field-manager=palisade-test", "-f", "-"], {
    input: JSON.stringify({ apiVersion: "v1", kind: "List", items: source }),
  });
  expect(applied.stderr).toBe("");

  const fromManifests = evaluate(source, { controls: catalog, level: "hardened" })
    .findings.filter((f) => f.exempted === undefined)
    .map((f) => key(f.resource.kind, f.resource.name, f.control));
  // The one difference the cluster makes by design: the serviceaccount controller creates the
  // `default` ServiceAccount the legacy manifests did not declare, so "declare it" becomes that
  // ServiceAccount's own finding (its token is automounted).
  const expected = fromManifests
    .filter((k) => k !== key("Namespace", LEGACY, "sa-default-declared"))
    .concat(
      fromManifests.includes(key("Namespace", LEGACY, "sa-default-declared"))
        ? [key("ServiceAccount", "default", "sa-default-automount")]
        : [],
    );

  const parts: string[] = [];
  for (const args of [
    ["get", "namespace", NS, LEGACY, "-o", "yaml"],
    ["get", KINDS, "-n", NS, "-o", "yaml"],
    ["get", KINDS, "-n", LEGACY, "-o", "yaml"],
  ]) {
    const r = await cp.kubectl(args);
    expect(r.stderr).toBe("");
    parts.push(r.stdout);
  }
  const live = cliProcess(["check", "--format", "json", "-"], parts.join("\n---\n"));
  expect(live.stderr).toBe("");
  const report = JSON.parse(live.stdout) as {
    findings: { control: string; kind: string; name?: string | null; exempted: unknown }[];
  };
  // Only the objects the manifests declared, and the default ServiceAccounts the cluster adds.
  const declared = new Set([...source.map((o) => `${o.kind}/${o.metadata?.name}`), "ServiceAccount/default"]);
  const got = report.findings
    .filter((f) => f.exempted === false && declared.has(`${f.kind}/${f.name ?? ""}`))
    .map((f) => key(f.kind, f.name ?? undefined, f.control));

  writeReport("live-check.json", { expected: [...expected].sort(), got: [...got].sort() });
  expect(expected.length).toBeGreaterThan(0);
  expect([...new Set(got)].sort()).toEqual([...new Set(expected)].sort());
  expect(live.code).toBe(1);
});
