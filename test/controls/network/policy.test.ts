import { activeRules, deniesAll, policyTypes, podSelectorOf } from "../../../policypack/controls/network/policy";
import { networkPolicy } from "../namespace/stack-run";

describe("policyTypes (API defaulting)", () => {
  it.each([
    ["omitted, no rules", {}, ["Ingress"]],
    ["omitted, ingress rules", { ingress: [{}] }, ["Ingress"]],
    ["omitted, egress rules", { egress: [{}] }, ["Ingress", "Egress"]],
    ["omitted, empty egress list", { egress: [] }, ["Ingress"]],
    ["empty list defaults too", { policyTypes: [], egress: [{}] }, ["Ingress", "Egress"]],
    ["Egress only", { policyTypes: ["Egress"], ingress: [{}] }, ["Egress"]],
    ["both", { policyTypes: ["Ingress", "Egress"] }, ["Ingress", "Egress"]],
    ["wrong case is not a type", { policyTypes: ["ingress"] }, []],
    ["odd shape", { policyTypes: "Ingress" }, ["Ingress"]],
  ])("%s", (_n, spec, expected) => {
    expect([...policyTypes(networkPolicy("p", "ns", spec))]).toEqual(expected);
  });
});

describe("activeRules", () => {
  it("skips rules of directions the policy does not govern and odd entries", () => {
    const p = networkPolicy("p", "ns", { policyTypes: ["Egress"], ingress: [{}], egress: [{ to: [{}, "x"] }, 3, {}] });
    expect(activeRules(p).map((r) => [r.path, r.peers.map((x) => x.path)])).toEqual([
      ["spec.egress[0]", ["spec.egress[0].to[0]"]],
      ["spec.egress[2]", []],
    ]);
  });
});

describe("podSelectorOf / deniesAll", () => {
  it.each([
    ["missing podSelector is {}", { policyTypes: ["Ingress", "Egress"] }, true, true],
    ["null podSelector is {}", { podSelector: null, policyTypes: ["Ingress", "Egress"] }, true, true],
    [
      "selector with labels",
      { podSelector: { matchLabels: { a: "b" } }, policyTypes: ["Ingress", "Egress"] },
      false,
      false,
    ],
    ["invalid selector", { podSelector: "all", policyTypes: ["Ingress", "Egress"] }, false, false],
    ["ingress rules", { podSelector: {}, policyTypes: ["Ingress", "Egress"], ingress: [{ from: [] }] }, false, true],
    ["defaulted Ingress", { podSelector: {} }, true, false],
    ["egress: [] is no rules", { podSelector: {}, policyTypes: ["Egress"], egress: [] }, false, true],
  ])("%s", (_n, spec, ingress, egress) => {
    const p = networkPolicy("p", "ns", spec);
    expect([deniesAll(p, "Ingress"), deniesAll(p, "Egress")]).toEqual([ingress, egress]);
  });

  it("reads a missing spec as the everything-selector", () => {
    expect(podSelectorOf({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy" })?.requirements).toEqual([]);
  });
});
