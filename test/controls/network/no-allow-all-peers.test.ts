import { networkNoAllowAllPeers } from "../../../policypack/controls/network/no-allow-all-peers";
import { runControl } from "../../helpers/objects";
import { networkPolicy } from "../namespace/stack-run";

const ingress = (from: unknown, extra: Record<string, unknown> = {}) =>
  networkPolicy("web", "shop", {
    podSelector: { matchLabels: { app: "web" } },
    ingress: [from === undefined ? { ports: [{ port: 80 }] } : { from }],
    ...extra,
  });
const paths = (o: ReturnType<typeof ingress>, config?: Record<string, unknown>) =>
  runControl(networkNoAllowAllPeers, o, config ? { config } : {}).map((v) => v.path);

describe("network-no-allow-all-peers", () => {
  it.each<[string, unknown, string[]]>([
    ["named pods", [{ podSelector: { matchLabels: { app: "frontend" } } }], []],
    ["named namespace", [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "a" } } }], []],
    ["podSelector {} alone is the own namespace", [{ podSelector: {} }], []],
    [
      "namespaceSelector {} with named pods",
      [{ namespaceSelector: {}, podSelector: { matchLabels: { app: "prom" } } }],
      [],
    ],
    ["narrow ipBlock", [{ ipBlock: { cidr: "203.0.113.0/24" } }], []],
    ["0.0.0.0/0 with except", [{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8"] } }], []],
    ["no from", undefined, ["spec.ingress[0]"]],
    ["empty from", [], ["spec.ingress[0]"]],
    ["empty peer", [{}], ["spec.ingress[0].from[0]"]],
    ["namespaceSelector {}", [{ namespaceSelector: {} }], ["spec.ingress[0].from[0].namespaceSelector"]],
    [
      "namespaceSelector {} with podSelector {}",
      [{ namespaceSelector: {}, podSelector: {} }],
      ["spec.ingress[0].from[0].namespaceSelector"],
    ],
    ["0.0.0.0/0", [{ ipBlock: { cidr: "0.0.0.0/0" } }], ["spec.ingress[0].from[0].ipBlock.cidr"]],
    ["::/0", [{ ipBlock: { cidr: "::/0", except: [] } }], ["spec.ingress[0].from[0].ipBlock.cidr"]],
    ["::ffff:0:0/96", [{ ipBlock: { cidr: "::ffff:0:0/96" } }], ["spec.ingress[0].from[0].ipBlock.cidr"]],
    ["0.0.0.0/1 is not /0", [{ ipBlock: { cidr: "0.0.0.0/1" } }], []],
  ])("%s", (_n, from, expected) => expect(paths(ingress(from))).toEqual(expected));

  it("checks egress rules when the policy governs Egress", () => {
    const p = networkPolicy("web", "shop", { podSelector: {}, egress: [{ ports: [{ port: 443 }] }, { to: [{}] }] });
    expect(paths(p)).toEqual(["spec.egress[0]", "spec.egress[1].to[0]"]);
    expect(paths({ ...p, spec: { ...(p["spec"] as object), policyTypes: ["Ingress"] } })).toEqual([]);
  });

  it("allowlists policies by namespace/name pattern", () => {
    const p = ingress(undefined);
    expect(paths(p, { allowedPolicies: ["shop/w?b"] })).toEqual([]);
    expect(paths(p, { allowedPolicies: ["other/*", "shop/api"] })).toEqual(["spec.ingress[0]"]);
  });

  it("says what the rule allows", () => {
    const [v] = runControl(networkNoAllowAllPeers, ingress([]));
    expect(v?.message).toBe('ingress rule 0 has no "from" peers: it allows every source on every port');
  });

  it("names the ports the rule still limits it to", () => {
    const policy = {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "webhook", namespace: "ops" },
      spec: {
        podSelector: { matchLabels: { app: "operator" } },
        policyTypes: ["Ingress"],
        ingress: [{ ports: [{ port: "webhook" }, { protocol: "UDP", port: 8000, endPort: 8100 }] }],
      },
    };
    expect(runControl(networkNoAllowAllPeers, policy)[0]?.message).toBe(
      'ingress rule 0 has no "from" peers: it allows every source on TCP/webhook, UDP/8000-8100',
    );
  });

  it("does not crash on odd shapes", () => {
    for (const from of ["x", [null, 3], [{ ipBlock: "x" }], [{ namespaceSelector: "x" }]]) {
      expect(() => runControl(networkNoAllowAllPeers, ingress(from))).not.toThrow();
    }
  });
});
