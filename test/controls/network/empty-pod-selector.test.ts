import { networkEmptyPodSelector } from "../../../policypack/controls/network/empty-pod-selector";
import { runControl } from "../../helpers/objects";
import { networkPolicy } from "../namespace/stack-run";

describe("network-empty-pod-selector", () => {
  it.each<[string, Record<string, unknown>, string[]]>([
    ["default deny", { podSelector: {}, policyTypes: ["Ingress", "Egress"] }, []],
    ["missing podSelector, no rules", { policyTypes: ["Ingress"] }, []],
    ["selected pods with rules", { podSelector: { matchLabels: { app: "web" } }, ingress: [{}] }, []],
    ["rules of an ungoverned direction do nothing", { podSelector: {}, policyTypes: ["Ingress"], egress: [{}] }, []],
    ["invalid podSelector is not empty", { podSelector: "all", ingress: [{}] }, []],
    [
      "empty podSelector with ingress rules",
      { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] },
      ["spec.podSelector"],
    ],
    ["missing podSelector with egress rules", { egress: [{ to: [{ podSelector: {} }] }] }, ["spec.podSelector"]],
    ["empty matchLabels is empty", { podSelector: { matchLabels: {} }, ingress: [{}] }, ["spec.podSelector"]],
  ])("%s", (_n, spec, expected) => {
    expect(runControl(networkEmptyPodSelector, networkPolicy("default-deny", "shop", spec)).map((v) => v.path)).toEqual(
      expected,
    );
  });

  it("lists the rules that allow traffic", () => {
    const [v] = runControl(
      networkEmptyPodSelector,
      networkPolicy("x", "shop", { podSelector: {}, policyTypes: ["Ingress", "Egress"], ingress: [{}], egress: [{}] }),
    );
    expect(v?.message).toContain("(ingress rule 0, egress rule 0)");
  });
});
