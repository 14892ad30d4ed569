/** The reach model's own decisions: what the differential cannot see (unknown addresses, hostNetwork, stand-ins, pruning). */
import {
  buildReachModel,
  connection,
  decide,
  describePorts,
  isEmpty,
  reachability,
  type Endpoint,
  type ReachModel,
} from "../../policypack/analysis/network";
import type { KubeObject } from "../../policypack/engine/types";
import { generateWorld } from "./netpol-generate";

const ns = (name: string, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: "v1",
  kind: "Namespace",
  metadata: { name, labels },
});
const deploy = (
  namespace: string,
  name: string,
  labels: Record<string, string>,
  extra: Record<string, unknown> = {},
): KubeObject => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name, namespace },
  spec: {
    template: {
      metadata: { labels },
      spec: {
        containers: [{ name: "c", image: "i", ports: [{ name: "http", containerPort: name === "api" ? 9000 : 8080 }] }],
        ...extra,
      },
    },
  },
});
const policy = (namespace: string, name: string, spec: Record<string, unknown>): KubeObject => ({
  apiVersion: "networking.k8s.io/v1",
  kind: "NetworkPolicy",
  metadata: { name, namespace },
  spec,
});
const get = (m: ReachModel, id: string): Endpoint => {
  const e = m.endpoints.find((x) => x.id === id);
  if (e === undefined) throw new Error(`no ${id}`);
  return e;
};

describe("addresses a manifest does not tell", () => {
  const objects = [
    ns("a"),
    deploy("a", "web", { app: "web" }),
    deploy("a", "api", { app: "api" }),
    policy("a", "api", {
      podSelector: { matchLabels: { app: "api" } },
      ingress: [{ from: [{ ipBlock: { cidr: "10.0.0.0/8", except: ["10.1.0.0/16"] } }] }],
    }),
  ];

  test("an ipBlock that could hold a pod's address allows it only maybe", () => {
    const m = buildReachModel(objects);
    expect(decide(m, get(m, "a/web"), get(m, "a/api"), 9000, "TCP").verdict).toBe("maybe");
    expect(decide(m, get(m, "internet"), get(m, "a/api"), 9000, "TCP").verdict).toBe("denied");
    expect(decide(m, get(m, "cidr:10.0.0.0/8"), get(m, "a/api"), 9000, "TCP").verdict).toBe("allowed");
    expect(decide(m, get(m, "cidr:10.1.0.0/16"), get(m, "a/api"), 9000, "TCP").verdict).toBe("denied");
  });

  test("the pod CIDR option decides it: pods outside the block, or inside the except, are denied", () => {
    for (const podCidrs of [["192.168.0.0/16"], ["10.1.0.0/16"]]) {
      const m = buildReachModel(objects, { podCidrs });
      expect(decide(m, get(m, "a/web"), get(m, "a/api"), 9000, "TCP").verdict).toBe("denied");
    }
    const m = buildReachModel(objects, { podCidrs: ["10.2.0.0/16"] });
    expect(decide(m, get(m, "a/web"), get(m, "a/api"), 9000, "TCP").verdict).toBe("maybe");
  });

  test("bad pod CIDRs are refused by name", () => {
    expect(() => buildReachModel(objects, { podCidrs: ["10.0.0.0/33"] })).toThrow(
      /podCidrs: "10.0.0.0\/33" is not a CIDR/,
    );
  });
});

test("hostNetwork pods are never isolated and no pod selector matches them", () => {
  const m = buildReachModel([
    ns("a"),
    deploy("a", "agent", { app: "agent" }, { hostNetwork: true }),
    deploy("a", "web", { app: "web" }),
    policy("a", "deny", { podSelector: {}, policyTypes: ["Ingress", "Egress"] }),
    policy("a", "web-from-all-pods", {
      podSelector: { matchLabels: { app: "web" } },
      ingress: [{ from: [{ podSelector: {} }] }],
    }),
  ]);
  const d = decide(m, get(m, "a/web"), get(m, "a/agent"), 8080, "TCP");
  expect(d.ingress).toBe("allowed"); // the agent's ingress is open
  expect(d.egress).toBe("denied"); // web's egress is not
  expect(decide(m, get(m, "a/agent"), get(m, "a/web"), 8080, "TCP")).toMatchObject({
    egress: "allowed",
    ingress: "denied",
  });
});

test("named ports resolve per destination pod", () => {
  const m = buildReachModel([
    ns("a"),
    deploy("a", "web", { app: "web" }),
    deploy("a", "api", { app: "api" }),
    policy("a", "http", { podSelector: {}, ingress: [{ ports: [{ port: "http" }] }] }),
  ]);
  expect(describePorts(connection(m, get(m, "internet"), get(m, "a/web")).sure)).toBe("TCP 8080");
  expect(describePorts(connection(m, get(m, "internet"), get(m, "a/api")).sure)).toBe("TCP 9000");
});

test("stand-in pods carry the tenant label of their namespace", () => {
  const m = buildReachModel(
    [
      ns("t1", { "palisade.dev/tenant": "t1" }),
      policy("t1", "deny", { podSelector: {}, policyTypes: ["Ingress", "Egress"] }),
      policy("t1", "same", {
        podSelector: { matchLabels: { "palisade.dev/tenant": "t1" } },
        ingress: [{ from: [{ podSelector: { matchLabels: { "palisade.dev/tenant": "t1" } } }] }],
        egress: [{ to: [{ podSelector: { matchLabels: { "palisade.dev/tenant": "t1" } } }] }],
      }),
    ],
    { standInPods: true },
  );
  expect(decide(m, get(m, "t1/(pods)"), get(m, "t1/(pods)"), 80, "TCP").verdict).toBe("allowed");
  expect(decide(m, get(m, "t1/(pods)"), get(m, "internet"), 80, "TCP").verdict).toBe("denied");
});

test("invalid policies are listed as problems and allow nothing", () => {
  const m = buildReachModel([
    ns("a"),
    deploy("a", "web", { app: "web" }),
    policy("a", "bad", {
      podSelector: {},
      ingress: [
        { from: [{ ipBlock: { cidr: "10.0.0.0/8" }, podSelector: {} }], ports: [{ port: "http", endPort: 90 }] },
      ],
    }),
  ]);
  expect(m.problems.map((p) => `${p.policy} ${p.path}: ${p.message}`)).toEqual([
    "a/bad spec.ingress[0].from[0]: ipBlock cannot be combined with a selector",
    "a/bad spec.ingress[0].ports[0].endPort: not allowed with a named port",
  ]);
  expect(isEmpty(connection(m, get(m, "internet"), get(m, "a/web")).sure)).toBe(true);
});

test("a peer or port entry that is not a mapping makes its rule allow nothing, never everything", () => {
  const m = buildReachModel([
    ns("a"),
    deploy("a", "web", { app: "web" }),
    policy("a", "odd", { podSelector: {}, ingress: [{ from: ["everyone"] }, { ports: [80] }] }),
  ]);
  expect(m.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
    "spec.ingress[0].from: every entry must be a mapping",
    "spec.ingress[1].ports: every entry must be a mapping",
  ]);
  expect(isEmpty(connection(m, get(m, "internet"), get(m, "a/web")).sure)).toBe(true);
});

test("the whole relation equals every pair decided one by one (the pruning loses nothing)", () => {
  for (let seed = 1; seed <= 60; seed++) {
    const world = generateWorld(seed, 0);
    // Odd seeds keep the pods' addresses, even ones drop them (so ipBlocks answer "maybe").
    const objects =
      seed % 2 === 1 ? world.objects : world.objects.map((o) => (o.kind === "Pod" ? { ...o, status: {} } : o));
    const m = buildReachModel(objects);
    const fast = new Map(
      reachability(m).map((c) => [`${c.src.id} ${c.dst.id}`, `${describePorts(c.sure)}|${describePorts(c.maybe)}`]),
    );
    const slow = new Map<string, string>();
    for (const s of m.endpoints)
      for (const d of m.endpoints) {
        if (s.kind === "outside" && d.kind === "outside") continue;
        if (s.kind === "pods" && s.synthetic) continue;
        const c = connection(m, s, d);
        if (!isEmpty(c.sure) || !isEmpty(c.maybe))
          slow.set(`${s.id} ${d.id}`, `${describePorts(c.sure)}|${describePorts(c.maybe)}`);
      }
    expect([...fast].sort()).toEqual([...slow].sort());
  }
});
