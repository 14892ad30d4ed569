/**
 * Generated NetworkPolicy worlds for the differential test: namespaces, pods (labels, named
 * container ports whose numbers differ per pod, a hostNetwork pod now and then, addresses),
 * policies (empty and absent selectors, matchExpressions, both selectors in one peer, ipBlock
 * with except, named ports, endPort, protocols, defaulted policyTypes) and queries. Seeded, so a
 * failure names the seed that reproduces it.
 *
 * One deliberate restriction: `NotIn` is used only on label keys every object carries. cyclonus's
 * matcher treats `NotIn` on an absent key as no match, while Kubernetes' label selectors match
 * (k8s.io/apimachinery labels.Requirement.Matches); the scenario fixtures cover that case.
 */
import type { KubeObject } from "../../policypack/engine/types";
import type { OracleInput, OracleQuery } from "./netpol-oracle";

export type Rng = () => number;

/** mulberry32: small, fast, good enough to spread test cases. */
export function rng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
const chance = (r: Rng, p: number): boolean => r() < p;
function some<T>(r: Rng, xs: readonly T[], max: number): T[] {
  const n = xs.length === 0 ? 0 : Math.floor(r() * (max + 1));
  const out: T[] = [];
  for (let i = 0; i < n; i++) {
    const x = pick(r, xs);
    if (!out.includes(x)) out.push(x);
  }
  return out;
}

const NAMESPACES = ["x", "y", "z", "w"];
const POD_NAMES = ["a", "b", "c"];
const APPS = ["web", "db", "api"];
const EXTERNAL_IPS = ["8.8.8.8", "1.1.1.1", "10.255.0.1", "169.254.169.254", "192.168.5.5", "8.8.4.4"];
const PORTS = [53, 80, 81, 443, 7777, 8080, 9090, 8500];
const PROTOCOLS = ["TCP", "UDP", "SCTP"] as const;

/** CIDRs a policy may name, and the narrower ones an except may take out of each. */
const BLOCKS: Readonly<Record<string, readonly string[]>> = {
  "10.0.0.0/8": ["10.1.0.0/16", "10.2.0.0/16", "10.1.1.0/24", "10.255.0.0/16"],
  "10.1.0.0/16": ["10.1.1.0/24", "10.1.2.0/24", "10.1.1.1/32"],
  "0.0.0.0/0": ["10.0.0.0/8", "169.254.169.254/32", "192.168.0.0/16", "8.8.8.8/32"],
  "8.8.0.0/16": ["8.8.8.0/24", "8.8.4.4/32"],
  "192.168.0.0/16": ["192.168.5.0/24"],
  "169.254.0.0/16": ["169.254.169.254/32"],
  "10.2.0.0/15": ["10.3.0.0/16"],
  "1.1.1.1/32": [],
};

function podSelector(r: Rng): Record<string, unknown> {
  if (chance(r, 0.25)) return {};
  const out: Record<string, unknown> = {};
  if (chance(r, 0.6)) out["matchLabels"] = chance(r, 0.8) ? { app: pick(r, APPS) } : { tier: pick(r, ["fe", "be"]) };
  if (chance(r, 0.5)) {
    out["matchExpressions"] = some(r, [0, 1, 2, 3, 4], 2).map((k) => {
      switch (k) {
        case 0:
          return { key: "app", operator: "In", values: some(r, APPS, 2).concat(pick(r, APPS)) };
        case 1:
          return { key: "app", operator: "NotIn", values: [pick(r, APPS)] };
        case 2:
          return { key: "tier", operator: "Exists" };
        case 3:
          return { key: "role", operator: "DoesNotExist" };
        default:
          return { key: "tier", operator: "In", values: ["fe"] };
      }
    });
  }
  return out;
}

function namespaceSelector(r: Rng): Record<string, unknown> {
  if (chance(r, 0.25)) return {};
  switch (Math.floor(r() * 5)) {
    case 0:
      return { matchLabels: { "kubernetes.io/metadata.name": pick(r, NAMESPACES) } };
    case 1:
      return { matchLabels: { team: pick(r, ["a", "b"]) } };
    case 2:
      return { matchExpressions: [{ key: "team", operator: "NotIn", values: [pick(r, ["a", "b"])] }] };
    case 3:
      return { matchExpressions: [{ key: "env", operator: chance(r, 0.5) ? "Exists" : "DoesNotExist" }] };
    default:
      return {
        matchExpressions: [
          { key: "kubernetes.io/metadata.name", operator: "In", values: some(r, NAMESPACES, 2).concat("x") },
        ],
      };
  }
}

function peer(r: Rng): Record<string, unknown> {
  const k = r();
  if (k < 0.3) return { podSelector: podSelector(r) };
  if (k < 0.5) return { namespaceSelector: namespaceSelector(r) };
  if (k < 0.75) return { namespaceSelector: namespaceSelector(r), podSelector: podSelector(r) };
  const cidr = pick(r, Object.keys(BLOCKS));
  const except = some(r, BLOCKS[cidr] ?? [], 2);
  return { ipBlock: except.length > 0 || chance(r, 0.5) ? { cidr, except } : { cidr } };
}

function port(r: Rng): Record<string, unknown> {
  return pick(r, [
    { port: 80 },
    { port: "http" },
    { port: "http", protocol: "UDP" },
    { port: 50, endPort: 100 },
    { protocol: "UDP", port: 53 },
    { protocol: "UDP" },
    { port: "dns", protocol: "UDP" },
    { port: 8000, endPort: 9000 },
    { protocol: "SCTP", port: 7777 },
    { port: "metrics" },
    { protocol: "TCP", port: 443 },
    { port: 7777, endPort: 7777, protocol: "SCTP" },
  ]);
}

function rule(r: Rng, peersField: "from" | "to"): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const p = r();
  if (p < 0.15) out[peersField] = [];
  else if (p > 0.3) out[peersField] = Array.from({ length: 1 + Math.floor(r() * 2) }, () => peer(r));
  const q = r();
  if (q < 0.1) out["ports"] = [];
  else if (q > 0.35) out["ports"] = Array.from({ length: 1 + Math.floor(r() * 2) }, () => port(r));
  return out;
}

export interface World {
  readonly seed: number;
  readonly objects: KubeObject[];
  readonly oracle: OracleInput;
}

export function generateWorld(seed: number, queryCount: number): World {
  const r = rng(seed);
  const namespaces = NAMESPACES.slice(0, 2 + Math.floor(r() * 3)).map((name) => {
    const labels: Record<string, string> = { team: pick(r, ["a", "b"]) };
    if (chance(r, 0.5)) labels["env"] = pick(r, ["prod", "dev"]);
    return { name, labels };
  });
  const pods: OracleInput["pods"][number][] = [];
  namespaces.forEach((ns, i) => {
    POD_NAMES.slice(0, 1 + Math.floor(r() * 3)).forEach((name, j) => {
      const labels: Record<string, string> = { app: pick(r, APPS) };
      if (chance(r, 0.5)) labels["tier"] = pick(r, ["fe", "be"]);
      if (chance(r, 0.3)) labels["role"] = "x";
      const hostNetwork = chance(r, 0.08);
      const ports = [
        ...(chance(r, 0.7) ? [{ name: "http", port: pick(r, [80, 8080, 81]), protocol: "TCP" }] : []),
        ...(chance(r, 0.4) ? [{ name: "dns", port: 53, protocol: "UDP" }] : []),
        ...(chance(r, 0.4) ? [{ name: "metrics", port: 9090, protocol: "TCP" }] : []),
        ...(chance(r, 0.2) ? [{ name: "sctp", port: 7777, protocol: "SCTP" }] : []),
      ];
      pods.push({
        namespace: ns.name,
        name,
        labels,
        ip: hostNetwork ? `192.168.0.${10 + i * 4 + j}` : `10.${1 + i}.${1 + j}.1`,
        hostNetwork,
        ports,
      });
    });
  });
  const policies = Array.from({ length: 1 + Math.floor(r() * 7) }, (_, i) => {
    const spec: Record<string, unknown> = { podSelector: podSelector(r) };
    const types = pick(r, [undefined, ["Ingress"], ["Egress"], ["Ingress", "Egress"]]);
    if (types !== undefined) spec["policyTypes"] = types;
    if (chance(r, 0.7)) spec["ingress"] = Array.from({ length: Math.floor(r() * 3) }, () => rule(r, "from"));
    if (chance(r, 0.7)) spec["egress"] = Array.from({ length: Math.floor(r() * 3) }, () => rule(r, "to"));
    return {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: `p${i}`, namespace: pick(r, namespaces).name },
      spec,
    };
  });
  const peers: OracleQuery["src"][] = [
    ...pods.map((p) => ({ pod: `${p.namespace}/${p.name}` })),
    ...EXTERNAL_IPS.map((ip) => ({ ip })),
  ];
  const queries: OracleQuery[] = [];
  while (queries.length < queryCount) {
    const src = pick(r, peers);
    const dst = pick(r, peers);
    if (src.ip !== undefined && dst.ip !== undefined) continue;
    queries.push({ src, dst, port: pick(r, PORTS), protocol: pick(r, PROTOCOLS) });
  }
  const objects: KubeObject[] = [
    ...namespaces.map((n) => ({ apiVersion: "v1", kind: "Namespace", metadata: { name: n.name, labels: n.labels } })),
    ...pods.map((p) => ({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: p.name, namespace: p.namespace, labels: p.labels },
      spec: {
        hostNetwork: p.hostNetwork,
        containers: [
          {
            name: "main",
            image: "registry.example/app:1",
            ports: p.ports.map((q) => ({ name: q.name, containerPort: q.port, protocol: q.protocol })),
          },
        ],
      },
      status: { podIP: p.ip },
    })),
    ...(policies as KubeObject[]),
  ];
  return { seed, objects, oracle: { namespaces, pods, policies, queries } };
}
