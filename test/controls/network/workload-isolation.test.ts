import { networkWorkloadIsolation } from "../../../policypack/controls/network/workload-isolation";
import type { KubeObject } from "../../../policypack/engine/types";
import { inEveryKind } from "../../helpers/objects";
import { deployment, networkPolicy, runStack, summary } from "../namespace/stack-run";

const web = deployment("web", "shop", { app: "web", tier: "frontend" });
const np = (spec: Record<string, unknown>) => networkPolicy("p", "shop", spec);

describe("network-workload-isolation", () => {
  it.each<[string, KubeObject[], string[]]>([
    ["default deny", [np({ podSelector: {}, policyTypes: ["Ingress", "Egress"] })], []],
    [
      "matchLabels both",
      [np({ podSelector: { matchLabels: { app: "web" } }, policyTypes: ["Ingress", "Egress"] })],
      [],
    ],
    [
      "Ingress and Egress in separate policies",
      [
        networkPolicy("in", "shop", { podSelector: { matchLabels: { tier: "frontend" } } }),
        networkPolicy("out", "shop", {
          podSelector: { matchExpressions: [{ key: "app", operator: "Exists" }] },
          egress: [{ to: [] }],
        }),
      ],
      [],
    ],
    ["no policy", [], ["Deployment/web spec.template.metadata.labels"]],
    [
      "Ingress only (defaulted)",
      [np({ podSelector: {}, ingress: [{}] })],
      ["Deployment/web spec.template.metadata.labels"],
    ],
    [
      "selector does not match",
      [np({ podSelector: { matchLabels: { app: "api" } }, policyTypes: ["Ingress", "Egress"] })],
      ["Deployment/web spec.template.metadata.labels"],
    ],
    [
      "NotIn excludes it",
      [
        np({
          podSelector: { matchExpressions: [{ key: "tier", operator: "NotIn", values: ["frontend"] }] },
          policyTypes: ["Ingress", "Egress"],
        }),
      ],
      ["Deployment/web spec.template.metadata.labels"],
    ],
    [
      "DoesNotExist excludes it",
      [
        np({
          podSelector: { matchExpressions: [{ key: "tier", operator: "DoesNotExist" }] },
          policyTypes: ["Ingress", "Egress"],
        }),
      ],
      ["Deployment/web spec.template.metadata.labels"],
    ],
    [
      "invalid selector selects nothing",
      [
        np({
          podSelector: { matchExpressions: [{ key: "tier", operator: "In" }] },
          policyTypes: ["Ingress", "Egress"],
        }),
      ],
      ["Deployment/web spec.template.metadata.labels"],
    ],
    [
      "policy in another namespace",
      [networkPolicy("p", "billing", { podSelector: {}, policyTypes: ["Ingress", "Egress"] })],
      ["Deployment/web spec.template.metadata.labels"],
    ],
  ])("%s", (_n, policies, expected) => {
    expect(summary(runStack(networkWorkloadIsolation, [web, ...policies]))).toEqual(expected);
  });

  it("names the missing direction", () => {
    const [v] = runStack(networkWorkloadIsolation, [web, np({ podSelector: {}, ingress: [{}] })]);
    expect(v?.message).toBe(
      'pods labelled {app=web, tier=frontend} are not isolated for Egress: no NetworkPolicy in namespace "shop" selects them and governs Egress',
    );
  });

  it("checks every pod-bearing kind, with the labels of its own pod template", () => {
    const objects = inEveryKind({ containers: [{ name: "c", image: "i" }] });
    const policy = networkPolicy("p", "app", {
      podSelector: { matchLabels: { app: "x" } },
      policyTypes: ["Ingress", "Egress"],
    });
    // inEveryKind labels templates app=x, but the bare Pod's own metadata has no labels.
    expect(summary(runStack(networkWorkloadIsolation, [...objects, policy]))).toEqual(["Pod/pod metadata.labels"]);
  });

  it("passes over host-network pods and patches", () => {
    const host = deployment("agent", "shop", { app: "agent" }, { hostNetwork: true });
    const patch = deployment("web", "shop", {});
    expect(runStack(networkWorkloadIsolation, [host, patch], { patches: [patch] })).toEqual([]);
  });

  it("does not crash on odd shapes", () => {
    const odd: KubeObject[] = [
      web,
      {
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: { namespace: "shop" },
        spec: { podSelector: [] },
      },
      { apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "shop", labels: "x" as never }, spec: "y" },
    ];
    expect(summary(runStack(networkWorkloadIsolation, odd))).toEqual([
      "Deployment/web spec.template.metadata.labels",
      "Pod/p metadata.labels",
    ]);
  });
});
