/**
 * The main job for real: `pulumi up --policy-pack policypack` of the multi-tenant baseline
 * (stacks/, stack dev) against the harness's kube-apiserver — live, not rendering YAML — then
 * `pulumi destroy`.
 *
 * Live mode without touching the committed files: the stack config is a copy of
 * stacks/Pulumi.dev.yaml without `palisade:renderDir`, passed with `--config-file`, and KUBECONFIG
 * points the program's default Kubernetes provider at the control plane. The program runs in place
 * (it requires the repository's compiled code) with a throw-away file backend.
 *
 * What the program declares is computed independently: its tenants (the stack config) through
 * the secureNamespace builder that the SecureNamespace component wraps object for object. Those
 * objects must be exactly the kubernetes:* resources of the stack's state, and must be on the
 * server as declared (`kubectl diff --server-side` of the declared objects shows nothing).
 *
 * The controllers run are the ones the provider's await logic and the deletion need:
 * resourcequota-controller (the provider waits for a ResourceQuota's status.hard to equal its
 * spec.hard, and fails after a minute), serviceaccount-controller (creates the `default`
 * ServiceAccount the stack patches), namespace-controller (empties and finalizes deleted
 * namespaces) and garbage-collector-controller (the provider deletes with foreground propagation,
 * whose `foregroundDeletion` finalizer only the garbage collector removes: without it every delete
 * waits out its 10-minute timeout). There is no
 * kubelet or scheduler, so pods never run: the stack declares no workload, and a test fails with
 * that explanation if one is added (its await would then need `pulumi.com/skipAwait`).
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import YAML from "yaml";
import { secureNamespace, type Manifest, type SecureNamespaceArgs } from "../../components/manifests";
import {
  POLICY_PACK,
  PulumiWorkspace,
  ROOT,
  SETUP_TIMEOUT,
  toolchainEnv,
  violations,
  type RunResult,
} from "../e2e/pulumi";
import { ControlPlane, SETUP_TIMEOUT_MS, TEST_TIMEOUT_MS, writeReport } from "./control-plane";

jest.setTimeout(TEST_TIMEOUT_MS);

type Json = Record<string, unknown>;

const STACK = "dev";
const STACK_CONFIG = path.join(ROOT, "stacks", `Pulumi.${STACK}.yaml`);
/** Kinds whose await needs pods to run, which this control plane (no kubelet, no scheduler) cannot. */
const NEEDS_PODS = new Set(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "Pod"]);
const ENFORCE = "pod-security.kubernetes.io/enforce";
const ENFORCE_VERSION = "pod-security.kubernetes.io/enforce-version";
/** How long the namespaces may take to disappear once `pulumi destroy` returns. */
const NAMESPACE_GONE_TIMEOUT_MS = 120_000;

interface StateResource {
  readonly type: string;
  readonly outputs?: { readonly kind?: string; readonly metadata?: { name?: string; namespace?: string } };
}

let cp: ControlPlane;
let ws: PulumiWorkspace;
let liveConfig: string;
let committedConfigHash: string;
let declared: Manifest[];
let up: RunResult;
let upMs = 0;

const sha256 = (file: string) => crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
const idOf = (kind: string | undefined, namespace: string | undefined, name: string | undefined) =>
  `${kind ?? "?"} ${namespace === undefined ? "" : `${namespace}/`}${name ?? "?"}`;
const id = (o: Manifest) => idOf(o.kind, o.metadata.namespace, o.metadata.name);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ofKind = (kind: string) => declared.filter((o) => o.kind === kind);

/** The kubernetes:* resources of the stack's state (the default provider is pulumi:providers:*). */
function stateResources(): StateResource[] {
  const file = path.join(ws.scratch, `state-${Date.now()}.json`);
  const r = ws.pulumi(["stack", "export", "--stack", STACK, "--file", file]);
  if (r.code !== 0) throw new Error(`pulumi stack export failed:\n${r.output}`);
  const state = JSON.parse(fs.readFileSync(file, "utf8")) as { deployment: { resources?: StateResource[] } };
  return (state.deployment.resources ?? []).filter((res) => res.type.startsWith("kubernetes:"));
}

/** `kind.group` as kubectl resolves it (core kinds have no group). */
function resourceOf(o: Manifest): string {
  const slash = o.apiVersion.indexOf("/");
  return slash < 0 ? o.kind : `${o.kind}.${o.apiVersion.slice(0, slash)}`;
}

/** The object as stored on the server, or null when it does not exist. */
async function live(o: Manifest): Promise<Json | null> {
  const args = ["get", "--ignore-not-found", "-o", "json", resourceOf(o), o.metadata.name];
  if (o.metadata.namespace !== undefined) args.push("-n", o.metadata.namespace);
  const r = await cp.kubectl(args);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")}: ${r.stderr}`);
  return r.stdout.trim() === "" ? null : (JSON.parse(r.stdout) as Json);
}

/** Polls `probe` until `done` holds or `timeoutMs` passes; returns the last value. */
async function eventually<T>(timeoutMs: number, probe: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await sleep(500);
  }
}

/** A pod every Pod Security level but privileged refuses. */
function privilegedPod(namespace: string): Json {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "privileged-probe", namespace },
    spec: {
      containers: [
        {
          name: "app",
          image: "registry.example/app:1.0",
          resources: { limits: { cpu: "100m", memory: "64Mi" }, requests: { cpu: "100m", memory: "64Mi" } },
          securityContext: { privileged: true },
        },
      ],
    },
  };
}

beforeAll(async () => {
  toolchainEnv();
  committedConfigHash = sha256(STACK_CONFIG);
  const stackConfig = YAML.parse(fs.readFileSync(STACK_CONFIG, "utf8")) as { config: Record<string, unknown> };
  // What the program declares: one secureNamespace per tenant of the stack config.
  const tenants = stackConfig.config["palisade:tenants"] as SecureNamespaceArgs[];
  declared = tenants.flatMap((tenant) => secureNamespace(tenant));

  cp = await ControlPlane.start({
    controllers: [
      "namespace-controller",
      "serviceaccount-controller",
      "resourcequota-controller",
      "garbage-collector-controller",
    ],
  });

  ws = new PulumiWorkspace("stack-up", ROOT, { inPlace: true });
  ws.stack(STACK);
  // The same stack config, live: without palisade:renderDir the program uses the ambient kubeconfig.
  delete stackConfig.config["palisade:renderDir"];
  liveConfig = path.join(ws.scratch, `Pulumi.${STACK}.live.yaml`);
  fs.writeFileSync(liveConfig, YAML.stringify(stackConfig));

  const started = Date.now();
  up = ws.pulumi(["up", "--yes", "--stack", STACK, "--config-file", liveConfig, "--policy-pack", POLICY_PACK], {
    KUBECONFIG: cp.kubeconfig,
  });
  upMs = Date.now() - started;
  const report = writeReport("stack-up.txt", up.output);
  process.stderr.write(`[stack-up] pulumi up: exit ${up.code} in ${upMs} ms (output: ${report})\n`);
}, SETUP_TIMEOUT_MS + SETUP_TIMEOUT);

afterAll(async () => {
  await cp?.stop();
});

it("declares no workload, whose await would need running pods (no kubelet here)", () => {
  expect(declared.length).toBeGreaterThan(0);
  expect(declared.filter((o) => NEEDS_PODS.has(o.kind)).map(id)).toEqual([]);
});

it("pulumi up succeeds live, and the policy pack ran with no mandatory violation", () => {
  if (up.code !== 0) throw new Error(`pulumi up failed (exit ${up.code}):\n${up.output}\n${cp.tailLogs()}`);
  // The pack was loaded and reported on the update (it prints its name and where it came from).
  expect(up.output).toMatch(/Loading policy packs\.\.\.: done/);
  expect(up.output).toContain(`(local: ${POLICY_PACK})`);
  expect(violations(up.output).filter((v) => v.level === "mandatory")).toEqual([]);
  // It evaluated the resources: the deploy preset's documented exemption leaves its advisory audit trail.
  expect(violations(up.output).map((v) => v.policy)).toContain("palisade-exemptions");
  // Live, not rendered: the program exports no render folder, and the tenants' namespaces.
  const outputs = ws.pulumi(["stack", "output", "--json", "--stack", STACK]);
  expect(outputs.code).toBe(0);
  const exported = JSON.parse(outputs.stdout) as Json;
  expect(exported).not.toHaveProperty("renderedTo");
  expect(exported["namespaceNames"]).toEqual(ofKind("Namespace").map((n) => n.metadata.name));
});

it("the stack's state holds exactly the objects the program declares", () => {
  const inState = stateResources().map((r) =>
    idOf(r.outputs?.kind, r.outputs?.metadata?.namespace, r.outputs?.metadata?.name),
  );
  expect(inState.sort()).toEqual(declared.map(id).sort());
  process.stderr.write(`[stack-up] ${inState.length} Kubernetes objects in the state\n`);
});

it("every declared object is on the server, as declared", async () => {
  const missing: string[] = [];
  for (const o of declared) if ((await live(o)) === null) missing.push(id(o));
  expect(missing).toEqual([]);
  // Applying the declared objects again would change nothing (a server-side dry run; managedFields
  // aside). --force-conflicts: a value differing from what Pulumi's field manager set shows up in
  // the diff instead of failing as a conflict.
  const diff = await cp.kubectl(["diff", "--server-side", "--force-conflicts", "-f", "-"], {
    input: JSON.stringify({ apiVersion: "v1", kind: "List", items: declared }),
  });
  expect({ code: diff.code, diff: diff.stdout, stderr: diff.stderr }).toEqual({ code: 0, diff: "", stderr: "" });
});

it("the tenant namespaces carry their Pod Security labels, and admission enforces them", async () => {
  for (const ns of ofKind("Namespace")) {
    const labels = ns.metadata.labels;
    expect(labels[ENFORCE]).toBeDefined();
    const stored = (await live(ns)) as { metadata: { labels: Record<string, string> } };
    const psa = (l: Record<string, string>) =>
      Object.fromEntries(Object.entries(l).filter(([k]) => k.startsWith("pod-security.kubernetes.io/")));
    expect(psa(stored.metadata.labels)).toEqual(psa(labels));
    if (labels[ENFORCE] === "privileged") continue;
    const verdict = await cp.dryRunPod(privilegedPod(ns.metadata.name), ns.metadata.name);
    expect(verdict.outcome).toBe("pod-security");
    if (verdict.outcome === "pod-security")
      expect(verdict.message).toContain(`violates PodSecurity "${labels[ENFORCE]}:${labels[ENFORCE_VERSION]}"`);
  }
});

it("every namespace has a default-deny NetworkPolicy on the server", async () => {
  for (const ns of ofKind("Namespace")) {
    const r = await cp.kubectl(["get", "networkpolicies.networking.k8s.io", "-n", ns.metadata.name, "-o", "json"]);
    expect(r.code).toBe(0);
    const items = (JSON.parse(r.stdout) as { items: Json[] }).items as {
      metadata: { name: string };
      spec: { podSelector: Json; policyTypes?: string[]; ingress?: unknown[]; egress?: unknown[] };
    }[];
    // Selects every pod, for both directions, and allows nothing.
    const denyAll = items.filter(
      (p) =>
        Object.keys(p.spec.podSelector).length === 0 &&
        ["Ingress", "Egress"].every((t) => p.spec.policyTypes?.includes(t) === true) &&
        (p.spec.ingress ?? []).length === 0 &&
        (p.spec.egress ?? []).length === 0,
    );
    expect({ namespace: ns.metadata.name, denyAll: denyAll.length }).toEqual({
      namespace: ns.metadata.name,
      denyAll: 1,
    });
  }
});

it("ServiceAccounts (default included) do not automount a token", async () => {
  const accounts = ofKind("ServiceAccount");
  expect(accounts.map((sa) => sa.metadata.name)).toContain("default");
  for (const sa of accounts) {
    const stored = await live(sa);
    expect({ sa: id(sa), automount: stored?.["automountServiceAccountToken"] }).toEqual({
      sa: id(sa),
      automount: false,
    });
  }
});

it("ResourceQuotas are accounted by the quota controller, LimitRanges are stored", async () => {
  expect(ofKind("ResourceQuota").length).toBeGreaterThan(0);
  for (const q of ofKind("ResourceQuota")) {
    const stored = (await live(q)) as { spec: { hard: Json }; status?: { hard?: Json; used?: Json } };
    expect(stored.status?.hard).toEqual(stored.spec.hard);
    expect(stored.status?.used).toBeDefined();
  }
  expect(ofKind("LimitRange").length).toBeGreaterThan(0);
  for (const l of ofKind("LimitRange")) {
    const stored = (await live(l)) as { spec?: { limits?: unknown[] } } | null;
    expect(stored?.spec?.limits?.length).toBeGreaterThan(0);
  }
});

it("every RoleBinding binds a Role of the stack that exists in its namespace", async () => {
  for (const rb of ofKind("RoleBinding")) {
    const stored = (await live(rb)) as { roleRef: { kind: string; name: string }; subjects: unknown[] };
    expect(stored.roleRef.kind).toBe("Role");
    const role = ofKind("Role").find(
      (r) => r.metadata.name === stored.roleRef.name && r.metadata.namespace === rb.metadata.namespace,
    );
    expect(role).toBeDefined();
    expect(await live(role as Manifest)).not.toBeNull();
    expect(stored.subjects).toEqual((rb as unknown as { subjects: unknown[] }).subjects);
  }
});

it("pulumi destroy removes everything, and the namespaces go", async () => {
  const started = Date.now();
  const destroy = ws.pulumi(["destroy", "--yes", "--stack", STACK, "--config-file", liveConfig], {
    KUBECONFIG: cp.kubeconfig,
  });
  const destroyMs = Date.now() - started;
  writeReport("stack-destroy.txt", destroy.output);
  process.stderr.write(`[stack-up] pulumi destroy: exit ${destroy.code} in ${destroyMs} ms\n`);
  if (destroy.code !== 0) throw new Error(`pulumi destroy failed (exit ${destroy.code}):\n${destroy.output}`);
  expect(stateResources()).toEqual([]);

  // Terminating, then gone: the namespace controller empties and finalizes each.
  const names = ofKind("Namespace").map((n) => n.metadata.name);
  const remaining = await eventually(
    NAMESPACE_GONE_TIMEOUT_MS,
    async () => {
      const statuses = await Promise.all(names.map((n) => cp.request("GET", `/api/v1/namespaces/${n}`)));
      return names.filter((_, i) => statuses[i]?.status !== 404);
    },
    (left) => left.length === 0,
  );
  expect(remaining).toEqual([]);
  for (const o of declared) expect(await live(o)).toBeNull();

  // The committed stack config was never written.
  expect(sha256(STACK_CONFIG)).toBe(committedConfigHash);
});
