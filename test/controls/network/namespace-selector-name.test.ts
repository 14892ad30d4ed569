import { networkNamespaceSelectorName } from "../../../policypack/controls/network/namespace-selector-name";
import { runControl } from "../../helpers/objects";
import { networkPolicy } from "../namespace/stack-run";

const KEY = "kubernetes.io/metadata.name";
const paths = (peer: unknown, direction: "ingress" | "egress" = "ingress") =>
  runControl(
    networkNamespaceSelectorName,
    networkPolicy("p", "shop", {
      podSelector: {},
      policyTypes: ["Ingress", "Egress"],
      [direction]: [{ [direction === "ingress" ? "from" : "to"]: [peer] }],
    }),
  ).map((v) => v.path);

describe("network-namespace-selector-name", () => {
  it.each<[string, unknown, string[]]>([
    ["matchLabels on the name", { namespaceSelector: { matchLabels: { [KEY]: "a" } } }, []],
    [
      "In on the name, plus other labels",
      {
        namespaceSelector: {
          matchLabels: { team: "x" },
          matchExpressions: [{ key: KEY, operator: "In", values: ["a", "b"] }],
        },
      },
      [],
    ],
    ["no namespaceSelector", { podSelector: { matchLabels: { app: "x" } } }, []],
    ["namespaceSelector {} (allow-all's concern)", { namespaceSelector: {} }, []],
    [
      "ordinary label",
      { namespaceSelector: { matchLabels: { team: "payments" } } },
      ["spec.ingress[0].from[0].namespaceSelector"],
    ],
    [
      "NotIn on the name",
      { namespaceSelector: { matchExpressions: [{ key: KEY, operator: "NotIn", values: ["a"] }] } },
      ["spec.ingress[0].from[0].namespaceSelector"],
    ],
    [
      "Exists on the name",
      { namespaceSelector: { matchExpressions: [{ key: KEY, operator: "Exists" }] } },
      ["spec.ingress[0].from[0].namespaceSelector"],
    ],
    [
      "invalid selector",
      { namespaceSelector: { matchExpressions: [{ key: KEY, operator: "In" }] } },
      ["spec.ingress[0].from[0].namespaceSelector"],
    ],
  ])("%s", (_n, peer, expected) => expect(paths(peer)).toEqual(expected));

  it("checks egress peers too", () => {
    expect(paths({ namespaceSelector: { matchLabels: { env: "prod" } } }, "egress")).toEqual([
      "spec.egress[0].to[0].namespaceSelector",
    ]);
  });
});
