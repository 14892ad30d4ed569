import { networkDefaultDeny } from "../../../policypack/controls/network/default-deny";
import { evaluate } from "../../../policypack/engine/evaluate";
import type { KubeObject } from "../../../policypack/engine/types";
import { deployment, namespace, networkPolicy, runStack, summary } from "../namespace/stack-run";

const both = (ns: string) => networkPolicy("default-deny", ns, { podSelector: {}, policyTypes: ["Ingress", "Egress"] });

describe("network-default-deny", () => {
  it.each<[string, KubeObject[], string[]]>([
    ["one policy with both directions", [deployment("web", "shop"), both("shop")], []],
    [
      "one policy per direction",
      [
        deployment("web", "shop"),
        networkPolicy("in", "shop", { podSelector: {} }),
        networkPolicy("out", "shop", { podSelector: {}, policyTypes: ["Egress"] }),
      ],
      [],
    ],
    ["no workloads, no requirement", [namespace("empty")], []],
    ["no policy", [namespace("shop"), deployment("web", "shop")], ["Namespace/shop"]],
    ["policy in another namespace", [deployment("web", "shop"), both("billing")], ["Namespace/shop"]],
    [
      "egress rules present",
      [
        deployment("web", "shop"),
        networkPolicy("d", "shop", { podSelector: {}, policyTypes: ["Ingress", "Egress"], egress: [{}] }),
      ],
      ["Namespace/shop"],
    ],
    [
      "selector not empty",
      [
        deployment("web", "shop"),
        networkPolicy("d", "shop", {
          podSelector: { matchLabels: { app: "web" } },
          policyTypes: ["Ingress", "Egress"],
        }),
      ],
      ["Namespace/shop"],
    ],
    [
      "a Calico NetworkPolicy does not count",
      [deployment("web", "shop"), { ...both("shop"), apiVersion: "projectcalico.org/v3" }],
      ["Namespace/shop"],
    ],
    ["unset namespace is the default namespace", [deployment("web", undefined), both("default")], []],
  ])("%s", (_n, objects, expected) => {
    expect(summary(runStack(networkDefaultDeny, objects))).toEqual(expected);
  });

  it("names the missing direction and says when the namespace is not declared", () => {
    const [v] = runStack(networkDefaultDeny, [
      deployment("web", "shop"),
      networkPolicy("in", "shop", { podSelector: {} }),
    ]);
    expect(v?.message).toMatch(
      /^namespace "shop" \(not declared in this set\) has no default-deny NetworkPolicy for Egress/,
    );
    expect(v?.object).toEqual({ apiVersion: "v1", kind: "Namespace", metadata: { name: "shop" } });
  });

  it("reports on the declared Namespace, once per namespace", () => {
    const ns = namespace("shop", { team: "a" });
    const out = runStack(networkDefaultDeny, [ns, deployment("a", "shop"), deployment("b", "shop")]);
    expect(out).toHaveLength(1);
    expect(out[0]?.object).toBe(ns);
    expect(out[0]?.message).toContain("for Ingress and Egress");
  });

  it("does not count a patch: it cannot show the policy has no rules", () => {
    const patch = both("shop");
    expect(summary(runStack(networkDefaultDeny, [deployment("web", "shop"), patch], { patches: [patch] }))).toEqual([
      "Namespace/shop",
    ]);
  });

  it("follows the configured default namespace", () => {
    expect(
      runStack(networkDefaultDeny, [deployment("web", undefined), both("apps")], { defaultNamespace: "apps" }),
    ).toEqual([]);
  });

  it("lets a config exemption cover the synthesized Namespace", () => {
    const result = evaluate([deployment("web", "legacy")], {
      controls: [networkDefaultDeny],
      config: {
        exemptions: [
          { controls: ["network-default-deny"], names: ["legacy"], kinds: ["Namespace"], reason: "migrating" },
        ],
      },
    });
    expect(result.findings.map((f) => [f.resource, f.exempted?.reason])).toEqual([
      [{ apiVersion: "v1", kind: "Namespace", name: "legacy" }, "migrating"],
    ]);
  });

  it("does not crash on odd shapes", () => {
    const odd: KubeObject[] = [
      deployment("web", "shop"),
      {
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: { name: "x", namespace: "shop" },
        spec: "deny",
      },
      {
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: { namespace: "shop" },
        spec: { policyTypes: 3, ingress: "x" },
      },
      { kind: "NetworkPolicy" },
    ];
    expect(summary(runStack(networkDefaultDeny, odd))).toEqual(["Namespace/shop"]);
  });
});
