/**
 * Whole pods against the verdict Pod Security Admission gives them, per level and policy version.
 *
 * The expected verdicts are read off k8s.io/pod-security-admission `policy/check_*.go` and
 * `registry.go`, not off Palisade's controls: a check applies from its MinimumVersion; at Restricted
 * a Restricted check replaces the Baseline checks named in its OverrideCheckIDs (capabilities 1.22,
 * seccomp 1.19, restrictedVolumes 1.0, procMount_restricted 1.35); `latest` is the newest version.
 * The engine says "forbidden" iff it reports an unexempted finding.
 *
 * Pods here are API-valid (one source per volume; Windows pods carry no Linux-only fields),
 * because PSA assumes validation has already passed (e.g. its Windows exemptions).
 */
import fc from "fast-check";
import { catalog } from "../../../policypack/controls";
import { evaluate } from "../../../policypack/engine/evaluate";
import type { KubeObject, Level } from "../../../policypack/engine/types";

const controls = catalog.filter((c) => c.family === "pod-security");

type Verdict = "allowed" | "forbidden";
const A: Verdict = "allowed";
const F: Verdict = "forbidden";

type Rec = Record<string, unknown>;

function run(object: KubeObject, level: Level, version: string) {
  return evaluate([object], { controls, level, config: { psaVersion: version } });
}

function verdict(object: KubeObject, level: Level, version: string): Verdict {
  return run(object, level, version).findings.some((f) => f.exempted === undefined) ? F : A;
}

// ---- builders -------------------------------------------------------------------------------

/** A pod that passes Restricted at every policy version. */
function compliant(): Rec {
  return {
    securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
    containers: [
      {
        name: "app",
        image: "registry.example/app:1",
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
      },
    ],
  };
}

function asPod(spec: Rec, annotations?: Record<string, string>): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "p", namespace: "app", ...(annotations ? { annotations } : {}) },
    spec,
  };
}

/** The compliant pod with pod-level securityContext fields merged in (undefined deletes). */
function podSc(extra: Rec, spec: Rec = compliant()): Rec {
  const sc = { ...(spec["securityContext"] as Rec), ...extra };
  for (const [k, v] of Object.entries(extra)) if (v === undefined) delete sc[k];
  return { ...spec, securityContext: sc };
}

/** The compliant pod with the app container's securityContext fields merged in (undefined deletes). */
function ctrSc(extra: Rec, spec: Rec = compliant()): Rec {
  const [app] = spec["containers"] as Rec[];
  const sc = { ...(app!["securityContext"] as Rec), ...extra };
  for (const [k, v] of Object.entries(extra)) if (v === undefined) delete sc[k];
  return { ...spec, containers: [{ ...app, securityContext: sc }] };
}

/** The compliant pod with the app container's own fields merged in. */
function ctr(extra: Rec, spec: Rec = compliant()): Rec {
  const [app] = spec["containers"] as Rec[];
  return { ...spec, containers: [{ ...app, ...extra }] };
}

const restrictedCtr = { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } };

interface Case {
  readonly name: string;
  readonly spec: Rec;
  readonly annotations?: Record<string, string>;
  readonly version: string;
  readonly baseline: Verdict;
  readonly restricted: Verdict;
}

const c = (
  name: string,
  spec: Rec,
  version: string,
  baseline: Verdict,
  restricted: Verdict,
  annotations?: Record<string, string>,
): Case => ({ name, spec, version, baseline, restricted, ...(annotations ? { annotations } : {}) });

const bare: Rec = { containers: [{ name: "app", image: "registry.example/app:1" }] };

const cases: Case[] = [
  // A compliant pod passes everywhere; a bare pod passes Baseline and fails Restricted at every
  // version, because runAsNonRoot is a 1.0 check.
  ...["v1.0", "v1.18", "v1.22", "v1.24", "v1.25", "v1.30", "v1.33", "v1.34", "v1.35", "v1.37", "latest"].flatMap(
    (v) => [c(`compliant pod at ${v}`, compliant(), v, A, A), c(`bare pod at ${v}`, bare, v, A, F)],
  ),

  // hostNamespaces (1.0): unset/false only.
  c("hostNetwork=true", { ...compliant(), hostNetwork: true }, "v1.0", F, F),
  c("hostPID=true", { ...compliant(), hostPID: true }, "latest", F, F),
  c("hostIPC=true", { ...compliant(), hostIPC: true }, "v1.30", F, F),
  c("host namespaces false", { ...compliant(), hostNetwork: false, hostPID: false, hostIPC: false }, "latest", A, A),

  // privileged (1.0), visitContainers covers init and ephemeral containers.
  c("privileged=true", ctrSc({ privileged: true }), "latest", F, F),
  c("privileged=false", ctrSc({ privileged: false }), "latest", A, A),
  c(
    "privileged init container",
    {
      ...compliant(),
      initContainers: [{ name: "init", image: "x", securityContext: { ...restrictedCtr, privileged: true } }],
    },
    "v1.25",
    F,
    F,
  ),
  c(
    "privileged ephemeral container",
    {
      ...compliant(),
      ephemeralContainers: [{ name: "debug", image: "x", securityContext: { ...restrictedCtr, privileged: true } }],
    },
    "latest",
    F,
    F,
  ),

  // capabilities_baseline (1.0) allowlist; capabilities_restricted (1.22) overrides it at Restricted.
  c("add CHOWN (default set)", ctrSc({ capabilities: { drop: ["ALL"], add: ["CHOWN"] } }), "latest", A, F),
  c("add SYS_ADMIN", ctrSc({ capabilities: { drop: ["ALL"], add: ["SYS_ADMIN"] } }), "latest", F, F),
  c("add NET_RAW", ctrSc({ capabilities: { drop: ["ALL"], add: ["NET_RAW"] } }), "v1.24", F, F),
  c("add NET_BIND_SERVICE", ctrSc({ capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] } }), "latest", A, A),
  c("add lower-case sys_admin", ctrSc({ capabilities: { drop: ["ALL"], add: ["sys_admin"] } }), "latest", F, F),
  c("add CHOWN, no drop, before capabilities_restricted", ctrSc({ capabilities: { add: ["CHOWN"] } }), "v1.21", A, A),
  c("add SYS_ADMIN before capabilities_restricted", ctrSc({ capabilities: { add: ["SYS_ADMIN"] } }), "v1.21", F, F),
  c("drop lower-case all", ctrSc({ capabilities: { drop: ["all"] } }), "latest", A, F),
  c("drop lower-case all at v1.21", ctrSc({ capabilities: { drop: ["all"] } }), "v1.21", A, A),
  c("drop NET_RAW only", ctrSc({ capabilities: { drop: ["NET_RAW"] } }), "v1.22", A, F),
  c("no capabilities at v1.22", ctrSc({ capabilities: undefined }), "v1.22", A, F),

  // hostPathVolumes (1.0); restrictedVolumes (1.0) allowlist overrides it. `image` was patched into
  // the 1.0 function, so it passes at every version; a sourceless volume is defaulted to emptyDir.
  c("hostPath volume", { ...compliant(), volumes: [{ name: "h", hostPath: { path: "/data" } }] }, "latest", F, F),
  c("nfs volume", { ...compliant(), volumes: [{ name: "n", nfs: { server: "s", path: "/" } }] }, "latest", A, F),
  c("gitRepo volume", { ...compliant(), volumes: [{ name: "g", gitRepo: { repository: "r" } }] }, "v1.31", A, F),
  c(
    "photonPersistentDisk",
    { ...compliant(), volumes: [{ name: "p", photonPersistentDisk: { pdID: "x" } }] },
    "v1.0",
    A,
    F,
  ),
  c("unknown volume type", { ...compliant(), volumes: [{ name: "u", fooVolume: { x: 1 } }] }, "latest", A, F),
  c("image volume at v1.25", { ...compliant(), volumes: [{ name: "i", image: { reference: "r" } }] }, "v1.25", A, A),
  c("sourceless volume", { ...compliant(), volumes: [{ name: "e" }] }, "latest", A, A),
  c(
    "every allowed volume type",
    {
      ...compliant(),
      volumes: [
        { name: "a", configMap: { name: "c" } },
        { name: "b", csi: { driver: "d" } },
        { name: "c", downwardAPI: { items: [] } },
        { name: "d", emptyDir: {} },
        { name: "e", ephemeral: { volumeClaimTemplate: { spec: {} } } },
        { name: "f", image: { reference: "r" } },
        { name: "g", persistentVolumeClaim: { claimName: "c" } },
        { name: "h", projected: { sources: [] } },
        { name: "i", secret: { secretName: "s" } },
      ],
    },
    "latest",
    A,
    A,
  ),

  // hostPorts (1.0): unset or 0.
  c("hostPort 8080", ctr({ ports: [{ containerPort: 80, hostPort: 8080 }] }), "v1.0", F, F),
  c("hostPort 0", ctr({ ports: [{ containerPort: 80, hostPort: 0 }] }), "latest", A, A),

  // hostProbesAndHostLifecycle (1.34): any non-empty host.
  c("probe host before 1.34", ctr({ livenessProbe: { httpGet: { host: "10.0.0.1", port: 80 } } }), "v1.33", A, A),
  c("probe host at 1.34", ctr({ livenessProbe: { httpGet: { host: "10.0.0.1", port: 80 } } }), "v1.34", F, F),
  c(
    "startup probe host 127.0.0.1",
    ctr({ startupProbe: { httpGet: { host: "127.0.0.1", port: 80 } } }),
    "latest",
    F,
    F,
  ),
  c(
    "preStop tcpSocket host",
    ctr({ lifecycle: { preStop: { tcpSocket: { host: "db", port: 5432 } } } }),
    "latest",
    F,
    F,
  ),
  c("probe host empty", ctr({ readinessProbe: { tcpSocket: { host: "", port: 80 } } }), "latest", A, A),

  // appArmorProfile (1.0): annotations with the prefix (any suffix) and the fields, at every version.
  c("AppArmor annotation unconfined", compliant(), "v1.0", F, F, {
    "container.apparmor.security.beta.kubernetes.io/app": "unconfined",
  }),
  c("AppArmor annotation for an unknown container", compliant(), "latest", F, F, {
    "container.apparmor.security.beta.kubernetes.io/ghost": "unconfined",
  }),
  c("AppArmor annotations allowed", compliant(), "latest", A, A, {
    "container.apparmor.security.beta.kubernetes.io/app": "runtime/default",
    "container.apparmor.security.beta.kubernetes.io/b": "localhost/custom",
    "container.apparmor.security.beta.kubernetes.io/c": "",
  }),
  c("AppArmor pod field Unconfined at v1.24", podSc({ appArmorProfile: { type: "Unconfined" } }), "v1.24", F, F),
  c("AppArmor container field Unconfined", ctrSc({ appArmorProfile: { type: "Unconfined" } }), "latest", F, F),
  c(
    "AppArmor container field Localhost",
    ctrSc({ appArmorProfile: { type: "Localhost", localhostProfile: "p" } }),
    "latest",
    A,
    A,
  ),

  // seLinuxOptions (1.0; container_engine_t from 1.31); user and role must be empty.
  c("SELinux container_engine_t at v1.30", podSc({ seLinuxOptions: { type: "container_engine_t" } }), "v1.30", F, F),
  c("SELinux container_engine_t at v1.31", podSc({ seLinuxOptions: { type: "container_engine_t" } }), "v1.31", A, A),
  c("SELinux spc_t", ctrSc({ seLinuxOptions: { type: "spc_t" } }), "latest", F, F),
  c("SELinux user", ctrSc({ seLinuxOptions: { user: "system_u" } }), "latest", F, F),
  c("SELinux role", podSc({ seLinuxOptions: { role: "system_r" } }), "latest", F, F),
  c("SELinux level only", podSc({ seLinuxOptions: { level: "s0:c123,c456" } }), "latest", A, A),

  // procMount (1.0; 1.35 relaxes Baseline for hostUsers=false); procMount_restricted (1.35) never relaxes.
  c("Unmasked, hostUsers=false, v1.34", { ...ctrSc({ procMount: "Unmasked" }), hostUsers: false }, "v1.34", F, F),
  c("Unmasked, hostUsers=false, v1.35", { ...ctrSc({ procMount: "Unmasked" }), hostUsers: false }, "v1.35", A, F),
  c("Unmasked, hostUsers=false, latest", { ...ctrSc({ procMount: "Unmasked" }), hostUsers: false }, "latest", A, F),
  c("Unmasked, hostUsers=true, latest", { ...ctrSc({ procMount: "Unmasked" }), hostUsers: true }, "latest", F, F),
  c("Unmasked, hostUsers unset, v1.35", ctrSc({ procMount: "Unmasked" }), "v1.35", F, F),
  c("procMount Default", ctrSc({ procMount: "Default" }), "latest", A, A),

  // seccompProfile_baseline: annotations before 1.19, fields from 1.19; seccompProfile_restricted
  // (1.19) overrides it and requires RuntimeDefault/Localhost, pod-level inherited.
  c("pod seccomp Unconfined at v1.19", podSc({ seccompProfile: { type: "Unconfined" } }), "v1.19", F, F),
  c("pod seccomp Unconfined at v1.18", podSc({ seccompProfile: { type: "Unconfined" } }), "v1.18", A, A),
  c("seccomp pod annotation unconfined at v1.18", compliant(), "v1.18", F, F, {
    "seccomp.security.alpha.kubernetes.io/pod": "unconfined",
  }),
  c("seccomp container annotation unconfined at v1.18", compliant(), "v1.18", F, F, {
    "container.seccomp.security.alpha.kubernetes.io/app": "unconfined",
  }),
  c("seccomp annotation for an unknown container at v1.18", compliant(), "v1.18", A, A, {
    "container.seccomp.security.alpha.kubernetes.io/ghost": "unconfined",
  }),
  c("seccomp annotation unconfined at v1.19", compliant(), "v1.19", A, A, {
    "seccomp.security.alpha.kubernetes.io/pod": "unconfined",
  }),
  c("seccomp annotations docker/default and localhost/* at v1.18", compliant(), "v1.18", A, A, {
    "seccomp.security.alpha.kubernetes.io/pod": "docker/default",
    "container.seccomp.security.alpha.kubernetes.io/app": "localhost/profile.json",
  }),
  c("container Unconfined under pod RuntimeDefault", ctrSc({ seccompProfile: { type: "Unconfined" } }), "latest", F, F),
  c(
    "pod unset, container RuntimeDefault",
    ctrSc({ seccompProfile: { type: "RuntimeDefault" } }, podSc({ seccompProfile: undefined })),
    "latest",
    A,
    A,
  ),
  c("pod and container seccomp unset", podSc({ seccompProfile: undefined }), "v1.19", A, F),
  c("pod and container seccomp unset at v1.18", podSc({ seccompProfile: undefined }), "v1.18", A, A),
  c(
    "pod seccomp Localhost",
    podSc({ seccompProfile: { type: "Localhost", localhostProfile: "p.json" } }),
    "latest",
    A,
    A,
  ),

  // Windows (spec.os.name exactly "windows") is exempt from allowPrivilegeEscalation,
  // capabilities_restricted and seccompProfile_restricted from 1.25 only; runAsNonRoot still applies.
  c(
    "Windows pod without Linux fields at v1.25",
    { os: { name: "windows" }, securityContext: { runAsNonRoot: true }, containers: [{ name: "app", image: "x" }] },
    "v1.25",
    A,
    A,
  ),
  c(
    "Windows pod without Linux fields at v1.24",
    { os: { name: "windows" }, securityContext: { runAsNonRoot: true }, containers: [{ name: "app", image: "x" }] },
    "v1.24",
    A,
    F,
  ),
  c(
    "Windows pod without runAsNonRoot",
    { os: { name: "windows" }, containers: [{ name: "app", image: "x" }] },
    "latest",
    A,
    F,
  ),
  c(
    "os.name Windows (capitalised) is not exempt",
    { os: { name: "Windows" }, securityContext: { runAsNonRoot: true }, containers: [{ name: "app", image: "x" }] },
    "latest",
    A,
    F,
  ),

  // sysctls: the safe set grows at 1.27, 1.29, 1.32 and 1.37.
  c(
    "ip_unprivileged_port_start at v1.0",
    podSc({ sysctls: [{ name: "net.ipv4.ip_unprivileged_port_start", value: "80" }] }),
    "v1.0",
    A,
    A,
  ),
  c(
    "ip_local_reserved_ports at v1.26",
    podSc({ sysctls: [{ name: "net.ipv4.ip_local_reserved_ports", value: "1" }] }),
    "v1.26",
    F,
    F,
  ),
  c(
    "ip_local_reserved_ports at v1.27",
    podSc({ sysctls: [{ name: "net.ipv4.ip_local_reserved_ports", value: "1" }] }),
    "v1.27",
    A,
    A,
  ),
  c(
    "tcp_keepalive_time at v1.28",
    podSc({ sysctls: [{ name: "net.ipv4.tcp_keepalive_time", value: "60" }] }),
    "v1.28",
    F,
    F,
  ),
  c(
    "tcp_keepalive_time at v1.29",
    podSc({ sysctls: [{ name: "net.ipv4.tcp_keepalive_time", value: "60" }] }),
    "v1.29",
    A,
    A,
  ),
  c(
    "tcp_rmem at v1.31",
    podSc({ sysctls: [{ name: "net.ipv4.tcp_rmem", value: "4096 87380 6291456" }] }),
    "v1.31",
    F,
    F,
  ),
  c(
    "tcp_rmem at v1.32",
    podSc({ sysctls: [{ name: "net.ipv4.tcp_rmem", value: "4096 87380 6291456" }] }),
    "v1.32",
    A,
    A,
  ),
  c(
    "tcp_notsent_lowat at v1.36",
    podSc({ sysctls: [{ name: "net.ipv4.tcp_notsent_lowat", value: "16384" }] }),
    "v1.36",
    F,
    F,
  ),
  c(
    "tcp_notsent_lowat at v1.37",
    podSc({ sysctls: [{ name: "net.ipv4.tcp_notsent_lowat", value: "16384" }] }),
    "v1.37",
    A,
    A,
  ),
  c(
    "tcp_slow_start_after_idle at latest",
    podSc({ sysctls: [{ name: "net.ipv4.tcp_slow_start_after_idle", value: "0" }] }),
    "latest",
    A,
    A,
  ),
  c("kernel.msgmax", podSc({ sysctls: [{ name: "kernel.msgmax", value: "65536" }] }), "latest", F, F),

  // windowsHostProcess (1.0), pod or container.
  c("pod hostProcess=true", podSc({ windowsOptions: { hostProcess: true } }), "latest", F, F),
  c("container hostProcess=true", ctrSc({ windowsOptions: { hostProcess: true } }), "v1.0", F, F),
  c("hostProcess=false", ctrSc({ windowsOptions: { hostProcess: false } }), "latest", A, A),

  // allowPrivilegeEscalation (1.8): false must be explicit.
  c("allowPrivilegeEscalation unset at v1.7", ctrSc({ allowPrivilegeEscalation: undefined }), "v1.7", A, A),
  c("allowPrivilegeEscalation unset at v1.8", ctrSc({ allowPrivilegeEscalation: undefined }), "v1.8", A, F),
  c("allowPrivilegeEscalation=true", ctrSc({ allowPrivilegeEscalation: true }), "latest", A, F),

  // runAsNonRoot (1.0; 1.35 relaxes for hostUsers=false).
  c("pod true, container false", ctrSc({ runAsNonRoot: false }), "latest", A, F),
  c("pod false, container true", ctrSc({ runAsNonRoot: true }, podSc({ runAsNonRoot: false })), "latest", A, F),
  c("pod unset, container true", ctrSc({ runAsNonRoot: true }, podSc({ runAsNonRoot: undefined })), "latest", A, A),
  c("runAsUser 1000 without runAsNonRoot", podSc({ runAsNonRoot: undefined, runAsUser: 1000 }), "latest", A, F),
  c(
    "runAsNonRoot unset, hostUsers=false, v1.34",
    { ...podSc({ runAsNonRoot: undefined }), hostUsers: false },
    "v1.34",
    A,
    F,
  ),
  c(
    "runAsNonRoot unset, hostUsers=false, v1.35",
    { ...podSc({ runAsNonRoot: undefined }), hostUsers: false },
    "v1.35",
    A,
    A,
  ),
  c(
    "pod true covers an init container that leaves it unset",
    { ...compliant(), initContainers: [{ name: "init", image: "x", securityContext: restrictedCtr }] },
    "latest",
    A,
    A,
  ),

  // runAsUser (1.23; 1.35 relaxes for hostUsers=false).
  c("pod runAsUser 0 at v1.22", podSc({ runAsUser: 0 }), "v1.22", A, A),
  c("pod runAsUser 0 at v1.23", podSc({ runAsUser: 0 }), "v1.23", A, F),
  c("container runAsUser 0, hostUsers=false, v1.34", { ...ctrSc({ runAsUser: 0 }), hostUsers: false }, "v1.34", A, F),
  c("container runAsUser 0, hostUsers=false, v1.35", { ...ctrSc({ runAsUser: 0 }), hostUsers: false }, "v1.35", A, A),
  c("runAsUser 1000", podSc({ runAsUser: 1000 }), "latest", A, A),
];

describe("PSA verdicts, whole pods", () => {
  it("has at least 60 cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
  });

  it.each(cases.map((k) => [k.name, k.version, k] as const))("%s (%s)", (_name, version, k) => {
    const object = asPod(k.spec, k.annotations);
    expect(verdict(object, "baseline", version)).toBe(k.baseline);
    expect(verdict(object, "restricted", version)).toBe(k.restricted);
  });

  it("gives a Deployment the verdict of its pod template", () => {
    for (const k of cases) {
      const deployment: KubeObject = {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "d", namespace: "app" },
        spec: {
          selector: { matchLabels: { app: "x" } },
          template: {
            metadata: { labels: { app: "x" }, ...(k.annotations ? { annotations: k.annotations } : {}) },
            spec: k.spec,
          },
        },
      };
      expect([k.name, verdict(deployment, "baseline", k.version)]).toEqual([k.name, k.baseline]);
      expect([k.name, verdict(deployment, "restricted", k.version)]).toEqual([k.name, k.restricted]);
    }
  });

  it("keys the version on the namespace's enforce-version label", () => {
    const pod = asPod({ ...ctrSc({ procMount: "Unmasked" }), hostUsers: false });
    const ns = (version: string): KubeObject => ({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: "app", labels: { "pod-security.kubernetes.io/enforce-version": version } },
    });
    const forbidden = (v: string) =>
      evaluate([ns(v), pod], { controls, level: "baseline", config: { psaVersion: "latest" } }).findings.length > 0;
    expect(forbidden("v1.34")).toBe(true);
    expect(forbidden("v1.35")).toBe(false);
  });
});

// ---- properties ---------------------------------------------------------------------------------

/** Resolves a finding path (`a.b[0]["k"]`) in an object; undefined when a step is missing. */
function resolvePath(object: unknown, path: string): unknown {
  const token = /([^.[\]]+)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g;
  let current: unknown = object;
  for (const m of path.matchAll(token)) {
    const key: string | number = m[1] ?? (m[2] !== undefined ? Number(m[2]) : (JSON.parse(m[3]!) as string));
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

const CAPS = ["ALL", "all", "NET_RAW", "SYS_ADMIN", "CHOWN", "NET_BIND_SERVICE"];
const VERSIONS = [
  "v1.0",
  "v1.8",
  "v1.18",
  "v1.19",
  "v1.22",
  "v1.23",
  "v1.25",
  "v1.31",
  "v1.34",
  "v1.35",
  "v1.37",
  "latest",
];
const profile = (types: readonly string[]) =>
  fc
    .constantFrom(...types)
    .map((type) =>
      type === "unset" ? undefined : { type, ...(type === "Localhost" ? { localhostProfile: "p" } : {}) },
    );

interface Draft {
  spec: Rec;
  annotations: Record<string, string>;
}

/** One edit of a pod, each at a boundary of some check: both allowed and disallowed values. */
type Mutation = (d: Draft) => void;

const setPod =
  (key: string, value: unknown): Mutation =>
  (d) => {
    const sc = d.spec["securityContext"] as Rec;
    if (value === undefined) delete sc[key];
    else sc[key] = value;
  };
const containersOf = (d: Draft): Rec[] => [
  ...((d.spec["initContainers"] as Rec[]) ?? []),
  ...(d.spec["containers"] as Rec[]),
];
const setCtr =
  (which: number, key: string, value: unknown): Mutation =>
  (d) => {
    const all = containersOf(d);
    const sc = all[which % all.length]!["securityContext"] as Rec;
    if (value === undefined) delete sc[key];
    else sc[key] = value;
  };
const setCtrField =
  (which: number, key: string, value: unknown): Mutation =>
  (d) => {
    const all = containersOf(d);
    all[which % all.length]![key] = value;
  };
const idx = fc.nat(3);

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.boolean().map(
    (b): Mutation =>
      (d) =>
        void (d.spec["hostNetwork"] = b),
  ),
  fc.boolean().map(
    (b): Mutation =>
      (d) =>
        void (d.spec["hostUsers"] = b),
  ),
  fc.constantFrom(true, false, undefined).map((v) => setPod("runAsNonRoot", v)),
  fc.constantFrom(0, 1000).map((v) => setPod("runAsUser", v)),
  profile(["RuntimeDefault", "Localhost", "Unconfined", "unset"]).map((v) => setPod("seccompProfile", v)),
  profile(["RuntimeDefault", "Unconfined"]).map((v) => setPod("appArmorProfile", v)),
  fc
    .constantFrom("kernel.shm_rmid_forced", "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_rmem", "kernel.msgmax")
    .map((name) => setPod("sysctls", [{ name, value: "1" }])),
  fc
    .constantFrom("configMap", "secret", "emptyDir", "hostPath", "nfs", "image", "gitRepo", "csi")
    .map((source): Mutation => (d) => {
      const volumes = (d.spec["volumes"] as Rec[] | undefined) ?? [];
      volumes.push({ name: `v${volumes.length}`, [source]: source === "hostPath" ? { path: "/data" } : {} });
      d.spec["volumes"] = volumes;
    }),
  fc.constantFrom("runtime/default", "unconfined", "localhost/x", "").map(
    (v): Mutation =>
      (d) =>
        void (d.annotations["container.apparmor.security.beta.kubernetes.io/app"] = v),
  ),
  fc.constantFrom("runtime/default", "unconfined", "docker/default").map(
    (v): Mutation =>
      (d) =>
        void (d.annotations["seccomp.security.alpha.kubernetes.io/pod"] = v),
  ),
  fc.boolean().map((compliantInit): Mutation => (d) => {
    d.spec["initContainers"] = [
      { name: "init", image: "x", securityContext: compliantInit ? { ...restrictedCtr } : {} },
    ];
  }),
  fc.tuple(idx, fc.boolean()).map(([i, v]) => setCtr(i, "privileged", v)),
  fc.tuple(idx, fc.constantFrom(true, false, undefined)).map(([i, v]) => setCtr(i, "allowPrivilegeEscalation", v)),
  fc.tuple(idx, fc.constantFrom(true, false, undefined)).map(([i, v]) => setCtr(i, "runAsNonRoot", v)),
  fc.tuple(idx, fc.constantFrom(0, 1000)).map(([i, v]) => setCtr(i, "runAsUser", v)),
  fc.tuple(idx, fc.constantFrom("Default", "Unmasked")).map(([i, v]) => setCtr(i, "procMount", v)),
  fc
    .tuple(idx, fc.subarray(CAPS), fc.subarray(CAPS))
    .map(([i, add, drop]) => setCtr(i, "capabilities", { ...(add.length ? { add } : {}), drop })),
  fc
    .tuple(idx, profile(["RuntimeDefault", "Localhost", "Unconfined", "unset"]))
    .map(([i, v]) => setCtr(i, "seccompProfile", v)),
  fc.tuple(idx, profile(["Localhost", "Unconfined"])).map(([i, v]) => setCtr(i, "appArmorProfile", v)),
  fc
    .tuple(idx, fc.constantFrom("container_t", "container_engine_t", "spc_t"))
    .map(([i, type]) => setCtr(i, "seLinuxOptions", { type })),
  fc
    .tuple(idx, fc.constantFrom(0, 8080))
    .map(([i, hostPort]) => setCtrField(i, "ports", [{ containerPort: 80, hostPort }])),
  fc
    .tuple(idx, fc.constantFrom("", "10.0.0.1"))
    .map(([i, host]) => setCtrField(i, "livenessProbe", { httpGet: { host, port: 80 } })),
);

const podArb = fc
  .record({
    mutations: fc.array(mutationArb, { maxLength: 3 }),
    windows: fc.boolean(),
    version: fc.constantFrom(...VERSIONS),
  })
  .map(({ mutations, windows, version }) => {
    const draft: Draft = { spec: structuredClone(compliant()), annotations: {} };
    for (const m of mutations) m(draft);
    if (windows) {
      // API validation forbids the Linux-only fields on Windows pods, and PSA relies on it.
      draft.spec["os"] = { name: "windows" };
      delete (draft.spec["securityContext"] as Rec)["seccompProfile"];
      for (const x of containersOf(draft)) {
        const sc = x["securityContext"] as Rec;
        delete sc["capabilities"];
        delete sc["seccompProfile"];
      }
    }
    const annotations = Object.keys(draft.annotations).length > 0 ? draft.annotations : undefined;
    return { object: asPod(draft.spec, annotations), version };
  });

describe("PSA verdict properties", () => {
  it("generates pods of both verdicts", () => {
    const sample = fc.sample(podArb, { numRuns: 300, seed: 7 });
    for (const level of ["baseline", "restricted"] as const) {
      const verdicts = sample.map(({ object, version }) => verdict(object, level, version));
      expect(verdicts.filter((v) => v === A).length).toBeGreaterThan(30);
      expect(verdicts.filter((v) => v === F).length).toBeGreaterThan(30);
    }
  });

  it("levels nest: a pod Baseline forbids is never allowed by Restricted", () => {
    fc.assert(
      fc.property(podArb, ({ object, version }) => {
        if (verdict(object, "baseline", version) === F) expect(verdict(object, "restricted", version)).toBe(F);
      }),
      { numRuns: 300 },
    );
  });

  it("every finding path exists in the object, or the message asks for the field to be set", () => {
    fc.assert(
      fc.property(podArb, ({ object, version }) => {
        const findings = run(object, "restricted", version).findings;
        for (const f of findings) {
          expect(f.path).toBeDefined();
          if (!/must set/.test(f.message))
            expect([f.path, resolvePath(object, f.path!)]).not.toEqual([f.path, undefined]);
        }
      }),
      { numRuns: 300 },
    );
  });
});
