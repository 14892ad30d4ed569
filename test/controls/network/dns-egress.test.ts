import { networkDnsEgress } from "../../../policypack/controls/network/dns-egress";
import { runControl } from "../../helpers/objects";
import { networkPolicy } from "../namespace/stack-run";

const kubeSystem = { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } };
const kubeDns = { matchLabels: { "k8s-app": "kube-dns" } };
const udp53 = [{ port: 53, protocol: "UDP" }];
const egress = (rules: unknown[], extra: Record<string, unknown> = {}, namespace = "shop") =>
  networkPolicy("p", namespace, { podSelector: {}, policyTypes: ["Egress"], egress: rules, ...extra });
const paths = (o: ReturnType<typeof egress>, config?: Record<string, unknown>) =>
  runControl(networkDnsEgress, o, config ? { config } : {}).map((v) => v.path);

describe("network-dns-egress", () => {
  it.each<[string, unknown[], string[]]>([
    ["kube-dns in kube-system", [{ to: [{ namespaceSelector: kubeSystem, podSelector: kubeDns }], ports: udp53 }], []],
    [
      "named ports",
      [
        {
          to: [{ namespaceSelector: kubeSystem, podSelector: kubeDns }],
          ports: [{ port: "dns" }, { port: "dns-tcp" }],
        },
      ],
      [],
    ],
    [
      "no DNS port: not this control's concern",
      [{ ports: [{ port: 443 }] }, { to: [{ ipBlock: { cidr: "0.0.0.0/0" } }] }],
      [],
    ],
    ["every destination", [{ ports: udp53 }], ["spec.egress[0]"]],
    ["empty to", [{ to: [], ports: udp53 }], ["spec.egress[0]"]],
    ["named dns to everything", [{ ports: [{ port: "dns" }] }], ["spec.egress[0]"]],
    [
      "kube-dns pods of any namespace",
      [{ to: [{ namespaceSelector: {}, podSelector: kubeDns }], ports: udp53 }],
      ["spec.egress[0].to[0]"],
    ],
    ["any pod in kube-system", [{ to: [{ namespaceSelector: kubeSystem }], ports: udp53 }], ["spec.egress[0].to[0]"]],
    [
      "kube-system with podSelector {}",
      [{ to: [{ namespaceSelector: kubeSystem, podSelector: {} }], ports: udp53 }],
      ["spec.egress[0].to[0]"],
    ],
    [
      "spoofable namespace label",
      [{ to: [{ namespaceSelector: { matchLabels: { name: "kube-system" } }, podSelector: kubeDns }], ports: udp53 }],
      ["spec.egress[0].to[0]"],
    ],
    [
      "In with an extra namespace",
      [
        {
          to: [
            {
              namespaceSelector: {
                matchExpressions: [
                  { key: "kubernetes.io/metadata.name", operator: "In", values: ["kube-system", "shop"] },
                ],
              },
              podSelector: kubeDns,
            },
          ],
          ports: udp53,
        },
      ],
      ["spec.egress[0].to[0]"],
    ],
    ["public resolver", [{ to: [{ ipBlock: { cidr: "8.8.8.8/32" } }], ports: udp53 }], ["spec.egress[0].to[0]"]],
  ])("%s", (_n, rules, expected) => expect(paths(egress(rules))).toEqual(expected));

  it("pods without namespaceSelector are in the policy's own namespace", () => {
    const rule = [{ to: [{ podSelector: kubeDns }], ports: udp53 }];
    expect(paths(egress(rule, {}, "kube-system"))).toEqual([]);
    expect(paths(egress(rule, {}, "shop"))).toEqual(["spec.egress[0].to[0]"]);
  });

  it("ignores egress rules of a policy that does not govern Egress", () => {
    expect(paths(egress([{ ports: udp53 }], { policyTypes: ["Ingress"] }))).toEqual([]);
  });

  it("takes the DNS target from the config", () => {
    const rule = [
      {
        to: [
          {
            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "dns" } },
            podSelector: { matchLabels: { app: "coredns" } },
          },
        ],
        ports: udp53,
      },
      { to: [{ ipBlock: { cidr: "169.254.20.10/32" } }, { ipBlock: { cidr: "169.254.20.0/24" } }], ports: udp53 },
    ];
    expect(paths(egress(rule))).toEqual(["spec.egress[0].to[0]", "spec.egress[1].to[0]", "spec.egress[1].to[1]"]);
    expect(
      paths(egress(rule), {
        dnsNamespaces: ["dns"],
        dnsPodLabels: ["app=coredns", "bad"],
        dnsCIDRs: ["169.254.20.10/32", "x"],
      }),
    ).toEqual(["spec.egress[1].to[1]"]);
  });

  it("explains what the DNS target is", () => {
    const [v] = runControl(networkDnsEgress, egress([{ to: [{ podSelector: {} }], ports: udp53 }]));
    expect(v?.message).toBe(
      "egress rule 0 allows DNS (port 53) to peer 0, which is not the cluster DNS (pods k8s-app=kube-dns in namespace kube-system)",
    );
  });

  it("does not crash on odd shapes", () => {
    for (const spec of [
      { egress: "x" },
      { egress: [{ ports: "53" }] },
      { egress: [{ to: [{ ipBlock: "x" }], ports: [{ port: 53 }] }] },
      {},
    ]) {
      expect(() =>
        runControl(networkDnsEgress, networkPolicy("p", "shop", { policyTypes: ["Egress"], ...spec })),
      ).not.toThrow();
    }
    expect(runControl(networkDnsEgress, { apiVersion: "v1", kind: "NetworkPolicy" })).toEqual([]);
  });
});
