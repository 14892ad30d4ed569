/**
 * The harness itself: a control plane starts on loopback, answers kubectl and the REST helpers,
 * authorizes through RBAC (system:masters aside), and leaves no process or file behind.
 */
import * as fs from "node:fs";
import { ControlPlane, SETUP_TIMEOUT_MS, TEST_TIMEOUT_MS } from "./control-plane";

// The cluster project's `testTimeout` in jest.config.js is ignored (jest-circus reads only the
// global one), so each cluster suite sets its own.
jest.setTimeout(TEST_TIMEOUT_MS);

let cp: ControlPlane;

beforeAll(async () => {
  cp = await ControlPlane.start();
  process.stderr.write(`[control-plane] started in ${cp.timings.totalMs} ms ${JSON.stringify(cp.timings)}\n`);
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await cp?.stop();
});

it("serves the Kubernetes version the wrapper pins, on 127.0.0.1 only", async () => {
  expect(cp.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  const v = await cp.request("GET", "/version");
  expect(v.status).toBe(200);
  expect(v.body).toMatchObject({ gitVersion: "v1.35.8", major: "1", minor: "35" });
  const k = await cp.kubectl(["version", "-o", "json"]);
  expect(k.code).toBe(0);
  expect(JSON.parse(k.stdout)).toMatchObject({
    clientVersion: { gitVersion: "v1.35.8" },
    serverVersion: { gitVersion: "v1.35.8" },
  });
});

it("runs kubectl with input and impersonation", async () => {
  const ns = await cp.kubectl(["create", "-f", "-", "-o", "name"], {
    input: JSON.stringify({ apiVersion: "v1", kind: "Namespace", metadata: { name: "harness" } }),
  });
  expect(ns).toMatchObject({ code: 0, stdout: "namespace/harness\n" });
  const denied = await cp.kubectl(["get", "secrets", "-n", "harness"], { as: "mallory" });
  expect(denied.code).not.toBe(0);
  expect(denied.stderr).toMatch(/User "mallory" cannot list resource "secrets"/);
  const viaGroup = await cp.kubectl(["auth", "can-i", "list", "secrets", "-n", "harness"], {
    as: "mallory",
    asGroups: ["system:masters"],
  });
  expect(viaGroup.stdout.trim()).toBe("yes");
});

it("authorizes through RBAC: SubjectAccessReview follows a RoleBinding, and system:masters bypasses RBAC", async () => {
  const reader = { user: "alice" };
  expect(await cp.can(reader, "get", "configmaps", "harness")).toBe(false);
  const role = await cp.kubectl([
    "create",
    "role",
    "cm-reader",
    "-n",
    "harness",
    "--verb=get",
    "--resource=configmaps",
  ]);
  expect(role.code).toBe(0);
  const binding = await cp.kubectl([
    "create",
    "rolebinding",
    "alice",
    "-n",
    "harness",
    "--role=cm-reader",
    "--user=alice",
  ]);
  expect(binding.code).toBe(0);
  let allowed = false;
  for (let i = 0; i < 50 && !allowed; i++) {
    allowed = await cp.can(reader, "get", "configmaps", "harness");
    if (!allowed) await new Promise((r) => setTimeout(r, 100));
  }
  expect(allowed).toBe(true);
  expect(await cp.can(reader, "get", "configmaps", "default")).toBe(false);
  expect(await cp.can(reader, "get", "secrets", "harness")).toBe(false);
  expect(await cp.can({ user: "anyone", groups: ["system:masters"] }, "impersonate", "users")).toBe(true);
});

it("has the built-in aggregated ClusterRoles filled by the controller manager", async () => {
  const view = await cp.request("GET", "/apis/rbac.authorization.k8s.io/v1/clusterroles/view");
  expect((view.body as { rules: unknown[] }).rules.length).toBeGreaterThan(5);
});

it("classifies a server-side dry run: allowed, PodSecurity, validation", async () => {
  await cp.ensureNamespace("harness-restricted", {
    "pod-security.kubernetes.io/enforce": "restricted",
    "pod-security.kubernetes.io/enforce-version": "v1.35",
  });
  const pod = (spec: Record<string, unknown>) => ({ apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec });
  const ok = await cp.dryRunPod(pod({ containers: [{ name: "a", image: "x" }] }), "harness");
  expect(ok.outcome).toBe("allowed");
  const psa = await cp.dryRunPod(pod({ containers: [{ name: "a", image: "x" }] }), "harness-restricted");
  expect(psa).toMatchObject({ outcome: "pod-security" });
  expect(psa.outcome === "pod-security" && psa.message).toMatch(/violates PodSecurity "restricted:v1\.35"/);
  const invalid = await cp.dryRunPod(pod({ containers: [{ name: "A_B", image: "x" }] }), "harness");
  expect(invalid).toMatchObject({ outcome: "rejected", status: 422, reason: "Invalid" });
  // Nothing was stored.
  const list = await cp.request("GET", "/api/v1/namespaces/harness/pods");
  expect((list.body as { items: unknown[] }).items).toEqual([]);
});

it("stop() kills every process and removes the data dir", async () => {
  const other = await ControlPlane.start({ controllers: [] });
  const pids = fs
    .readFileSync(`${other.dir}/pids`, "utf8")
    .split("\n")
    .filter((p) => p !== "")
    .map(Number);
  expect(pids.length).toBe(2);
  await other.stop();
  expect(fs.existsSync(other.dir)).toBe(false);
  for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
});
