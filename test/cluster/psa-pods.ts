/**
 * A fast-check generator of Pods for the PSA differential test. Every pod starts from a hardened
 * base (that passes Restricted) and gets 0–5 random mutations, each touching one field the Pod
 * Security Standards read — so a disagreement names the field(s) involved — plus random base shapes
 * (init containers, restartable sidecars, a second container, no securityContext at all).
 *
 * Pods are meant to be API-valid most of the time, but the generator does not try hard: the
 * server's validation is the judge, and the test excludes (and counts) what it refuses.
 */
import fc from "fast-check";

export type Json = Record<string, unknown>;

export interface GeneratedPod {
  readonly pod: Json;
  /** What the mutations did, for reports. */
  readonly mutations: string[];
  /**
   * Ephemeral containers cannot be set on create: these are added through the
   * pods/ephemeralcontainers subresource to a pod created without them.
   */
  readonly ephemeral: Json[];
}

// ------------------------------------------------------------------ value pools

export const CAPABILITIES_ADD = [
  "NET_BIND_SERVICE",
  "net_bind_service",
  "CHOWN",
  "KILL",
  "AUDIT_WRITE",
  "SETUID",
  "SYS_CHROOT",
  "NET_RAW",
  "SYS_ADMIN",
  "CAP_SYS_ADMIN",
  "SYS_TIME",
  "BPF",
  "ALL",
  "all",
  "",
];
export const CAPABILITIES_DROP = ["ALL", "all", "All", "NET_RAW", "SYS_ADMIN", "CHOWN", "NET_BIND_SERVICE"];

export const SYSCTLS: readonly (readonly [string, string])[] = [
  ["kernel.shm_rmid_forced", "1"],
  ["net.ipv4.ip_local_port_range", "1024 65535"],
  ["net.ipv4.ip_unprivileged_port_start", "1024"],
  ["net.ipv4.tcp_syncookies", "1"],
  ["net.ipv4.ping_group_range", "0 2147483647"],
  ["net.ipv4.ip_local_reserved_ports", "8080"],
  ["net.ipv4.tcp_keepalive_time", "600"],
  ["net.ipv4.tcp_fin_timeout", "30"],
  ["net.ipv4.tcp_keepalive_intvl", "30"],
  ["net.ipv4.tcp_keepalive_probes", "5"],
  ["net.ipv4.tcp_rmem", "4096 87380 6291456"],
  ["net.ipv4.tcp_wmem", "4096 16384 4194304"],
  // Safe only from policy v1.37 (Palisade knows them; the v1.35 server must refuse them).
  ["net.ipv4.tcp_slow_start_after_idle", "0"],
  ["net.ipv4.tcp_notsent_lowat", "16384"],
  // Slash spelling of a safe sysctl: the API accepts it, PSA compares names exactly.
  ["net/ipv4/tcp_syncookies", "1"],
  // Unsafe.
  ["kernel.msgmax", "65536"],
  ["net.core.somaxconn", "1024"],
  ["vm.swappiness", "10"],
  ["net.ipv4.ip_forward", "1"],
  ["kernel.sem", "250 32000 32 128"],
];

export const SELINUX_TYPES = [
  "container_t",
  "container_init_t",
  "container_kvm_t",
  "container_engine_t",
  "spc_t",
  "unconfined_t",
  "",
  "Container_t",
];

export const APPARMOR_ANNOTATION_VALUES = [
  "runtime/default",
  "localhost/palisade-profile",
  "unconfined",
  "",
  "localhost",
  "RuntimeDefault",
  "localhost/",
];

export const SECCOMP_ANNOTATION_VALUES = ["runtime/default", "docker/default", "unconfined", "localhost/profile.json"];

/** One entry per volume source the API knows, with the fields validation requires. */
export const VOLUME_SOURCES: readonly (readonly [string, Json])[] = [
  ["configMap", { name: "cm" }],
  ["csi", { driver: "csi.example.com" }],
  ["downwardAPI", { items: [{ path: "labels", fieldRef: { fieldPath: "metadata.labels" } }] }],
  ["emptyDir", {}],
  [
    "ephemeral",
    {
      volumeClaimTemplate: {
        spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
      },
    },
  ],
  ["image", { reference: "registry.example/data:1", pullPolicy: "IfNotPresent" }],
  ["persistentVolumeClaim", { claimName: "data" }],
  ["projected", { sources: [{ serviceAccountToken: { path: "token" } }] }],
  ["secret", { secretName: "s" }],
  ["hostPath", { path: "/var/log" }],
  ["hostPath", { path: "/var/run/docker.sock", type: "Socket" }],
  ["gcePersistentDisk", { pdName: "disk" }],
  ["awsElasticBlockStore", { volumeID: "vol-1" }],
  ["gitRepo", { repository: "https://git.example.com/r.git" }],
  ["nfs", { server: "nfs.example.com", path: "/export" }],
  ["iscsi", { targetPortal: "10.0.0.1:3260", iqn: "iqn.2001-04.com.example:storage", lun: 0 }],
  ["glusterfs", { endpoints: "gluster", path: "vol" }],
  ["rbd", { monitors: ["10.0.0.1:6789"], image: "img" }],
  ["flexVolume", { driver: "example.com/flex" }],
  ["cinder", { volumeID: "vol-1" }],
  ["cephfs", { monitors: ["10.0.0.1:6789"] }],
  ["flocker", { datasetName: "ds" }],
  ["fc", { targetWWNs: ["500a0982991b8dc5"], lun: 0 }],
  ["azureFile", { secretName: "az", shareName: "share" }],
  ["vsphereVolume", { volumePath: "[ds] vol.vmdk" }],
  ["quobyte", { registry: "quobyte:7861", volume: "vol" }],
  ["azureDisk", { diskName: "d", diskURI: "https://example.blob.core.windows.net/vhds/d.vhd" }],
  ["photonPersistentDisk", { pdID: "pd" }],
  ["portworxVolume", { volumeID: "pw" }],
  ["scaleIO", { gateway: "https://scaleio", system: "sys", volumeName: "vol", secretRef: { name: "sio" } }],
  ["storageos", { volumeName: "vol" }],
];

// ------------------------------------------------------------------ helpers on plain pods

interface Mutation {
  readonly describe: string;
  /** Applied after the others (pod-wide rewrites such as "make it a Windows pod"). */
  readonly late?: boolean;
  readonly apply: (pod: Json, state: BuildState) => void;
}

interface BuildState {
  ephemeral: Json[];
  volumes: number;
}

const rec = (o: Json, key: string): Json => {
  const v = o[key];
  if (typeof v === "object" && v !== null && !Array.isArray(v)) return v as Json;
  const fresh: Json = {};
  o[key] = fresh;
  return fresh;
};
const spec = (pod: Json): Json => rec(pod, "spec");
const annotations = (pod: Json): Record<string, string> =>
  rec(rec(pod, "metadata"), "annotations") as Record<string, string>;

function containersOf(pod: Json, which: "containers" | "initContainers"): Json[] {
  const list = spec(pod)[which];
  return Array.isArray(list) ? (list as Json[]) : [];
}

/** Every container (init first), for picking a target by index. */
function allContainers(pod: Json): Json[] {
  return [...containersOf(pod, "initContainers"), ...containersOf(pod, "containers")];
}

/** Containers that may have probes and lifecycle handlers: regular ones and restartable sidecars. */
function probeable(pod: Json): Json[] {
  return [
    ...containersOf(pod, "initContainers").filter((c) => c["restartPolicy"] === "Always"),
    ...containersOf(pod, "containers"),
  ];
}

const pick = <T>(list: readonly T[], index: number): T | undefined =>
  list.length === 0 ? undefined : list[index % list.length];

/** Sets a key, deleting it for `undefined`. */
function put(o: Json, key: string, value: unknown): void {
  if (value === undefined) delete o[key];
  else o[key] = value;
}

const weighted = <T>(...entries: [number, T][]) =>
  fc.oneof(...entries.map(([weight, value]) => ({ weight, arbitrary: fc.constant(value) })));

// ------------------------------------------------------------------ value arbitraries

const seccompProfile = fc.constantFrom<Json | undefined | null>(
  undefined,
  null,
  { type: "RuntimeDefault" },
  { type: "Localhost", localhostProfile: "profiles/p.json" },
  { type: "Unconfined" },
);
const appArmorProfile = fc.constantFrom<Json | undefined>(
  undefined,
  { type: "RuntimeDefault" },
  { type: "Localhost", localhostProfile: "palisade-profile" },
  { type: "Unconfined" },
);
const seLinuxOptions = fc.record(
  {
    type: fc.constantFrom(...SELINUX_TYPES),
    user: fc.constantFrom("", "system_u", "unconfined_u"),
    role: fc.constantFrom("", "system_r", "object_r"),
    level: fc.constantFrom("", "s0:c123,c456"),
  },
  { requiredKeys: [] },
);
const capabilities = fc.record(
  {
    add: fc.subarray(CAPABILITIES_ADD, { maxLength: 3 }),
    drop: fc.subarray(CAPABILITIES_DROP, { maxLength: 3 }),
  },
  { requiredKeys: [] },
);
const boolOrUnset = fc.constantFrom<boolean | undefined | null>(undefined, null, true, false);
const uid = fc.constantFrom<number | undefined>(undefined, 0, 1000, 65534);
const host = fc.constantFrom("", "10.0.0.1", "localhost", "169.254.169.254");

const probeHandler = (withHost: boolean) =>
  fc.oneof(
    host.map((h) => ({ httpGet: { port: 8080, path: "/healthz", ...(withHost ? { host: h } : {}) } })),
    host.map((h) => ({ tcpSocket: { port: 8080, ...(withHost ? { host: h } : {}) } })),
    fc.constant({ exec: { command: ["true"] } }),
  );
const lifecycleHandler = fc.oneof(
  host.map((h) => ({ httpGet: { port: 8080, path: "/hook", host: h } })),
  host.map((h) => ({ tcpSocket: { port: 8080, host: h } })),
  fc.constant({ exec: { command: ["true"] } }),
  fc.constant({ sleep: { seconds: 1 } }),
);

// A container securityContext drawn freely (used for ephemeral containers and "free" containers).
const freeSecurityContext = fc.record(
  {
    privileged: boolOrUnset,
    allowPrivilegeEscalation: boolOrUnset,
    capabilities,
    runAsNonRoot: boolOrUnset,
    runAsUser: uid,
    seccompProfile,
    appArmorProfile,
    seLinuxOptions,
    procMount: weighted<string | undefined>([4, undefined], [1, "Default"], [1, "Unmasked"]),
    readOnlyRootFilesystem: fc.boolean(),
  },
  { requiredKeys: [] },
);

// ------------------------------------------------------------------ mutations

const index = fc.nat({ max: 7 });

/** Ephemeral containers (added through the subresource, after create). */
const ephemeralMutation: fc.Arbitrary<Mutation> = fc
  .tuple(fc.option(freeSecurityContext, { nil: undefined }), fc.boolean())
  .map(([sc, hardened]) => ({
    describe: `ephemeral container${sc === undefined ? (hardened ? " (hardened)" : " (no securityContext)") : ` securityContext=${JSON.stringify(sc)}`}`,
    apply: (_pod: Json, state: BuildState) => {
      const securityContext =
        sc ?? (hardened ? { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } } : undefined);
      state.ephemeral.push({
        name: `debug-${state.ephemeral.length}`,
        image: "registry.example/debug:1",
        ...(securityContext ? { securityContext } : {}),
      });
    },
  }));

/** A hostPath volume (also among VOLUME_SOURCES; drawn more often, being the Baseline one). */
const hostPathMutation: fc.Arbitrary<Mutation> = fc
  .constantFrom(
    { path: "/var/log" },
    { path: "/", type: "Directory" },
    { path: "/var/run/docker.sock", type: "Socket" },
  )
  .map((source) => ({
    describe: `volume hostPath ${JSON.stringify(source)}`,
    apply: (pod: Json, state: BuildState) => {
      const s = spec(pod);
      const volumes = Array.isArray(s["volumes"]) ? (s["volumes"] as Json[]) : [];
      volumes.push({ name: `vol-${state.volumes++}`, hostPath: source });
      s["volumes"] = volumes;
    },
  }));

const mutations: fc.Arbitrary<Mutation>[] = [
  ephemeralMutation,
  ephemeralMutation,
  ephemeralMutation,
  hostPathMutation,
  // hostNamespaces
  fc.tuple(fc.constantFrom("hostNetwork", "hostPID", "hostIPC"), boolOrUnset).map(([field, v]) => ({
    describe: `spec.${field}=${String(v)}`,
    apply: (pod: Json) => put(spec(pod), field, v),
  })),
  // privileged
  fc.tuple(index, boolOrUnset).map(([i, v]) => ({
    describe: `container[${i}].privileged=${String(v)}`,
    apply: (pod: Json) => {
      const c = pick(allContainers(pod), i);
      if (c) put(rec(c, "securityContext"), "privileged", v);
    },
  })),
  // capabilities
  fc.tuple(index, capabilities).map(([i, caps]) => ({
    describe: `container[${i}].capabilities=${JSON.stringify(caps)}`,
    apply: (pod: Json) => {
      const c = pick(allContainers(pod), i);
      if (c) put(rec(c, "securityContext"), "capabilities", caps);
    },
  })),
  fc.tuple(index, fc.subarray(CAPABILITIES_ADD, { minLength: 1, maxLength: 2 })).map(([i, add]) => ({
    describe: `container[${i}].capabilities.add=${JSON.stringify(add)}`,
    apply: (pod: Json) => {
      const c = pick(allContainers(pod), i);
      if (c) rec(rec(c, "securityContext"), "capabilities")["add"] = add;
    },
  })),
  // volumes
  fc.constantFrom(...VOLUME_SOURCES).map(([type, source]) => ({
    describe: `volume ${type}`,
    apply: (pod: Json, state: BuildState) => {
      const s = spec(pod);
      const volumes = Array.isArray(s["volumes"]) ? (s["volumes"] as Json[]) : [];
      volumes.push({ name: `vol-${state.volumes++}`, [type]: structuredClone(source) });
      s["volumes"] = volumes;
    },
  })),
  // hostPort
  fc.tuple(index, fc.constantFrom(0, 8080, 80, 9090)).map(([i, hostPort]) => ({
    describe: `container[${i}].ports hostPort=${hostPort}`,
    apply: (pod: Json) => {
      const c = pick(allContainers(pod), i);
      if (!c) return;
      const ports = Array.isArray(c["ports"]) ? (c["ports"] as Json[]) : [];
      if (ports.some((p) => p["containerPort"] === 8080)) return;
      ports.push({ containerPort: 8080, ...(hostPort === 0 ? {} : { hostPort }) });
      c["ports"] = ports;
    },
  })),
  // probes and lifecycle hosts
  fc
    .tuple(index, fc.constantFrom("livenessProbe", "readinessProbe", "startupProbe"), probeHandler(true))
    .map(([i, probe, handler]) => ({
      describe: `container[${i}].${probe}=${JSON.stringify(handler)}`,
      apply: (pod: Json) => {
        const c = pick(probeable(pod), i);
        if (c) c[probe] = handler;
      },
    })),
  fc.tuple(index, fc.constantFrom("postStart", "preStop"), lifecycleHandler).map(([i, hook, handler]) => ({
    describe: `container[${i}].lifecycle.${hook}=${JSON.stringify(handler)}`,
    apply: (pod: Json) => {
      const c = pick(probeable(pod), i);
      if (c) rec(c, "lifecycle")[hook] = handler;
    },
  })),
  // AppArmor: annotations and fields
  fc
    .tuple(
      index,
      fc.constantFrom(...APPARMOR_ANNOTATION_VALUES),
      fc.nat({ max: 4 }).map((n) => n === 0),
    )
    .map(([i, value, ghost]) => ({
      describe: `apparmor annotation on ${ghost ? "a missing container" : `container[${i}]`}=${JSON.stringify(value)}`,
      apply: (pod: Json) => {
        const c = pick(allContainers(pod), i);
        const name = ghost ? "ghost" : String(c?.["name"] ?? "ghost");
        annotations(pod)[`container.apparmor.security.beta.kubernetes.io/${name}`] = value;
      },
    })),
  fc.tuple(fc.option(index, { nil: undefined }), appArmorProfile).map(([i, profile]) => ({
    describe: `${i === undefined ? "pod" : `container[${i}]`}.appArmorProfile=${JSON.stringify(profile)}`,
    apply: (pod: Json) => {
      const target = i === undefined ? spec(pod) : pick(allContainers(pod), i);
      if (target) put(rec(target, "securityContext"), "appArmorProfile", profile);
    },
  })),
  // SELinux
  fc.tuple(fc.option(index, { nil: undefined }), seLinuxOptions).map(([i, options]) => ({
    describe: `${i === undefined ? "pod" : `container[${i}]`}.seLinuxOptions=${JSON.stringify(options)}`,
    apply: (pod: Json) => {
      const target = i === undefined ? spec(pod) : pick(allContainers(pod), i);
      if (target) rec(target, "securityContext")["seLinuxOptions"] = options;
    },
  })),
  // procMount (with or without a user namespace)
  fc
    .tuple(
      index,
      fc.constantFrom("Default", "Unmasked"),
      weighted<boolean | undefined>([3, false], [1, true], [1, undefined]),
    )
    .map(([i, procMount, hostUsers]) => ({
      describe: `container[${i}].procMount=${procMount}, hostUsers=${String(hostUsers)}`,
      apply: (pod: Json) => {
        const c = pick(allContainers(pod), i);
        if (c) rec(c, "securityContext")["procMount"] = procMount;
        put(spec(pod), "hostUsers", hostUsers);
      },
    })),
  // seccomp: fields and annotations
  fc.tuple(fc.option(index, { nil: undefined }), seccompProfile).map(([i, profile]) => ({
    describe: `${i === undefined ? "pod" : `container[${i}]`}.seccompProfile=${JSON.stringify(profile)}`,
    apply: (pod: Json) => {
      const target = i === undefined ? spec(pod) : pick(allContainers(pod), i);
      if (target) put(rec(target, "securityContext"), "seccompProfile", profile);
    },
  })),
  fc.tuple(fc.option(index, { nil: undefined }), fc.constantFrom(...SECCOMP_ANNOTATION_VALUES)).map(([i, value]) => ({
    describe: `seccomp annotation on ${i === undefined ? "pod" : `container[${i}]`}=${value}`,
    apply: (pod: Json) => {
      const c = i === undefined ? undefined : pick(allContainers(pod), i);
      const key =
        c === undefined
          ? "seccomp.security.alpha.kubernetes.io/pod"
          : `container.seccomp.security.alpha.kubernetes.io/${String(c["name"])}`;
      annotations(pod)[key] = value;
    },
  })),
  // sysctls
  fc.subarray([...SYSCTLS], { minLength: 1, maxLength: 3 }).map((list) => ({
    describe: `sysctls ${list.map(([n]) => n).join(",")}`,
    apply: (pod: Json) => {
      rec(spec(pod), "securityContext")["sysctls"] = list.map(([name, value]) => ({ name, value }));
    },
  })),
  // Windows: os.name windows. Applied after the other mutations, it strips the Linux-only fields
  // validation forbids on Windows pods (unless told to leave one, which validation must refuse).
  fc.tuple(fc.boolean(), fc.boolean(), fc.nat({ max: 5 })).map(([hostProcess, podLevel, linuxField]) => ({
    describe: `windows pod${hostProcess ? `, hostProcess at ${podLevel ? "pod" : "container"} level` : ""}${linuxField === 0 ? ", with a Linux-only field left" : ""}`,
    late: true,
    apply: (pod: Json, state: BuildState) => {
      const s = spec(pod);
      s["os"] = { name: "windows" };
      delete s["hostUsers"];
      const podSc = rec(s, "securityContext");
      for (const k of [
        "seccompProfile",
        "appArmorProfile",
        "seLinuxOptions",
        "sysctls",
        "runAsUser",
        "runAsGroup",
        "fsGroup",
        "supplementalGroups",
      ])
        delete podSc[k];
      for (const c of [...allContainers(pod), ...state.ephemeral]) {
        const sc = rec(c, "securityContext");
        for (const k of [
          "seccompProfile",
          "appArmorProfile",
          "seLinuxOptions",
          "capabilities",
          "privileged",
          "allowPrivilegeEscalation",
          "procMount",
          "readOnlyRootFilesystem",
          "runAsUser",
          "runAsGroup",
        ])
          delete sc[k];
      }
      const ann = annotations(pod);
      for (const k of Object.keys(ann)) if (/apparmor|seccomp/.test(k)) delete ann[k];
      if (linuxField === 0) podSc["seccompProfile"] = { type: "RuntimeDefault" };
      if (hostProcess) {
        s["hostNetwork"] = true;
        if (podLevel) podSc["windowsOptions"] = { hostProcess: true };
        else
          for (const c of [...allContainers(pod), ...state.ephemeral])
            rec(rec(c, "securityContext"), "windowsOptions")["hostProcess"] = true;
      }
    },
  })),
  // hostProcess on a pod that does not say it is Windows (validation: every container or none,
  // with hostNetwork)
  fc.tuple(fc.boolean(), fc.boolean()).map(([v, podLevel]) => ({
    describe: `windowsOptions.hostProcess=${v} at ${podLevel ? "pod" : "container"} level (no os.name)`,
    late: true,
    apply: (pod: Json) => {
      if (podLevel) rec(rec(spec(pod), "securityContext"), "windowsOptions")["hostProcess"] = v;
      else for (const c of allContainers(pod)) rec(rec(c, "securityContext"), "windowsOptions")["hostProcess"] = v;
      if (v) spec(pod)["hostNetwork"] = true;
    },
  })),
  fc.constant({
    describe: "os.name=linux",
    apply: (pod: Json) => {
      spec(pod)["os"] = { name: "linux" };
    },
  }),
  // allowPrivilegeEscalation
  fc.tuple(index, boolOrUnset).map(([i, v]) => ({
    describe: `container[${i}].allowPrivilegeEscalation=${String(v)}`,
    apply: (pod: Json) => {
      const c = pick(allContainers(pod), i);
      if (c) put(rec(c, "securityContext"), "allowPrivilegeEscalation", v);
    },
  })),
  // runAsNonRoot / runAsUser at pod and container level
  fc.tuple(fc.option(index, { nil: undefined }), boolOrUnset).map(([i, v]) => ({
    describe: `${i === undefined ? "pod" : `container[${i}]`}.runAsNonRoot=${String(v)}`,
    apply: (pod: Json) => {
      const target = i === undefined ? spec(pod) : pick(allContainers(pod), i);
      if (target) put(rec(target, "securityContext"), "runAsNonRoot", v);
    },
  })),
  fc.tuple(fc.option(index, { nil: undefined }), uid).map(([i, v]) => ({
    describe: `${i === undefined ? "pod" : `container[${i}]`}.runAsUser=${String(v)}`,
    apply: (pod: Json) => {
      const target = i === undefined ? spec(pod) : pick(allContainers(pod), i);
      if (target) put(rec(target, "securityContext"), "runAsUser", v);
    },
  })),
  // user namespace
  boolOrUnset.map((v) => ({
    describe: `hostUsers=${String(v)}`,
    apply: (pod: Json) => put(spec(pod), "hostUsers", v),
  })),
  // whole securityContexts removed or replaced
  fc.option(index, { nil: undefined }).map((i) => ({
    describe: `${i === undefined ? "pod" : `container[${i}]`} securityContext removed`,
    apply: (pod: Json) => {
      const target = i === undefined ? spec(pod) : pick(allContainers(pod), i);
      if (target) delete target["securityContext"];
    },
  })),
  fc.tuple(index, freeSecurityContext).map(([i, sc]) => ({
    describe: `container[${i}].securityContext=${JSON.stringify(sc)}`,
    apply: (pod: Json) => {
      const c = pick(allContainers(pod), i);
      if (c) c["securityContext"] = sc;
    },
  })),
];

// ------------------------------------------------------------------ base pods

const HARDENED_CONTAINER_SC: Json = { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } };

const baseShape = fc.record({
  apps: fc.integer({ min: 1, max: 2 }),
  inits: fc.integer({ min: 0, max: 1 }),
  sidecars: fc.integer({ min: 0, max: 1 }),
  podSc: weighted<"hardened" | "none" | "empty">([6, "hardened"], [1, "none"], [1, "empty"]),
  containerSc: weighted<"hardened" | "none">([6, "hardened"], [1, "none"]),
});

export const generatedPod: fc.Arbitrary<GeneratedPod> = fc
  .tuple(baseShape, fc.array(fc.oneof(...mutations), { minLength: 0, maxLength: 5 }))
  .map(([shape, muts]) => {
    const container = (name: string, extra: Json = {}): Json => ({
      name,
      image: "registry.example/app:1",
      ...extra,
      ...(shape.containerSc === "hardened" ? { securityContext: structuredClone(HARDENED_CONTAINER_SC) } : {}),
    });
    const initContainers = [
      ...Array.from({ length: shape.inits }, (_, i) => container(`init-${i}`)),
      ...Array.from({ length: shape.sidecars }, (_, i) => container(`sidecar-${i}`, { restartPolicy: "Always" })),
    ];
    const podSpec: Json = {
      // Projected service-account tokens need a name (the ServiceAccount admission plugin, which
      // would set it, is off); the account itself need not exist.
      serviceAccountName: "default",
      containers: Array.from({ length: shape.apps }, (_, i) => container(`app-${i}`)),
      ...(initContainers.length > 0 ? { initContainers } : {}),
    };
    if (shape.podSc === "hardened")
      podSpec["securityContext"] = { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } };
    else if (shape.podSc === "empty") podSpec["securityContext"] = {};
    const pod: Json = { apiVersion: "v1", kind: "Pod", metadata: { name: "p", annotations: {} }, spec: podSpec };
    const state: BuildState = { ephemeral: [], volumes: 0 };
    for (const m of muts) if (m.late !== true) m.apply(pod, state);
    for (const m of muts) if (m.late === true) m.apply(pod, state);
    return { pod, mutations: muts.map((m) => m.describe), ephemeral: state.ephemeral };
  });

/** The hardened base: passes Restricted at v1.35. */
function hardenedBase(): Json {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "p", annotations: {} },
    spec: {
      serviceAccountName: "default",
      securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
      containers: [
        { name: "app-0", image: "registry.example/app:1", securityContext: structuredClone(HARDENED_CONTAINER_SC) },
      ],
    },
  };
}

/**
 * Deterministic pods that give every value of every pool above one turn on the hardened base
 * (random sampling may miss a rare one): each volume source, each capability added and dropped,
 * each sysctl, SELinux type, AppArmor and seccomp annotation value and profile.
 */
export function sweepPods(): GeneratedPod[] {
  const out: GeneratedPod[] = [];
  const one = (describe: string, apply: (pod: Json) => void, ephemeral: Json[] = []) => {
    const pod = hardenedBase();
    apply(pod);
    out.push({ pod, mutations: [`sweep: ${describe}`], ephemeral });
  };
  const sc = (pod: Json) => rec(allContainers(pod)[0]!, "securityContext");
  for (const [type, source] of VOLUME_SOURCES)
    one(`volume ${type}`, (pod) => (spec(pod)["volumes"] = [{ name: "vol-0", [type]: structuredClone(source) }]));
  for (const cap of CAPABILITIES_ADD) {
    one(`capabilities.add ${JSON.stringify(cap)}`, (pod) => (rec(sc(pod), "capabilities")["add"] = [cap]));
  }
  for (const cap of CAPABILITIES_DROP)
    one(`capabilities.drop ${JSON.stringify(cap)}`, (pod) => (rec(sc(pod), "capabilities")["drop"] = [cap]));
  for (const [name, value] of SYSCTLS)
    one(`sysctl ${name}`, (pod) => (rec(spec(pod), "securityContext")["sysctls"] = [{ name, value }]));
  for (const type of SELINUX_TYPES)
    for (const level of ["pod", "container"] as const)
      one(`${level} seLinuxOptions.type ${JSON.stringify(type)}`, (pod) => {
        const target = level === "pod" ? rec(spec(pod), "securityContext") : sc(pod);
        target["seLinuxOptions"] = { type };
      });
  for (const value of APPARMOR_ANNOTATION_VALUES)
    one(`apparmor annotation ${JSON.stringify(value)}`, (pod) => {
      annotations(pod)["container.apparmor.security.beta.kubernetes.io/app-0"] = value;
    });
  for (const value of SECCOMP_ANNOTATION_VALUES) {
    one(`seccomp pod annotation ${value}`, (pod) => {
      annotations(pod)["seccomp.security.alpha.kubernetes.io/pod"] = value;
      delete rec(spec(pod), "securityContext")["seccompProfile"];
    });
    one(`seccomp container annotation ${value}`, (pod) => {
      annotations(pod)["container.seccomp.security.alpha.kubernetes.io/app-0"] = value;
    });
  }
  for (const type of ["RuntimeDefault", "Localhost", "Unconfined"])
    for (const level of ["pod", "container"] as const) {
      const profile = type === "Localhost" ? { type, localhostProfile: "profiles/p.json" } : { type };
      one(`${level} seccompProfile ${type}`, (pod) => {
        (level === "pod" ? rec(spec(pod), "securityContext") : sc(pod))["seccompProfile"] = profile;
      });
      const aa = type === "Localhost" ? { type, localhostProfile: "palisade-profile" } : { type };
      one(`${level} appArmorProfile ${type}`, (pod) => {
        (level === "pod" ? rec(spec(pod), "securityContext") : sc(pod))["appArmorProfile"] = aa;
      });
    }
  for (const procMount of ["Default", "Unmasked"])
    for (const hostUsers of [true, false])
      one(`procMount ${procMount}, hostUsers ${hostUsers}`, (pod) => {
        sc(pod)["procMount"] = procMount;
        spec(pod)["hostUsers"] = hostUsers;
      });
  // The user-namespace relaxation: root in a user namespace.
  for (const hostUsers of [undefined, true, false])
    one(`runAsUser 0, runAsNonRoot false, hostUsers ${String(hostUsers)}`, (pod) => {
      put(spec(pod), "hostUsers", hostUsers);
      rec(spec(pod), "securityContext")["runAsUser"] = 0;
      rec(spec(pod), "securityContext")["runAsNonRoot"] = false;
    });
  // Ephemeral containers: hardened, bare, privileged.
  one("ephemeral hardened", () => {}, [
    { name: "debug-0", image: "registry.example/debug:1", securityContext: structuredClone(HARDENED_CONTAINER_SC) },
  ]);
  one("ephemeral bare", () => {}, [{ name: "debug-0", image: "registry.example/debug:1" }]);
  one("ephemeral privileged", () => {}, [
    { name: "debug-0", image: "registry.example/debug:1", securityContext: { privileged: true } },
  ]);
  return out;
}

/** `count` pods from a fixed seed (reproducible; PALISADE_PSA_SEED overrides). */
export function samplePods(count: number, seed: number): GeneratedPod[] {
  return fc.sample(generatedPod, { numRuns: count, seed });
}
