import { networkDanglingSelectors } from "../../../policypack/controls/network/dangling-selectors";
import type { KubeObject } from "../../../policypack/engine/types";
import { deployment, networkPolicy, runStack, summary } from "../namespace/stack-run";

const workloads = [deployment("web", "shop", { app: "web", tier: "fe" }), deployment("db", "shop", { app: "db" })];
const np = (spec: Record<string, unknown>) => networkPolicy("p", "shop", spec);

describe("network-dangling-selectors", () => {
  it.each<[string, Record<string, unknown>, string[]]>([
    ["matching podSelector", { podSelector: { matchLabels: { app: "web" } } }, []],
    ["empty podSelector", { podSelector: {} }, []],
    ["matchExpressions that match", { podSelector: { matchExpressions: [{ key: "tier", operator: "Exists" }] } }, []],
    ["typo", { podSelector: { matchLabels: { app: "wbe" } } }, ["NetworkPolicy/p spec.podSelector"]],
    [
      "labels of two different pods",
      { podSelector: { matchLabels: { app: "db", tier: "fe" } } },
      ["NetworkPolicy/p spec.podSelector"],
    ],
    [
      "invalid selector",
      { podSelector: { matchExpressions: [{ key: "x", operator: "Bad" }] } },
      ["NetworkPolicy/p spec.podSelector"],
    ],
    ["peer matching", { podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: { app: "web" } } }] }] }, []],
    [
      "peer dangling",
      { podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: { app: "frontend" } } }] }] },
      ["NetworkPolicy/p spec.ingress[0].from[0].podSelector"],
    ],
    [
      "peer in other namespaces is not checked",
      { podSelector: {}, egress: [{ to: [{ namespaceSelector: {}, podSelector: { matchLabels: { app: "x" } } }] }] },
      [],
    ],
    [
      "egress peers are checked when Egress is governed",
      {
        podSelector: {},
        policyTypes: ["Egress"],
        egress: [{ to: [{ podSelector: { matchLabels: { app: "cache" } } }] }],
      },
      ["NetworkPolicy/p spec.egress[0].to[0].podSelector"],
    ],
  ])("%s", (_n, spec, expected) => {
    expect(summary(runStack(networkDanglingSelectors, [...workloads, np(spec)]))).toEqual(expected);
  });

  it("skips namespaces where the set has no workloads", () => {
    expect(
      runStack(networkDanglingSelectors, [networkPolicy("p", "other", { podSelector: { matchLabels: { a: "b" } } })]),
    ).toEqual([]);
  });

  it("counts the labels of patched workloads as existing", () => {
    const patch = deployment("cache", "shop", { app: "cache" });
    const p = np({ podSelector: { matchLabels: { app: "cache" } } });
    expect(runStack(networkDanglingSelectors, [...workloads, patch, p], { patches: [patch] })).toEqual([]);
  });

  it("does not crash on odd shapes", () => {
    const odd: KubeObject[] = [
      ...workloads,
      np({ podSelector: 3, ingress: "x" }),
      np({ ingress: [{ from: [{ podSelector: "x" }] }] }),
    ];
    expect(summary(runStack(networkDanglingSelectors, odd))).toEqual([
      "NetworkPolicy/p spec.podSelector",
      "NetworkPolicy/p spec.ingress[0].from[0].podSelector",
    ]);
  });
});
