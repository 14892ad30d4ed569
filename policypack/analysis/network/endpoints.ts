/**
 * The endpoints of the reach analysis: one pod group per workload of the set (its namespace,
 * template labels, named container ports, hostNetwork), the namespaces with the labels they end
 * up with (plus `kubernetes.io/metadata.name`, which the API server sets), and the outside: the
 * internet, each CIDR the policies mention, the cloud metadata address, and the cluster DNS
 * (a stand-in pod group when the set does not hold it).
 *
 * Pod addresses are not in manifests. A pod group's `addresses` are known only for a Pod whose
 * status carries them (manifests exported from a cluster, or the differential test); otherwise
 * an ipBlock matches the group only "maybe", when it could hold an address of the cluster CIDRs.
 */
import { arr, dig, isRecord, num, str } from "../../engine/access";
import type { StackIndex, WorkloadEntry } from "../../engine/stack";
import type { KubeObject } from "../../engine/types";
import { parseAddress, parseCidr, type Address, type Cidr } from "../../controls/network/cidr";
import { labelsOf } from "../../controls/network/selectors";
import { mergedLabels } from "../../controls/namespace/namespaces";
import { addressOutside, formatAddress, internetAddress, METADATA_ADDRESS, within } from "./addresses";
import type { CompiledPolicy } from "./policies";
import { isProtocol, type Protocol } from "./ports";

export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

export interface ContainerPort {
  readonly name?: string;
  readonly port: number;
  readonly protocol: Protocol;
}

export interface NamespaceInfo {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** False for a namespace only referred to (its labels other than the name are unknown). */
  readonly declared: boolean;
}

export interface PodEndpoint {
  readonly kind: "pods";
  /** `namespace/name`, or `namespace/Kind/name` when two workloads of a namespace share a name. */
  readonly id: string;
  readonly namespace: string;
  readonly name: string;
  readonly workloadKind: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly ports: readonly ContainerPort[];
  readonly hostNetwork: boolean;
  /** Known pod addresses (a Pod's status.podIPs); empty when unknown. */
  readonly addresses: readonly Address[];
  /** True for stand-ins (the cluster DNS, a namespace's pods), which the set does not declare. */
  readonly synthetic: boolean;
  /** The workload the group comes from (undefined for stand-ins). */
  readonly object?: KubeObject;
}

export type OutsideClass = "internet" | "cidr" | "metadata" | "address";

export interface OutsideEndpoint {
  readonly kind: "outside";
  /** `internet`, `internet6`, `metadata`, `cidr:10.0.0.0/8`, or the address itself. */
  readonly id: string;
  readonly class: OutsideClass;
  /** For `cidr`: the CIDR whose addresses (outside every narrower mentioned CIDR) it stands for. */
  readonly cidr?: string;
  /** One address that stands for the whole endpoint: every mentioned CIDR holds all or none of it. */
  readonly address: Address;
}

export type Endpoint = PodEndpoint | OutsideEndpoint;

export interface EndpointOptions {
  /** Add the cluster DNS stand-in (kube-system, k8s-app=kube-dns) when the set has none. @default true */
  readonly clusterDns?: boolean;
  /** Add the outside endpoints. @default true */
  readonly outside?: boolean;
  /**
   * Add one stand-in pod group to every declared namespace that holds no workload, labelled as
   * a HardenedWorkload of the namespace's tenant would be (`palisade.dev/tenant`), so a set of
   * namespaces alone (the stacks/ baseline) still shows what their tenants' pods could reach.
   * @default false
   */
  readonly standInPods?: boolean;
}

export const TENANT_LABEL = "palisade.dev/tenant";

export const CLUSTER_DNS_NAMESPACE = "kube-system";
export const CLUSTER_DNS_LABELS: Readonly<Record<string, string>> = { "k8s-app": "kube-dns" };

/** Container ports of the pod's long-running containers (regular, and init containers that are sidecars). */
function containerPorts(entry: WorkloadEntry): ContainerPort[] {
  const out: ContainerPort[] = [];
  for (const c of entry.pod.containers) {
    if (c.type === "ephemeralContainers") continue;
    if (c.type === "initContainers" && c.container["restartPolicy"] !== "Always") continue;
    for (const p of arr(c.container["ports"])) {
      if (!isRecord(p)) continue;
      const port = num(p["containerPort"]);
      const protocol = p["protocol"] ?? "TCP";
      if (port === undefined || !Number.isInteger(port) || !isProtocol(protocol)) continue;
      const name = str(p["name"]);
      out.push(name === undefined || name === "" ? { port, protocol } : { name, port, protocol });
    }
  }
  return out;
}

function podAddresses(entry: WorkloadEntry): Address[] {
  if (entry.object.kind !== "Pod") return [];
  const texts = [
    ...arr(dig(entry.object, "status", "podIPs")).map((p) => str(dig(p, "ip"))),
    str(dig(entry.object, "status", "podIP")),
  ];
  const out: Address[] = [];
  for (const t of texts) {
    const a = t === undefined ? undefined : parseAddress(t);
    if (a !== undefined && !out.some((o) => o.family === a.family && o.value === a.value)) out.push(a);
  }
  return out;
}

/** The namespaces of the set: declared ones and those workloads and policies live in. */
export function namespacesOf(stack: StackIndex, policies: readonly CompiledPolicy[]): Map<string, NamespaceInfo> {
  const out = new Map<string, NamespaceInfo>();
  for (const [name, documents] of stack.namespaceDocuments) {
    const labels: Record<string, string> = {};
    for (const [k, v] of Object.entries(mergedLabels(stack, documents))) if (typeof v === "string") labels[k] = v;
    labels[NAMESPACE_NAME_LABEL] = name;
    out.set(name, { name, labels, declared: stack.namespaces.has(name) });
  }
  const refer = (name: string): void => {
    if (!out.has(name)) out.set(name, { name, labels: { [NAMESPACE_NAME_LABEL]: name }, declared: false });
  };
  for (const w of stack.workloads) refer(w.namespace);
  for (const p of policies) refer(p.namespace);
  return out;
}

/** One pod group per workload that is not a patch, in input order. */
export function podEndpoints(stack: StackIndex): PodEndpoint[] {
  const entries = stack.workloads.filter((w) => !stack.isPatch(w.object));
  const nameOf = (w: WorkloadEntry): string => str(w.object.metadata?.name) ?? "(unnamed)";
  const count = new Map<string, number>();
  for (const w of entries) {
    const k = `${w.namespace}/${nameOf(w)}`;
    count.set(k, (count.get(k) ?? 0) + 1);
  }
  return entries.map((w) => {
    const name = nameOf(w);
    const kind = String(w.object.kind);
    const short = `${w.namespace}/${name}`;
    return {
      kind: "pods",
      id: (count.get(short) ?? 0) > 1 ? `${w.namespace}/${kind}/${name}` : short,
      namespace: w.namespace,
      name,
      workloadKind: kind,
      labels: labelsOf(w.pod.metadata),
      ports: containerPorts(w),
      hostNetwork: w.pod.spec["hostNetwork"] === true,
      addresses: podAddresses(w),
      synthetic: false,
      object: w.object,
    };
  });
}

export function clusterDnsEndpoint(): PodEndpoint {
  return {
    kind: "pods",
    id: `${CLUSTER_DNS_NAMESPACE}/kube-dns`,
    namespace: CLUSTER_DNS_NAMESPACE,
    name: "kube-dns",
    workloadKind: "Deployment",
    labels: CLUSTER_DNS_LABELS,
    ports: [
      { name: "dns", port: 53, protocol: "UDP" },
      { name: "dns-tcp", port: 53, protocol: "TCP" },
      { name: "metrics", port: 9153, protocol: "TCP" },
    ],
    hostNetwork: false,
    addresses: [],
    synthetic: true,
  };
}

/** A stand-in pod group for a namespace with no workloads: a tenant pod (see EndpointOptions.standInPods). */
export function standInPodEndpoint(namespace: NamespaceInfo): PodEndpoint {
  const tenant = namespace.labels[TENANT_LABEL];
  return {
    kind: "pods",
    id: `${namespace.name}/(pods)`,
    namespace: namespace.name,
    name: "(pods)",
    workloadKind: "Pod",
    labels: tenant === undefined ? {} : { [TENANT_LABEL]: tenant },
    ports: [],
    hostNetwork: false,
    addresses: [],
    synthetic: true,
  };
}

export function isClusterDns(e: PodEndpoint): boolean {
  return (
    e.namespace === CLUSTER_DNS_NAMESPACE && Object.entries(CLUSTER_DNS_LABELS).every(([k, v]) => e.labels[k] === v)
  );
}

/** The CIDRs the policies mention (ipBlock cidr and except), deduplicated by network. */
export function mentionedCidrs(policies: readonly CompiledPolicy[]): Cidr[] {
  const seen = new Map<string, Cidr>();
  for (const p of policies)
    for (const d of ["Ingress", "Egress"] as const)
      for (const r of p.rules[d]) {
        if (r.peers === "all") continue;
        for (const peer of r.peers) {
          if (peer.kind !== "ipBlock") continue;
          for (const c of [peer.cidr, ...peer.except]) {
            const key = `${c.family}/${c.network}/${c.prefix}`;
            if (!seen.has(key)) seen.set(key, c);
          }
        }
      }
  return [...seen.values()];
}

function canonical(c: Cidr): string {
  return `${formatAddress({ family: c.family, value: c.network })}/${c.prefix}`;
}

/**
 * The outside endpoints: the internet (IPv4, and IPv6 when an IPv6 CIDR is mentioned), the
 * metadata address, and one endpoint per mentioned CIDR standing for its addresses outside every
 * narrower mentioned CIDR (skipped when those cover it, or when it covers a whole family).
 */
export function outsideEndpoints(mentioned: readonly Cidr[]): OutsideEndpoint[] {
  const out: OutsideEndpoint[] = [];
  const v4 = internetAddress(4, mentioned);
  if (v4 !== undefined) out.push({ kind: "outside", id: "internet", class: "internet", address: v4 });
  if (mentioned.some((c) => c.family === 6)) {
    const v6 = internetAddress(6, mentioned);
    if (v6 !== undefined) out.push({ kind: "outside", id: "internet6", class: "internet", address: v6 });
  }
  const metadata = parseAddress(METADATA_ADDRESS) as Address;
  out.push({ kind: "outside", id: "metadata", class: "metadata", address: metadata });
  const sorted = [...mentioned].sort(
    (a, b) => a.family - b.family || a.prefix - b.prefix || Number(a.network - b.network),
  );
  for (const c of sorted) {
    if (c.prefix === 0) continue;
    const narrower = mentioned.filter((o) => o !== c && within(o, c) && o.prefix > c.prefix);
    const address = addressOutside(c, narrower);
    if (address === undefined) continue;
    const text = canonical(c);
    if (text === `${METADATA_ADDRESS}/32`) continue;
    out.push({ kind: "outside", id: `cidr:${text}`, class: "cidr", cidr: text, address });
  }
  return out;
}

/** An outside endpoint for one address given on the command line (`--explain web 8.8.8.8:53`). */
export function addressEndpoint(text: string): OutsideEndpoint | undefined {
  const address = parseAddress(text);
  if (address === undefined) return undefined;
  return { kind: "outside", id: formatAddress(address), class: "address", address };
}

/** Parses the cluster CIDRs option; the texts that are not CIDRs are returned as errors. */
export function parseClusterCidrs(texts: readonly string[]): { cidrs: Cidr[]; errors: string[] } {
  const cidrs: Cidr[] = [];
  const errors: string[] = [];
  for (const t of texts) {
    const c = parseCidr(t);
    if (c === undefined) errors.push(`${JSON.stringify(t)} is not a CIDR`);
    else cidrs.push(c);
  }
  return { cidrs, errors };
}
