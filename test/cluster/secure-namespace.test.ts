/**
 * A SecureNamespace-like namespace on the real API server: a plain Namespace with the restricted
 * Pod Security labels pinned to v1.35 (enforce, audit, warn). The real PodSecurity admission must
 * refuse each kind of restricted violation — through kubectl, as a user would meet it — and admit
 * a fully hardened pod; Palisade, reading the same Namespace for the policy version, must flag the
 * same pods with the expected control.
 */
import { catalog } from "../../policypack/controls";
import { evaluate } from "../../policypack/engine/evaluate";
import type { KubeObject } from "../../policypack/engine/types";
import { ControlPlane, SETUP_TIMEOUT_MS, TEST_TIMEOUT_MS } from "./control-plane";

jest.setTimeout(TEST_TIMEOUT_MS);

type Json = Record<string, unknown>;

const NS = "secure-shop";
const NAMESPACE: KubeObject = {
  apiVersion: "v1",
  kind: "Namespace",
  metadata: {
    name: NS,
    labels: {
      "pod-security.kubernetes.io/enforce": "restricted",
      "pod-security.kubernetes.io/enforce-version": "v1.35",
      "pod-security.kubernetes.io/audit": "restricted",
      "pod-security.kubernetes.io/audit-version": "v1.35",
      "pod-security.kubernetes.io/warn": "restricted",
      "pod-security.kubernetes.io/warn-version": "v1.35",
    },
  },
};

function hardenedPod(name: string): Json {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: NS },
    spec: {
      securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: "RuntimeDefault" } },
      containers: [
        {
          name: "app",
          image: "registry.example/app:1.0",
          ports: [{ containerPort: 8080 }],
          readinessProbe: { httpGet: { port: 8080, path: "/ready" } },
          securityContext: {
            allowPrivilegeEscalation: false,
            capabilities: { drop: ["ALL"] },
            readOnlyRootFilesystem: true,
          },
        },
      ],
      volumes: [{ name: "tmp", emptyDir: {} }],
    },
  };
}

const specOf = (pod: Json) => pod["spec"] as Json;
const app = (pod: Json) => (specOf(pod)["containers"] as Json[])[0]!;
const appSc = (pod: Json) => app(pod)["securityContext"] as Json;
const podSc = (pod: Json) => specOf(pod)["securityContext"] as Json;

/** One kind of restricted violation: how to break the hardened pod, what PSA says, what Palisade says. */
const VIOLATIONS: readonly (readonly [
  name: string,
  mutate: (pod: Json) => void,
  psaReason: string,
  control: string,
])[] = [
  ["host network", (p) => (specOf(p)["hostNetwork"] = true), "host namespaces", "pod-host-network"],
  ["host PID", (p) => (specOf(p)["hostPID"] = true), "host namespaces", "pod-host-pid"],
  ["host IPC", (p) => (specOf(p)["hostIPC"] = true), "host namespaces", "pod-host-ipc"],
  [
    "privileged container",
    (p) => {
      appSc(p)["privileged"] = true;
      delete appSc(p)["allowPrivilegeEscalation"]; // validation refuses privileged with allowPrivilegeEscalation=false
    },
    "privileged",
    "pod-privileged",
  ],
  [
    "added capability",
    (p) => ((appSc(p)["capabilities"] as Json)["add"] = ["NET_ADMIN"]),
    "unrestricted capabilities",
    "pod-capabilities-restricted",
  ],
  [
    "NET_RAW added",
    (p) => ((appSc(p)["capabilities"] as Json)["add"] = ["NET_RAW"]),
    "unrestricted capabilities",
    "pod-capabilities-restricted",
  ],
  [
    "ALL not dropped",
    (p) => delete appSc(p)["capabilities"],
    "unrestricted capabilities",
    "pod-capabilities-restricted",
  ],
  [
    'lower-case "all" dropped',
    (p) => ((appSc(p)["capabilities"] as Json)["drop"] = ["all"]),
    "unrestricted capabilities",
    "pod-capabilities-restricted",
  ],
  [
    "hostPath volume",
    (p) => (specOf(p)["volumes"] = [{ name: "host", hostPath: { path: "/var/log" } }]),
    "restricted volume types",
    "pod-volume-types",
  ],
  [
    "NFS volume",
    (p) => (specOf(p)["volumes"] = [{ name: "nfs", nfs: { server: "nfs.example", path: "/x" } }]),
    "restricted volume types",
    "pod-volume-types",
  ],
  ["host port", (p) => (app(p)["ports"] = [{ containerPort: 8080, hostPort: 8080 }]), "hostPort", "pod-host-ports"],
  [
    "probe host",
    (p) => (app(p)["readinessProbe"] = { httpGet: { port: 8080, path: "/ready", host: "10.0.0.1" } }),
    "probe or lifecycle host",
    "pod-host-probes",
  ],
  [
    "lifecycle host",
    (p) => (app(p)["lifecycle"] = { preStop: { httpGet: { port: 8080, host: "169.254.169.254" } } }),
    "probe or lifecycle host",
    "pod-host-probes",
  ],
  [
    "AppArmor Unconfined",
    (p) => (appSc(p)["appArmorProfile"] = { type: "Unconfined" }),
    "forbidden AppArmor profile",
    "pod-apparmor",
  ],
  [
    "AppArmor annotation unconfined",
    (p) =>
      ((p["metadata"] as Json)["annotations"] = { "container.apparmor.security.beta.kubernetes.io/app": "unconfined" }),
    "forbidden AppArmor profile",
    "pod-apparmor",
  ],
  ["SELinux type spc_t", (p) => (podSc(p)["seLinuxOptions"] = { type: "spc_t" }), "seLinuxOptions", "pod-selinux"],
  ["SELinux user set", (p) => (appSc(p)["seLinuxOptions"] = { user: "system_u" }), "seLinuxOptions", "pod-selinux"],
  [
    "procMount Unmasked (in a user namespace)",
    (p) => {
      specOf(p)["hostUsers"] = false;
      appSc(p)["procMount"] = "Unmasked";
    },
    "procMount",
    "pod-proc-mount-restricted",
  ],
  [
    "seccomp Unconfined",
    (p) => (appSc(p)["seccompProfile"] = { type: "Unconfined" }),
    "seccompProfile",
    "pod-seccomp-restricted",
  ],
  ["no seccomp profile", (p) => delete podSc(p)["seccompProfile"], "seccompProfile", "pod-seccomp-restricted"],
  [
    "unsafe sysctl",
    (p) => (podSc(p)["sysctls"] = [{ name: "kernel.msgmax", value: "65536" }]),
    "forbidden sysctls",
    "pod-sysctls",
  ],
  [
    "sysctl safe only from v1.37",
    (p) => (podSc(p)["sysctls"] = [{ name: "net.ipv4.tcp_notsent_lowat", value: "16384" }]),
    "forbidden sysctls",
    "pod-sysctls",
  ],
  [
    "Windows HostProcess",
    (p) => {
      const s = specOf(p);
      s["os"] = { name: "windows" };
      s["hostNetwork"] = true;
      s["securityContext"] = { runAsNonRoot: true, windowsOptions: { hostProcess: true } };
      app(p)["securityContext"] = {};
      delete app(p)["readinessProbe"];
      delete app(p)["ports"];
    },
    "hostProcess",
    "pod-windows-host-process",
  ],
  [
    "privilege escalation allowed",
    (p) => (appSc(p)["allowPrivilegeEscalation"] = true),
    "allowPrivilegeEscalation != false",
    "pod-allow-privilege-escalation",
  ],
  [
    "privilege escalation unset",
    (p) => delete appSc(p)["allowPrivilegeEscalation"],
    "allowPrivilegeEscalation != false",
    "pod-allow-privilege-escalation",
  ],
  [
    "runAsNonRoot false in a container",
    (p) => (appSc(p)["runAsNonRoot"] = false),
    "runAsNonRoot != true",
    "pod-run-as-non-root",
  ],
  ["runAsNonRoot unset", (p) => delete podSc(p)["runAsNonRoot"], "runAsNonRoot != true", "pod-run-as-non-root"],
  ["runAsUser 0", (p) => (appSc(p)["runAsUser"] = 0), "runAsUser=0", "pod-run-as-user"],
  [
    "init container without a securityContext",
    (p) => (specOf(p)["initContainers"] = [{ name: "init", image: "registry.example/init:1.0" }]),
    "allowPrivilegeEscalation != false",
    "pod-allow-privilege-escalation",
  ],
];

let cp: ControlPlane;

beforeAll(async () => {
  // The aggregation controller fills the built-in admin role the last test binds.
  cp = await ControlPlane.start({ controllers: ["clusterrole-aggregation-controller"] });
  const ns = await cp.kubectl(["apply", "--server-side", "--field-manager=palisade-test", "-f", "-"], {
    input: JSON.stringify(NAMESPACE),
  });
  if (ns.code !== 0) throw new Error(`kubectl apply Namespace: ${ns.stderr}`);
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await cp?.stop();
});

const podControls = catalog.filter((c) => c.family === "pod-security");

/** Palisade at restricted, with the Namespace in the set (its enforce-version label sets the policy version). */
function palisadeControls(pod: Json): string[] {
  const r = evaluate([NAMESPACE, pod as KubeObject], { controls: podControls, level: "restricted" });
  return [...new Set(r.findings.filter((f) => f.exempted === undefined).map((f) => f.control))].sort();
}

it("admits a fully hardened pod, stores it, and warns about nothing", async () => {
  const pod = hardenedPod("hardened");
  expect(palisadeControls(pod)).toEqual([]);
  const dry = await cp.kubectl(["create", "--dry-run=server", "-o", "name", "-f", "-"], { input: JSON.stringify(pod) });
  expect(dry).toMatchObject({ code: 0, stdout: "pod/hardened\n" });
  expect(dry.stderr).toBe("");
  const created = await cp.kubectl(["create", "-o", "name", "-f", "-"], { input: JSON.stringify(pod) });
  expect(created).toMatchObject({ code: 0, stdout: "pod/hardened\n", stderr: "" });
  const got = await cp.kubectl(["get", "pod", "hardened", "-n", NS, "-o", "jsonpath={.metadata.name}"]);
  expect(got.stdout).toBe("hardened");
});

it.each(VIOLATIONS.map(([name, mutate, reason, control]) => [name, mutate, reason, control] as const))(
  "refuses a pod with %s (PodSecurity and Palisade agree)",
  async (name, mutate, reason, control) => {
    const pod = hardenedPod(
      `v-${name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-|-$/g, "")}`,
    );
    mutate(pod);
    const r = await cp.kubectl(["create", "--dry-run=server", "-o", "name", "-f", "-"], { input: JSON.stringify(pod) });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`violates PodSecurity "restricted:v1.35": `);
    // "forbidden AppArmor profile" becomes "…profiles" when an annotation is also synced to the field.
    expect(r.stderr).toMatch(new RegExp(`${reason.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}s? \\(`));
    expect(palisadeControls(pod)).toContain(control);
  },
);

it("refuses an ephemeral container that breaks restricted on a running hardened pod", async () => {
  const current = await cp.request("GET", `/api/v1/namespaces/${NS}/pods/hardened`);
  expect(current.status).toBe(200);
  const pod = current.body as Json;
  specOf(pod)["ephemeralContainers"] = [
    { name: "debug", image: "registry.example/debug:1.0", securityContext: { privileged: true } },
  ];
  const v = await cp.dryRunEphemeral(pod, NS, "hardened");
  expect(v.outcome).toBe("pod-security");
  expect(v.outcome === "pod-security" && v.message).toMatch(/privileged \(container "debug"/);
  expect(palisadeControls(pod)).toEqual(
    expect.arrayContaining(["pod-privileged", "pod-allow-privilege-escalation", "pod-capabilities-restricted"]),
  );
  // A hardened debug container is admitted.
  specOf(pod)["ephemeralContainers"] = [
    {
      name: "debug",
      image: "registry.example/debug:1.0",
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
    },
  ];
  expect((await cp.dryRunEphemeral(pod, NS, "hardened")).outcome).toBe("allowed");
  expect(palisadeControls(pod)).toEqual([]);
});

it("only warns about a workload whose pod template breaks restricted (PodSecurity enforces on Pods)", async () => {
  const template = hardenedPod("x");
  appSc(template)["privileged"] = true;
  delete appSc(template)["allowPrivilegeEscalation"];
  const deployment = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: NS },
    spec: {
      selector: { matchLabels: { app: "web" } },
      template: { metadata: { labels: { app: "web" } }, spec: template["spec"] },
    },
  };
  const r = await cp.kubectl(["create", "--dry-run=server", "-o", "name", "-f", "-"], {
    input: JSON.stringify(deployment),
  });
  expect(r.code).toBe(0);
  expect(r.stdout).toBe("deployment.apps/web\n");
  expect(r.stderr).toMatch(/Warning: would violate PodSecurity "restricted:v1\.35": privileged/);
  expect(palisadeControls(deployment)).toContain("pod-privileged");
});

it("refuses the same pods for any user, not only for the admin (PodSecurity has no user exemption here)", async () => {
  await cp.kubectl(["create", "rolebinding", "dev-admin", "-n", NS, "--clusterrole=admin", "--user=dev"]);
  const pod = hardenedPod("as-dev");
  specOf(pod)["hostPID"] = true;
  let r = await cp.kubectl(["create", "--dry-run=server", "-f", "-"], { input: JSON.stringify(pod), as: "dev" });
  for (let i = 0; i < 50 && /forbidden: User/.test(r.stderr); i++) {
    await new Promise((res) => setTimeout(res, 100));
    r = await cp.kubectl(["create", "--dry-run=server", "-f", "-"], { input: JSON.stringify(pod), as: "dev" });
  }
  expect(r.code).not.toBe(0);
  expect(r.stderr).toMatch(/violates PodSecurity "restricted:v1\.35": host namespaces \(hostPID=true\)/);
});
