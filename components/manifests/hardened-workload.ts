/**
 * hardenedWorkload(args): one application as plain Kubernetes objects that pass the catalog by
 * construction: a Deployment (or StatefulSet) running under the restricted Pod Security
 * Standard and the hardened extras (non-root ids ≥ 10000, read-only root filesystem with a
 * bounded /tmp, seccomp RuntimeDefault, every capability dropped, requests and limits, probes,
 * an image pinned by digest), its own ServiceAccount without token automount, a ClusterIP
 * Service, a NetworkPolicy admitting only the declared sources on the declared ports, and a
 * PodDisruptionBudget when it runs more than one replica.
 *
 * Each default can be opted out of, one setting at a time, with a reason that lands on the
 * affected object as the engine's exemption annotations; an opt-out that weakens nothing (a
 * pinned image with allowUnpinnedImage) is an error, so exemptions never go stale unnoticed.
 */
import { isDigestPinned, parseImageReference } from "../../policypack/controls/images/image-reference";
import { credentialFinding } from "../../policypack/controls/secrets/credentials";
import { exemptionAnnotations, type ExemptionEntry } from "./exemptions";
import { INSTANCE, NAME, RESERVED_LABELS, standardLabels } from "./labels";
import { dnsEgressRule, egressRules, networkPeer, type DnsTarget } from "./network";
import { assertPassesCatalog } from "./self-check";
import type { Disabled, EgressRule, Manifest, NetworkPeer, OptOut, Protocol, Quantity } from "./types";
import {
  disabled,
  dns1035Label,
  dns1123Label,
  dns1123Subdomain,
  envName,
  fail,
  integer,
  isDisabled,
  keyPath,
  knownKeys,
  labelMap,
  labelValue,
  mountPath,
  nonBlank,
  optOut,
  port,
  portName,
  protocol,
  quantity,
  requireString,
} from "./validate";

const ARGS = "HardenedWorkloadArgs";

/** A port the container listens on. */
export interface ContainerPortArgs {
  /** Port the container listens on (1024-65535: unprivileged, so no capability is needed). */
  readonly port: number;
  /**
   * Name of the port (IANA service name), used by the Service and the probes.
   * @default - "<protocol>-<port>", e.g. "tcp-8080"
   */
  readonly name?: string;
  /**
   * Port the Service exposes (may be privileged, e.g. 80).
   * @default - the container port
   */
  readonly servicePort?: number;
  /**
   * Protocol.
   * @default "TCP"
   */
  readonly protocol?: Protocol;
}

/** Request and limit of one resource. */
export interface ResourceArgs {
  /**
   * What the scheduler reserves.
   * @default - see the resource
   */
  readonly request?: Quantity;
  /**
   * The most the container may use, or `{ disabled: true, reason }` for no limit.
   * @default - see the resource
   */
  readonly limit?: Quantity | Disabled;
}

/** Container resources. */
export interface WorkloadResources {
  /**
   * CPU.
   * @default { request: "100m", limit: "500m" }
   */
  readonly cpu?: ResourceArgs;
  /**
   * Memory.
   * @default { request: "128Mi", limit: "256Mi" }
   */
  readonly memory?: ResourceArgs;
  /**
   * Ephemeral storage (writable layer, logs, emptyDir).
   * @default { request: "64Mi", limit: "512Mi" }
   */
  readonly ephemeralStorage?: ResourceArgs;
}

/** A probe: exactly one of httpGet, tcpSocket, grpc or exec, with optional timings. */
export interface ProbeArgs {
  /**
   * HTTP GET on a path and port (a number or a declared port's name).
   * @default - not an HTTP probe
   */
  readonly httpGet?: { readonly path: string; readonly port: number | string; readonly scheme?: "HTTP" | "HTTPS" };
  /**
   * TCP connect to a port.
   * @default - not a TCP probe
   */
  readonly tcpSocket?: { readonly port: number | string };
  /**
   * gRPC health check on a port.
   * @default - not a gRPC probe
   */
  readonly grpc?: { readonly port: number; readonly service?: string };
  /**
   * A command run in the container.
   * @default - not an exec probe
   */
  readonly exec?: { readonly command: readonly string[] };
  /**
   * Seconds before the first probe.
   * @default - Kubernetes' default (0)
   */
  readonly initialDelaySeconds?: number;
  /**
   * Seconds between probes.
   * @default - Kubernetes' default (10)
   */
  readonly periodSeconds?: number;
  /**
   * Seconds before a probe times out.
   * @default - Kubernetes' default (1)
   */
  readonly timeoutSeconds?: number;
  /**
   * Consecutive failures before the probe fails.
   * @default - Kubernetes' default (3)
   */
  readonly failureThreshold?: number;
}

/** The container's probes. */
export interface ProbesArgs {
  /**
   * Restarts a container that stopped answering, or `{ disabled: true, reason }`.
   * @default - tcpSocket on the first declared port (an error when no port is declared)
   */
  readonly liveness?: ProbeArgs | Disabled;
  /**
   * Keeps traffic away until the container answers, or `{ disabled: true, reason }`.
   * @default - tcpSocket on the first declared port (an error when no port is declared)
   */
  readonly readiness?: ProbeArgs | Disabled;
  /**
   * Holds the other probes off while a slow container starts.
   * @default - none
   */
  readonly startup?: ProbeArgs;
}

/** User and group ids the container runs as. */
export interface RunAsArgs {
  /**
   * User id (at least 10000 unless allowLowIds).
   * @default 10001
   */
  readonly user?: number;
  /**
   * Primary group id (at least 10000 unless allowLowIds).
   * @default 10001
   */
  readonly group?: number;
  /**
   * Group that owns the mounted volumes.
   * @default - the group id
   */
  readonly fsGroup?: number;
}

/** A volume mounted into the container: exactly one of configMap, secret, emptyDir, persistentVolumeClaim. */
export interface VolumeArgs {
  /** Name of the volume (a DNS-1123 label; `tmp` is the component's). */
  readonly name: string;
  /** Where the container sees it (absolute path). */
  readonly mountPath: string;
  /**
   * A ConfigMap of the namespace, mounted read-only.
   * @default - not a ConfigMap volume
   */
  readonly configMap?: string;
  /**
   * A Secret of the namespace, mounted read-only as files readable by the pod's group
   * (never as environment variables).
   * @default - not a Secret volume
   */
  readonly secret?: string;
  /**
   * Writable scratch space, bounded.
   * @default - not an emptyDir volume
   */
  readonly emptyDir?: { readonly sizeLimit: Quantity; readonly medium?: "Memory" };
  /**
   * A PersistentVolumeClaim of the namespace.
   * @default - not a claim
   */
  readonly persistentVolumeClaim?: string;
  /**
   * Mount read-only (configMap and secret volumes always are).
   * @default - true for configMap and secret, false otherwise
   */
  readonly readOnly?: boolean;
}

/** A per-replica volume of a StatefulSet (volumeClaimTemplates). */
export interface VolumeClaimArgs {
  /** Name of the claim template (a DNS-1123 label). */
  readonly name: string;
  /** Where the container sees it. */
  readonly mountPath: string;
  /** Requested size, e.g. "10Gi". */
  readonly size: Quantity;
  /**
   * StorageClass.
   * @default - the cluster's default class
   */
  readonly storageClassName?: string;
}

/** PodDisruptionBudget settings (one of maxUnavailable or minAvailable). */
export interface DisruptionBudgetArgs {
  /**
   * Pods that may be down during voluntary disruptions (a number or a percentage).
   * @default 1
   */
  readonly maxUnavailable?: number | string;
  /**
   * Pods that must stay up instead (excludes maxUnavailable).
   * @default - maxUnavailable is used
   */
  readonly minAvailable?: number | string;
}

/** Arguments of hardenedWorkload / HardenedWorkload. */
export interface HardenedWorkloadArgs {
  /** Name of the workload, its Service, ServiceAccount and NetworkPolicy (a DNS-1035 label). */
  readonly name: string;
  /** Namespace to run in (not default nor a kube- system namespace). */
  readonly namespace: string;
  /** Container image, pinned by digest (`registry/app:1.2.3@sha256:<64 hex>`). */
  readonly image: string;
  /**
   * Run an image that is not pinned by digest (it still needs a version tag, and is pulled Always).
   * @default - an unpinned image is an error
   */
  readonly allowUnpinnedImage?: OptOut;
  /**
   * Controller kind.
   * @default "Deployment"
   */
  readonly kind?: "Deployment" | "StatefulSet";
  /**
   * Number of pods.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Tenant (the SecureNamespace's): labels the pods `palisade.dev/tenant`, which opts them in to
   * the namespace's DNS egress and shared allowances.
   * @default - no tenant label: the pods get only this component's NetworkPolicy
   */
  readonly tenant?: string;
  /**
   * `app.kubernetes.io/part-of`.
   * @default - the tenant, else the name
   */
  readonly partOf?: string;
  /**
   * `app.kubernetes.io/version`.
   * @default - no version label
   */
  readonly version?: string;
  /**
   * Extra labels on every object and the pods.
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Entrypoint.
   * @default - the image's
   */
  readonly command?: readonly string[];
  /**
   * Arguments.
   * @default - the image's
   */
  readonly args?: readonly string[];
  /**
   * Environment variables (plain values; credentials go in `volumes` as Secret files).
   * @default - none
   */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Ports the container listens on, exposed by a ClusterIP Service.
   * @default - none: no Service, no ingress
   */
  readonly ports?: readonly ContainerPortArgs[];
  /**
   * Sources admitted on every declared port.
   * @default - none: only the namespace's own allowances apply
   */
  readonly ingressFrom?: readonly NetworkPeer[];
  /**
   * Destinations the pods may reach.
   * @default - none
   */
  readonly egress?: readonly EgressRule[];
  /**
   * DNS egress in the workload's own NetworkPolicy (for namespaces without SecureNamespace's).
   * @default false
   */
  readonly dnsEgress?: boolean | DnsTarget;
  /**
   * Leave the cloud metadata endpoint reachable by the `egress` blocks that cover it.
   * @default - metadata addresses are excluded from every egress block
   */
  readonly allowCloudMetadata?: OptOut;
  /**
   * Requests and limits.
   * @default - see WorkloadResources
   */
  readonly resources?: WorkloadResources;
  /**
   * Liveness, readiness and startup probes.
   * @default - tcpSocket liveness and readiness on the first port
   */
  readonly probes?: ProbesArgs;
  /**
   * User and group ids.
   * @default - user, group and fsGroup 10001
   */
  readonly runAs?: RunAsArgs;
  /**
   * Allow ids below 10000 (which may coincide with host accounts).
   * @default - ids below 10000 are an error
   */
  readonly allowLowIds?: OptOut;
  /**
   * Run in a user namespace (`hostUsers: false`; needs node support).
   * @default false
   */
  readonly userNamespace?: boolean;
  /**
   * Seccomp profile: RuntimeDefault or a Localhost profile.
   * @default "RuntimeDefault"
   */
  readonly seccompProfile?: "RuntimeDefault" | { readonly localhostProfile: string };
  /**
   * RuntimeClass (a sandbox such as gVisor or Kata).
   * @default - the cluster's default runtime
   */
  readonly runtimeClassName?: string;
  /**
   * `{ disabled: true, reason }` makes the root filesystem writable.
   * @default - read-only root filesystem
   */
  readonly readOnlyRootFilesystem?: Disabled;
  /**
   * The writable /tmp: an emptyDir with a size limit, or `false` for none.
   * @default { sizeLimit: "64Mi" }
   */
  readonly tmpVolume?: { readonly sizeLimit?: Quantity; readonly medium?: "Memory" } | false;
  /**
   * Volumes to mount.
   * @default - none
   */
  readonly volumes?: readonly VolumeArgs[];
  /**
   * Per-replica claims (StatefulSet only).
   * @default - none
   */
  readonly volumeClaims?: readonly VolumeClaimArgs[];
  /**
   * Name of the dedicated ServiceAccount the component declares.
   * @default - the workload name
   */
  readonly serviceAccountName?: string;
  /**
   * Mount the ServiceAccount token (for workloads that call the Kubernetes API).
   * @default - no token is mounted
   */
  readonly mountServiceAccountToken?: OptOut;
  /**
   * `false` skips the Service.
   * @default - a ClusterIP Service when ports are declared
   */
  readonly service?: boolean;
  /**
   * The PodDisruptionBudget, or `false` for none.
   * @default - maxUnavailable 1 when replicas > 1, none otherwise
   */
  readonly podDisruptionBudget?: DisruptionBudgetArgs | false;
}

export const DEFAULT_ID = 10001;
const MIN_ID = 10000;
export const DEFAULT_RESOURCES = {
  cpu: { request: "100m", limit: "500m" },
  memory: { request: "128Mi", limit: "256Mi" },
  ephemeralStorage: { request: "64Mi", limit: "512Mi" },
} as const;
export const DEFAULT_TMP_SIZE = "64Mi";

/** Every argument, once: `satisfies` keeps the list and the interface in step. */
const ARG_KEYS = Object.keys({
  name: true,
  namespace: true,
  image: true,
  allowUnpinnedImage: true,
  kind: true,
  replicas: true,
  tenant: true,
  partOf: true,
  version: true,
  labels: true,
  command: true,
  args: true,
  env: true,
  ports: true,
  ingressFrom: true,
  egress: true,
  dnsEgress: true,
  allowCloudMetadata: true,
  resources: true,
  probes: true,
  runAs: true,
  allowLowIds: true,
  userNamespace: true,
  seccompProfile: true,
  runtimeClassName: true,
  readOnlyRootFilesystem: true,
  tmpVolume: true,
  volumes: true,
  volumeClaims: true,
  serviceAccountName: true,
  mountServiceAccountToken: true,
  service: true,
  podDisruptionBudget: true,
} satisfies Record<keyof HardenedWorkloadArgs, true>);

const RESERVED_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"];
const RESOURCE_KEYS = { cpu: "cpu", memory: "memory", ephemeralStorage: "ephemeral-storage" } as const;
const LIMIT_CONTROLS: Readonly<Record<keyof typeof RESOURCE_KEYS, string>> = {
  cpu: "container-cpu-limit",
  memory: "container-memory-limit",
  ephemeralStorage: "pod-ephemeral-storage-bounded",
};

interface PortSpec {
  readonly name: string;
  readonly port: number;
  readonly servicePort: number;
  readonly protocol: Protocol;
}

type Json = Record<string, unknown>;

function ports(value: readonly ContainerPortArgs[] | undefined): PortSpec[] {
  if (value === undefined) return [];
  const at = `${ARGS}.ports`;
  if (!Array.isArray(value)) fail(at, "expected a list of ports");
  const out: PortSpec[] = [];
  value.forEach((p, i) => {
    const where = `${at}[${i}]`;
    const v = knownKeys(p, where, ["port", "name", "servicePort", "protocol"]) as unknown as ContainerPortArgs;
    const number = port(v.port, `${where}.port`);
    // Binding below 1024 needs NET_BIND_SERVICE (network-privileged-ports); the Service can still expose 80.
    if (number < 1024)
      fail(`${where}.port`, `${number} is a privileged port: listen on 1024 or above and set servicePort: ${number}`);
    const proto = protocol(v.protocol ?? "TCP", `${where}.protocol`);
    const name = portName(v.name ?? `${proto.toLowerCase()}-${number}`, `${where}.name`);
    const servicePort = port(v.servicePort ?? number, `${where}.servicePort`);
    for (const [j, q] of out.entries()) {
      if (q.name === name) fail(`${where}.name`, `${name} is also the name of ports[${j}]`);
      if (q.port === number && q.protocol === proto) fail(`${where}.port`, `${number}/${proto} is also ports[${j}]`);
      if (q.servicePort === servicePort && q.protocol === proto)
        fail(`${where}.servicePort`, `${servicePort}/${proto} is also the service port of ports[${j}]`);
    }
    out.push({ name, port: number, servicePort, protocol: proto });
  });
  return out;
}

function resources(value: WorkloadResources | undefined, exemptions: ExemptionEntry[]): Json {
  const at = `${ARGS}.resources`;
  const v = knownKeys(value ?? {}, at, ["cpu", "memory", "ephemeralStorage"]) as WorkloadResources;
  const requests: Record<string, string> = {};
  const limits: Record<string, string> = {};
  for (const key of ["cpu", "memory", "ephemeralStorage"] as const) {
    const where = `${at}.${key}`;
    const r = knownKeys(v[key] ?? {}, where, ["request", "limit"]) as ResourceArgs;
    const request = quantity(r.request ?? DEFAULT_RESOURCES[key].request, `${where}.request`);
    if (request.value === 0) fail(`${where}.request`, "is zero: the scheduler would reserve nothing");
    requests[RESOURCE_KEYS[key]] = request.text;
    if (isDisabled(r.limit)) {
      exemptions.push({
        setting: `resources.${key}.limit`,
        controls: [LIMIT_CONTROLS[key]],
        optOut: disabled(r.limit, `${where}.limit`),
      });
      continue;
    }
    const limit = quantity(r.limit ?? DEFAULT_RESOURCES[key].limit, `${where}.limit`);
    if (limit.value === 0)
      fail(`${where}.limit`, "is zero, which bounds nothing: leave it out or disable it with a reason");
    if (limit.value < request.value) fail(`${where}.limit`, `${limit.text} is below the request ${request.text}`);
    limits[RESOURCE_KEYS[key]] = limit.text;
  }
  const out: Json = { requests };
  if (Object.keys(limits).length > 0) out["limits"] = limits;
  return out;
}

function probePort(value: unknown, at: string, declared: readonly PortSpec[]): number | string {
  if (typeof value === "string") {
    const name = portName(value, at);
    if (!declared.some((p) => p.name === name)) fail(at, `${name} is not the name of a declared port`);
    return name;
  }
  return port(value, at);
}

function probe(value: ProbeArgs, at: string, declared: readonly PortSpec[]): Json {
  const v = knownKeys(value, at, [
    "httpGet",
    "tcpSocket",
    "grpc",
    "exec",
    "initialDelaySeconds",
    "periodSeconds",
    "timeoutSeconds",
    "failureThreshold",
  ]) as ProbeArgs;
  const handlers = (["httpGet", "tcpSocket", "grpc", "exec"] as const).filter((h) => v[h] !== undefined);
  if (handlers.length !== 1)
    fail(
      at,
      `set exactly one of httpGet, tcpSocket, grpc or exec (found ${handlers.length === 0 ? "none" : handlers.join(", ")})`,
    );
  const out: Json = {};
  // No `host` field anywhere: a probe to another host is a kubelet-originated request (pod-host-probes).
  if (v.httpGet !== undefined) {
    const h = knownKeys(v.httpGet, `${at}.httpGet`, ["path", "port", "scheme"]);
    const path = requireString(h["path"], `${at}.httpGet.path`);
    if (!path.startsWith("/")) fail(`${at}.httpGet.path`, `${JSON.stringify(path)} must start with /`);
    const get: Json = { path, port: probePort(h["port"], `${at}.httpGet.port`, declared) };
    if (h["scheme"] !== undefined) {
      if (h["scheme"] !== "HTTP" && h["scheme"] !== "HTTPS") fail(`${at}.httpGet.scheme`, "must be HTTP or HTTPS");
      get["scheme"] = h["scheme"];
    }
    out["httpGet"] = get;
  } else if (v.tcpSocket !== undefined) {
    const t = knownKeys(v.tcpSocket, `${at}.tcpSocket`, ["port"]);
    out["tcpSocket"] = { port: probePort(t["port"], `${at}.tcpSocket.port`, declared) };
  } else if (v.grpc !== undefined) {
    const g = knownKeys(v.grpc, `${at}.grpc`, ["port", "service"]);
    const grpc: Json = { port: port(g["port"], `${at}.grpc.port`) };
    if (g["service"] !== undefined) grpc["service"] = requireString(g["service"], `${at}.grpc.service`);
    out["grpc"] = grpc;
  } else if (v.exec !== undefined) {
    const e = knownKeys(v.exec, `${at}.exec`, ["command"]);
    const command = e["command"];
    if (!Array.isArray(command) || command.length === 0)
      fail(`${at}.exec.command`, "must list the command and its arguments");
    out["exec"] = { command: command.map((c, i) => requireString(c, `${at}.exec.command[${i}]`)) };
  }
  const timing: readonly [keyof ProbeArgs, number, number][] = [
    ["initialDelaySeconds", 0, 3600],
    ["periodSeconds", 1, 3600],
    ["timeoutSeconds", 1, 3600],
    ["failureThreshold", 1, 100],
  ];
  for (const [key, min, max] of timing) {
    if (v[key] !== undefined) out[key] = integer(v[key], `${at}.${key}`, min, max, "a count of seconds or tries");
  }
  return out;
}

function probes(value: ProbesArgs | undefined, declared: readonly PortSpec[], exemptions: ExemptionEntry[]): Json {
  const at = `${ARGS}.probes`;
  const v = knownKeys(value ?? {}, at, ["liveness", "readiness", "startup"]) as ProbesArgs;
  const out: Json = {};
  const disabledProbes: { setting: string; optOut: OptOut }[] = [];
  for (const [key, field] of [
    ["liveness", "livenessProbe"],
    ["readiness", "readinessProbe"],
  ] as const) {
    const where = `${at}.${key}`;
    const given = v[key];
    if (isDisabled(given)) {
      disabledProbes.push({ setting: `probes.${key}`, optOut: disabled(given, where) });
      continue;
    }
    if (given !== undefined) {
      out[field] = probe(given, where, declared);
      continue;
    }
    const first = declared.find((p) => p.protocol === "TCP");
    if (first === undefined)
      fail(
        where,
        "no TCP port is declared to probe: give an httpGet, grpc or exec probe, or { disabled: true, reason }",
      );
    out[field] = { tcpSocket: { port: first.name } };
  }
  if (v.startup !== undefined) out["startupProbe"] = probe(v.startup, `${at}.startup`, declared);
  for (const d of disabledProbes)
    exemptions.push({ setting: d.setting, controls: ["container-probes"], optOut: d.optOut });
  return out;
}

function runAs(
  value: RunAsArgs | undefined,
  low: OptOut | undefined,
): { user: number; group: number; fsGroup: number } {
  const at = `${ARGS}.runAs`;
  const v = knownKeys(value ?? {}, at, ["user", "group", "fsGroup"]) as RunAsArgs;
  const ids = {
    user: integer(v.user ?? DEFAULT_ID, `${at}.user`, 1, 2147483647, "a non-root id"),
    group: integer(v.group ?? DEFAULT_ID, `${at}.group`, 1, 2147483647, "a non-root id"),
    fsGroup: integer(v.fsGroup ?? v.group ?? DEFAULT_ID, `${at}.fsGroup`, 1, 2147483647, "a non-root id"),
  };
  const lowIds = (["user", "group"] as const).filter((k) => ids[k] < MIN_ID);
  if (low === undefined) {
    for (const k of lowIds)
      fail(
        `${at}.${k}`,
        `${ids[k]} is below ${MIN_ID} and may coincide with a host account (pod-high-uid-gid): use ${DEFAULT_ID} or opt out with allowLowIds`,
      );
  } else if (lowIds.length === 0) {
    fail(`${ARGS}.allowLowIds`, `no id is below ${MIN_ID}: remove the opt-out`);
  }
  return ids;
}

interface Volumes {
  readonly volumes: Json[];
  readonly mounts: Json[];
}

function volumes(
  value: readonly VolumeArgs[] | undefined,
  tmp: HardenedWorkloadArgs["tmpVolume"],
  claims: readonly VolumeClaimArgs[],
): Volumes {
  const out: Volumes = { volumes: [], mounts: [] };
  const paths = new Map<string, string>();
  const names = new Map<string, string>();
  const take = (name: string, path: string, nameAt: string, pathAt: string): void => {
    if (names.has(name)) fail(nameAt, `${name} is also the name of ${names.get(name)}`);
    if (paths.has(path)) fail(pathAt, `${path} is also the mount path of ${paths.get(path)}`);
    names.set(name, nameAt);
    paths.set(path, pathAt);
  };
  if (tmp !== false) {
    const at = `${ARGS}.tmpVolume`;
    const t = knownKeys(tmp ?? {}, at, ["sizeLimit", "medium"]) as { sizeLimit?: Quantity; medium?: "Memory" };
    const size = quantity(t.sizeLimit ?? DEFAULT_TMP_SIZE, `${at}.sizeLimit`);
    if (size.value === 0) fail(`${at}.sizeLimit`, "is zero: use tmpVolume: false for no /tmp");
    const emptyDir: Json = { sizeLimit: size.text };
    if (t.medium !== undefined) {
      if (t.medium !== "Memory")
        fail(`${at}.medium`, `${JSON.stringify(t.medium)} must be "Memory" (or left out for disk)`);
      emptyDir["medium"] = "Memory";
    }
    take("tmp", "/tmp", at, at);
    out.volumes.push({ name: "tmp", emptyDir });
    out.mounts.push({ name: "tmp", mountPath: "/tmp" });
  }
  const list = value ?? [];
  if (!Array.isArray(list)) fail(`${ARGS}.volumes`, "expected a list of volumes");
  list.forEach((raw, i) => {
    const at = `${ARGS}.volumes[${i}]`;
    const v = knownKeys(raw, at, [
      "name",
      "mountPath",
      "configMap",
      "secret",
      "emptyDir",
      "persistentVolumeClaim",
      "readOnly",
    ]) as unknown as VolumeArgs;
    const name = dns1123Label(v.name, `${at}.name`);
    const path = mountPath(v.mountPath, `${at}.mountPath`);
    take(name, path, `${at}.name`, `${at}.mountPath`);
    const sources = (["configMap", "secret", "emptyDir", "persistentVolumeClaim"] as const).filter(
      (s) => v[s] !== undefined,
    );
    if (sources.length !== 1)
      fail(
        at,
        `set exactly one of configMap, secret, emptyDir or persistentVolumeClaim (found ${sources.length === 0 ? "none" : sources.join(", ")})`,
      );
    if (v.readOnly !== undefined && typeof v.readOnly !== "boolean") fail(`${at}.readOnly`, "expected a boolean");
    let readOnly = v.readOnly ?? false;
    if (v.configMap !== undefined) {
      if (v.readOnly === false) fail(`${at}.readOnly`, "ConfigMap volumes are always read-only");
      readOnly = true;
      out.volumes.push({ name, configMap: { name: dns1123Subdomain(v.configMap, `${at}.configMap`) } });
    } else if (v.secret !== undefined) {
      if (v.readOnly === false) fail(`${at}.readOnly`, "Secret volumes are always read-only");
      readOnly = true;
      // 0440: readable by the pod's fsGroup (the files are root-owned), by nobody else.
      out.volumes.push({
        name,
        secret: { secretName: dns1123Subdomain(v.secret, `${at}.secret`), defaultMode: 0o440 },
      });
    } else if (v.emptyDir !== undefined) {
      const e = knownKeys(v.emptyDir, `${at}.emptyDir`, ["sizeLimit", "medium"]) as {
        sizeLimit?: Quantity;
        medium?: string;
      };
      if (e.sizeLimit === undefined)
        fail(`${at}.emptyDir.sizeLimit`, "is required: an unbounded emptyDir can fill the node");
      const size = quantity(e.sizeLimit, `${at}.emptyDir.sizeLimit`);
      if (size.value === 0) fail(`${at}.emptyDir.sizeLimit`, "is zero");
      const emptyDir: Json = { sizeLimit: size.text };
      if (e.medium !== undefined) {
        if (e.medium !== "Memory")
          fail(`${at}.emptyDir.medium`, `${JSON.stringify(e.medium)} must be "Memory" (or left out for disk)`);
        emptyDir["medium"] = "Memory";
      }
      out.volumes.push({ name, emptyDir });
    } else {
      out.volumes.push({
        name,
        persistentVolumeClaim: {
          claimName: dns1123Subdomain(v.persistentVolumeClaim, `${at}.persistentVolumeClaim`),
          ...(readOnly ? { readOnly: true } : {}),
        },
      });
    }
    out.mounts.push({ name, mountPath: path, ...(readOnly ? { readOnly: true } : {}) });
  });
  claims.forEach((c, i) => {
    const at = `${ARGS}.volumeClaims[${i}]`;
    take(c.name, c.mountPath, `${at}.name`, `${at}.mountPath`);
    out.mounts.push({ name: c.name, mountPath: c.mountPath });
  });
  return out;
}

function volumeClaims(
  value: readonly VolumeClaimArgs[] | undefined,
  kind: string,
  labels: Record<string, string>,
): { claims: VolumeClaimArgs[]; templates: Json[] } {
  const at = `${ARGS}.volumeClaims`;
  if (value === undefined) return { claims: [], templates: [] };
  if (!Array.isArray(value)) fail(at, "expected a list of claims");
  if (value.length > 0 && kind !== "StatefulSet")
    fail(at, 'per-replica claims need kind: "StatefulSet" (a Deployment\'s replicas would share one claim)');
  const claims: VolumeClaimArgs[] = [];
  const templates = value.map((raw, i) => {
    const where = `${at}[${i}]`;
    const c = knownKeys(raw, where, ["name", "mountPath", "size", "storageClassName"]) as unknown as VolumeClaimArgs;
    const name = dns1123Label(c.name, `${where}.name`);
    const path = mountPath(c.mountPath, `${where}.mountPath`);
    const size = quantity(c.size, `${where}.size`);
    if (size.value === 0) fail(`${where}.size`, "is zero");
    claims.push({ name, mountPath: path, size: size.text });
    const spec: Json = { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: size.text } } };
    if (c.storageClassName !== undefined)
      spec["storageClassName"] = dns1123Subdomain(c.storageClassName, `${where}.storageClassName`);
    return { metadata: { name, labels }, spec };
  });
  return { claims, templates };
}

function image(value: unknown, allow: OptOut | undefined): { image: string; pinned: boolean } {
  const at = `${ARGS}.image`;
  const text = requireString(value, at);
  const ref = parseImageReference(text);
  if (ref === undefined)
    fail(at, `${JSON.stringify(text)} is not an image reference (registry/repository[:tag][@sha256:digest])`);
  if (ref.registry.toLowerCase() === "k8s.gcr.io") fail(at, "k8s.gcr.io is frozen: pull from registry.k8s.io");
  const pinned = isDigestPinned(ref);
  if (pinned) {
    if (allow !== undefined) fail(`${ARGS}.allowUnpinnedImage`, "the image is pinned by digest: remove the opt-out");
    return { image: text, pinned };
  }
  if (ref.digest !== undefined)
    fail(at, `${JSON.stringify(text)} has a digest that is not sha256 with 64 lower-case hex digits`);
  if (allow === undefined)
    fail(
      at,
      `${JSON.stringify(text)} is not pinned by digest: append @sha256:<digest> (or opt out with allowUnpinnedImage)`,
    );
  if (ref.tag === undefined || ref.tag === "latest")
    fail(
      at,
      `${JSON.stringify(text)} ${ref.tag === undefined ? "has no tag" : "uses latest"}: even unpinned, name a version tag`,
    );
  return { image: text, pinned };
}

/**
 * Builds the objects of a hardened workload. Throws an ArgumentError naming the argument when an
 * argument is invalid, and when the output would fail the catalog's single-object controls.
 */
export function hardenedWorkload(args: HardenedWorkloadArgs): Manifest[] {
  const a = knownKeys(args, ARGS, ARG_KEYS) as unknown as HardenedWorkloadArgs;
  const name = dns1035Label(a.name, `${ARGS}.name`);
  const namespace = dns1123Label(a.namespace, `${ARGS}.namespace`);
  if (RESERVED_NAMESPACES.includes(namespace) || namespace.startsWith("kube-"))
    fail(`${ARGS}.namespace`, `${namespace} is a system namespace: run tenants' workloads in their own namespace`);
  const kind = a.kind ?? "Deployment";
  if (kind !== "Deployment" && kind !== "StatefulSet")
    fail(`${ARGS}.kind`, `${JSON.stringify(kind)} must be Deployment or StatefulSet`);
  const replicas = integer(a.replicas ?? 2, `${ARGS}.replicas`, 0, 1000, "a replica count");
  const workloadExemptions: ExemptionEntry[] = [];

  const unpinned =
    a.allowUnpinnedImage === undefined ? undefined : optOut(a.allowUnpinnedImage, `${ARGS}.allowUnpinnedImage`);
  const img = image(a.image, unpinned);
  if (unpinned !== undefined)
    workloadExemptions.push({ setting: "allowUnpinnedImage", controls: ["image-digest-pinned"], optOut: unpinned });

  // Labels: the selector is name + instance (immutable once deployed), the rest describe.
  const tenant = a.tenant === undefined ? undefined : labelValue(a.tenant, `${ARGS}.tenant`);
  if (tenant === "") fail(`${ARGS}.tenant`, "must not be empty");
  const partOf = labelValue(a.partOf ?? tenant ?? name, `${ARGS}.partOf`);
  const version = a.version === undefined ? undefined : labelValue(a.version, `${ARGS}.version`);
  const userLabels = a.labels === undefined ? {} : labelMap(a.labels, `${ARGS}.labels`);
  for (const key of Object.keys(userLabels))
    if (RESERVED_LABELS.includes(key)) fail(keyPath(`${ARGS}.labels`, key), `${key} is set by the component`);
  const selectorLabels = { [NAME]: name, [INSTANCE]: name };
  const labels = (component: string): Record<string, string> => ({
    ...userLabels,
    ...standardLabels({
      name,
      instance: name,
      partOf,
      component,
      ...(version !== undefined ? { version } : {}),
      ...(tenant !== undefined ? { tenant } : {}),
    }),
  });
  const meta = (component: string, annotations?: Record<string, string>): Manifest["metadata"] => {
    const m: Manifest["metadata"] = { name, namespace, labels: labels(component) };
    if (annotations !== undefined && Object.keys(annotations).length > 0) m.annotations = annotations;
    return m;
  };

  const declaredPorts = ports(a.ports);
  const ingressFrom = a.ingressFrom ?? [];
  if (!Array.isArray(ingressFrom)) fail(`${ARGS}.ingressFrom`, "expected a list of peers");
  if (ingressFrom.length > 0 && declaredPorts.length === 0)
    fail(`${ARGS}.ingressFrom`, "admits sources but no port is declared: declare the ports they may reach");

  // Container.
  const container: Json = { name, image: img.image, imagePullPolicy: img.pinned ? "IfNotPresent" : "Always" };
  if (a.command !== undefined) container["command"] = commandList(a.command, `${ARGS}.command`);
  if (a.args !== undefined) container["args"] = commandList(a.args, `${ARGS}.args`);
  if (a.env !== undefined) {
    const env = knownKeys(a.env, `${ARGS}.env`, Object.keys(a.env));
    container["env"] = Object.entries(env).map(([k, value]) => {
      const where = keyPath(`${ARGS}.env`, k);
      envName(k, where);
      const text = requireString(value, where);
      // The catalog's plaintext-credentials heuristic, run here so the error names the variable.
      const credential = credentialFinding(k, text);
      if (credential !== undefined)
        fail(where, `${credential}: mount it from a Secret with volumes: [{ secret }] instead`);
      return { name: k, value: text };
    });
  }
  if (declaredPorts.length > 0)
    container["ports"] = declaredPorts.map((p) => ({ name: p.name, containerPort: p.port, protocol: p.protocol }));
  container["resources"] = resources(a.resources, workloadExemptions);
  Object.assign(container, probes(a.probes, declaredPorts, workloadExemptions));

  const lowIds = a.allowLowIds === undefined ? undefined : optOut(a.allowLowIds, `${ARGS}.allowLowIds`);
  const ids = runAs(a.runAs, lowIds);
  if (lowIds !== undefined)
    workloadExemptions.push({ setting: "allowLowIds", controls: ["pod-high-uid-gid"], optOut: lowIds });
  const seccomp = seccompProfile(a.seccompProfile);
  let readOnlyRoot = true;
  if (a.readOnlyRootFilesystem !== undefined) {
    const off = disabled(a.readOnlyRootFilesystem, `${ARGS}.readOnlyRootFilesystem`);
    readOnlyRoot = false;
    workloadExemptions.push({
      setting: "readOnlyRootFilesystem",
      controls: ["pod-read-only-root-filesystem"],
      optOut: off,
    });
  }
  container["securityContext"] = {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ["ALL"] },
    privileged: false,
    readOnlyRootFilesystem: readOnlyRoot,
    runAsNonRoot: true,
    runAsUser: ids.user,
    runAsGroup: ids.group,
    seccompProfile: seccomp,
  };

  const { claims, templates } = volumeClaims(a.volumeClaims, kind, labels("storage"));
  const vols = volumes(a.volumes, a.tmpVolume, claims);
  if (vols.mounts.length > 0) container["volumeMounts"] = vols.mounts;

  // Pod.
  const serviceAccountName = dns1123Subdomain(a.serviceAccountName ?? name, `${ARGS}.serviceAccountName`);
  if (serviceAccountName === "default")
    fail(`${ARGS}.serviceAccountName`, "default is shared by every pod that names none: use a dedicated one");
  let automount = false;
  if (a.mountServiceAccountToken !== undefined) {
    const why = optOut(a.mountServiceAccountToken, `${ARGS}.mountServiceAccountToken`);
    automount = true;
    workloadExemptions.push({ setting: "mountServiceAccountToken", controls: ["sa-token-automount"], optOut: why });
  }
  if (a.userNamespace !== undefined && typeof a.userNamespace !== "boolean")
    fail(`${ARGS}.userNamespace`, "expected a boolean");
  const podSpec: Json = {
    serviceAccountName,
    automountServiceAccountToken: automount,
    // Service links inject every Service of the namespace as environment variables: noise, and a leak.
    enableServiceLinks: false,
    securityContext: {
      runAsNonRoot: true,
      runAsUser: ids.user,
      runAsGroup: ids.group,
      fsGroup: ids.fsGroup,
      seccompProfile: seccomp,
    },
    containers: [container],
  };
  if (a.userNamespace === true) podSpec["hostUsers"] = false;
  if (a.runtimeClassName !== undefined)
    podSpec["runtimeClassName"] = dns1123Subdomain(a.runtimeClassName, `${ARGS}.runtimeClassName`);
  if (vols.volumes.length > 0) podSpec["volumes"] = vols.volumes;

  const template = { metadata: { labels: labels("workload") }, spec: podSpec };
  const workloadSpec: Json = { replicas, selector: { matchLabels: selectorLabels }, template };
  const makeService = a.service ?? true;
  if (typeof makeService !== "boolean") fail(`${ARGS}.service`, "expected a boolean");
  const hasService = makeService && declaredPorts.length > 0;
  if (kind === "StatefulSet") {
    // Required before Kubernetes 1.32 even without a Service: it names the governing Service.
    workloadSpec["serviceName"] = name;
    if (templates.length > 0) workloadSpec["volumeClaimTemplates"] = templates;
  }
  const workload: Manifest = {
    apiVersion: "apps/v1",
    kind,
    metadata: meta("workload", exemptionAnnotations(workloadExemptions)),
    spec: workloadSpec,
  };

  const out: Manifest[] = [
    {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { ...meta("service-account"), name: serviceAccountName },
      automountServiceAccountToken: false,
    },
    workload,
  ];
  if (hasService) {
    out.push({
      apiVersion: "v1",
      kind: "Service",
      metadata: meta("service"),
      spec: {
        type: "ClusterIP",
        selector: selectorLabels,
        ports: declaredPorts.map((p) => ({
          name: p.name,
          port: p.servicePort,
          targetPort: p.name,
          protocol: p.protocol,
        })),
      },
    });
  }
  out.push(networkPolicy(a, namespace, selectorLabels, declaredPorts, meta));
  const pdb = disruptionBudget(a.podDisruptionBudget, replicas);
  if (pdb !== undefined) {
    out.push({
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: meta("disruption-budget"),
      spec: { ...pdb, selector: { matchLabels: selectorLabels } },
    });
  }
  assertPassesCatalog(out, ARGS, "resource");
  return out;
}

function commandList(value: readonly string[], at: string): string[] {
  if (!Array.isArray(value)) fail(at, "expected a list of strings");
  return value.map((c, i) => requireString(c, `${at}[${i}]`));
}

function seccompProfile(value: HardenedWorkloadArgs["seccompProfile"]): Json {
  const at = `${ARGS}.seccompProfile`;
  if (value === undefined || value === "RuntimeDefault") return { type: "RuntimeDefault" };
  const v = knownKeys(value, at, ["localhostProfile"]);
  const profile = nonBlank(v["localhostProfile"], `${at}.localhostProfile`);
  if (profile.startsWith("/") || profile.split("/").includes(".."))
    fail(`${at}.localhostProfile`, "must be a path relative to the kubelet's seccomp directory");
  return { type: "Localhost", localhostProfile: profile };
}

function networkPolicy(
  a: HardenedWorkloadArgs,
  namespace: string,
  selector: Record<string, string>,
  declared: readonly PortSpec[],
  meta: (component: string, annotations?: Record<string, string>) => Manifest["metadata"],
): Manifest {
  const metadataOptOut =
    a.allowCloudMetadata === undefined ? undefined : optOut(a.allowCloudMetadata, `${ARGS}.allowCloudMetadata`);
  const ctx = { namespace, allowCloudMetadata: metadataOptOut !== undefined };
  const spec: Json = { podSelector: { matchLabels: selector }, policyTypes: ["Ingress", "Egress"] };
  const sources = (a.ingressFrom ?? []).map((p, i) => networkPeer(p, `${ARGS}.ingressFrom[${i}]`, "ingress", ctx).peer);
  if (sources.length > 0) {
    spec["ingress"] = [{ from: sources, ports: declared.map((p) => ({ protocol: p.protocol, port: p.port })) }];
  }
  const egress = egressRules(a.egress, `${ARGS}.egress`, ctx);
  if (metadataOptOut !== undefined && !egress.reachesMetadata)
    fail(`${ARGS}.allowCloudMetadata`, "no egress block covers a cloud metadata address: remove the opt-out");
  const dns = a.dnsEgress ?? false;
  if (typeof dns !== "boolean" && (typeof dns !== "object" || dns === null))
    fail(`${ARGS}.dnsEgress`, `expected true, false or { namespace, podLabels }, found ${JSON.stringify(dns)}`);
  const egressRulesJson = [
    ...(dns !== false ? [dnsEgressRule(dns === true ? undefined : dns, `${ARGS}.dnsEgress`)] : []),
    ...egress.rules,
  ];
  if (egressRulesJson.length > 0) spec["egress"] = egressRulesJson;
  const annotations =
    metadataOptOut !== undefined
      ? exemptionAnnotations([
          { setting: "allowCloudMetadata", controls: ["network-metadata-egress"], optOut: metadataOptOut },
        ])
      : undefined;
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: meta("network-policy", annotations),
    spec,
  };
}

const INT_OR_PERCENT = /^(100|[1-9]?[0-9])%$/;

function budgetValue(value: unknown, at: string, replicas: number): number | string {
  if (typeof value === "string") {
    if (!INT_OR_PERCENT.test(value)) fail(at, `${JSON.stringify(value)} is not a count or a percentage (0%-100%)`);
    return value;
  }
  return integer(value, at, 0, replicas, `a pod count within replicas`);
}

function disruptionBudget(value: HardenedWorkloadArgs["podDisruptionBudget"], replicas: number): Json | undefined {
  const at = `${ARGS}.podDisruptionBudget`;
  if (value === false) return undefined;
  if (value === undefined) return replicas > 1 ? { maxUnavailable: 1 } : undefined;
  const v = knownKeys(value, at, ["maxUnavailable", "minAvailable"]) as DisruptionBudgetArgs;
  // A budget on one replica blocks every node drain: maxUnavailable 0 in effect.
  if (replicas <= 1)
    fail(
      at,
      `a budget on ${replicas} replica${replicas === 1 ? "" : "s"} would block node drains: run 2 or more replicas, or leave it out`,
    );
  if (v.maxUnavailable !== undefined && v.minAvailable !== undefined)
    fail(at, "set maxUnavailable or minAvailable, not both");
  if (v.minAvailable !== undefined) {
    const min = budgetValue(v.minAvailable, `${at}.minAvailable`, replicas);
    if (min === replicas || min === "100%")
      fail(`${at}.minAvailable`, "keeps every replica up, which blocks node drains");
    return { minAvailable: min };
  }
  const max = budgetValue(v.maxUnavailable ?? 1, `${at}.maxUnavailable`, replicas);
  if (max === 0 || max === "0%") fail(`${at}.maxUnavailable`, "0 blocks node drains");
  return { maxUnavailable: max };
}
