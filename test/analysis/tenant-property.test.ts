/**
 * Tenant sets built with the components (secureNamespace, hardenedWorkload): `reach` reports
 * exactly the relations the arguments declare, and tenant-network-isolation finds nothing,
 * since the components name every peer namespace by its immutable label.
 */
import {
  hardenedWorkload,
  secureNamespace,
  type EgressRule,
  type IngressRule,
  type NetworkPeer,
} from "../../components/manifests";
import { buildReachModel, decide, type Endpoint } from "../../policypack/analysis/network";
import { networkTenantIsolation } from "../../policypack/controls/network/tenant-network-isolation";
import { evaluate } from "../../policypack/engine/evaluate";
import type { KubeObject } from "../../policypack/engine/types";
import { rng, type Rng } from "./netpol-generate";

const IMAGE = `ghcr.io/acme/app:1.0.0@sha256:${"0123456789abcdef".repeat(4)}`;
const NAME = "app.kubernetes.io/name";
const PROBE_PORTS = [80, 5432, 8080, 9090];

interface Workload {
  readonly namespace: string;
  readonly name: string;
  readonly ports: number[];
  readonly ingressFrom: NetworkPeer[];
  readonly egress: EgressRule[];
}
interface Tenant {
  readonly name: string;
  readonly allowSameNamespace: boolean;
  readonly ingress: IngressRule[];
}

const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

function generate(seed: number): { tenants: Tenant[]; workloads: Workload[] } {
  const r = rng(seed);
  const tenants: Tenant[] = Array.from({ length: 2 + Math.floor(r() * 3) }, (_, i) => ({
    name: `t${i}`,
    allowSameNamespace: r() < 0.5,
    ingress: [],
  }));
  const workloads: Workload[] = tenants.flatMap((t) =>
    Array.from({ length: 1 + Math.floor(r() * 3) }, (_, j) => ({
      namespace: t.name,
      name: `${t.name}-w${j}`,
      ports: r() < 0.5 ? [8080] : [8080, 9090],
      ingressFrom: [],
      egress: [],
    })),
  );
  const peer = (w: Workload): NetworkPeer => ({ namespace: w.namespace, podLabels: { [NAME]: w.name } });
  for (const w of workloads) {
    for (let k = Math.floor(r() * 3); k > 0; k--) w.ingressFrom.push(peer(pick(r, workloads)));
    for (let k = Math.floor(r() * 3); k > 0; k--) {
      const to = pick(r, workloads);
      w.egress.push(
        r() < 0.3 ? { to: [peer(to)] } : { to: [peer(to)], ports: [{ port: pick(r, [8080, 9090, 5432]) }] },
      );
    }
  }
  for (const t of tenants)
    if (r() < 0.5) t.ingress.push({ from: [peer(pick(r, workloads))], ports: [{ port: pick(r, [8080, 9090]) }] });
  return { tenants, workloads };
}

function build(tenants: readonly Tenant[], workloads: readonly Workload[]): KubeObject[] {
  return [
    ...tenants.flatMap((t) =>
      secureNamespace({
        name: t.name,
        tenant: t.name,
        allowSameNamespace: t.allowSameNamespace,
        ...(t.ingress.length > 0 ? { ingress: t.ingress } : {}),
      }),
    ),
    ...workloads.flatMap((w) =>
      hardenedWorkload({
        name: w.name,
        namespace: w.namespace,
        tenant: w.namespace,
        image: IMAGE,
        ports: w.ports.map((port) => ({ port })),
        ...(w.ingressFrom.length > 0 ? { ingressFrom: w.ingressFrom } : {}),
        ...(w.egress.length > 0 ? { egress: w.egress } : {}),
      }),
    ),
  ];
}

/** The relation the arguments declare, read from the arguments alone. */
function declared(tenants: readonly Tenant[], src: Workload, dst: Workload, port: number): boolean {
  const is = (p: NetworkPeer, w: Workload): boolean => p.namespace === w.namespace && p.podLabels?.[NAME] === w.name;
  const same = src.namespace === dst.namespace && tenants.find((t) => t.name === src.namespace)!.allowSameNamespace;
  const egress =
    same ||
    src.egress.some(
      (e) => e.to.some((p) => is(p, dst)) && (e.ports === undefined || e.ports.some((p) => p.port === port)),
    );
  const tenantIngress = tenants.find((t) => t.name === dst.namespace)!.ingress;
  const ingress =
    same ||
    (dst.ingressFrom.some((p) => is(p, src)) && dst.ports.includes(port)) ||
    tenantIngress.some((i) => i.from.some((p) => is(p, src)) && i.ports!.some((p) => p.port === port));
  return egress && ingress;
}

const tally = { allowed: 0, denied: 0 };
afterAll(() => {
  // Both answers must be common, or the property says little.
  expect(tally.allowed).toBeGreaterThan(100);
  expect(tally.denied).toBeGreaterThan(100);
});

test.each(Array.from({ length: 40 }, (_, i) => 700 + i))(
  "seed %i: reach reports the declared relations and nothing more",
  (seed) => {
    const { tenants, workloads } = generate(seed);
    const objects = build(tenants, workloads);
    const model = buildReachModel(objects);
    const endpoint = (w: Workload): Endpoint => model.endpoints.find((e) => e.id === `${w.namespace}/${w.name}`)!;
    const wrong: string[] = [];
    for (const src of workloads)
      for (const dst of workloads)
        for (const port of PROBE_PORTS) {
          const want = declared(tenants, src, dst, port);
          const got = decide(model, endpoint(src), endpoint(dst), port, "TCP").verdict;
          tally[want ? "allowed" : "denied"]++;
          if (got !== (want ? "allowed" : "denied"))
            wrong.push(`${src.name} → ${dst.name}:${port} reach=${got} declared=${want}`);
        }
    expect(wrong).toEqual([]);
    const findings = evaluate(objects, { controls: [networkTenantIsolation], level: "hardened" }).findings;
    expect(findings.map((f) => f.message)).toEqual([]);
  },
);
