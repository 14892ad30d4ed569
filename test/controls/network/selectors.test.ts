import fc from "fast-check";
import {
  describeSelector,
  isEverything,
  labelsOf,
  parseSelector,
  requiresKey,
  requiresLabel,
  selects,
} from "../../../policypack/controls/network/selectors";

const sel = (v: unknown) => {
  const s = parseSelector(v);
  if (s === undefined) throw new Error(`invalid selector ${JSON.stringify(v)}`);
  return s;
};

describe("parseSelector", () => {
  it.each([
    ["{}", {}],
    ["null fields", { matchLabels: null, matchExpressions: null }],
    ["matchLabels", { matchLabels: { app: "web" } }],
    ["In", { matchExpressions: [{ key: "app", operator: "In", values: ["a"] }] }],
    ["Exists without values", { matchExpressions: [{ key: "app", operator: "Exists" }] }],
    ["DoesNotExist with empty values", { matchExpressions: [{ key: "app", operator: "DoesNotExist", values: [] }] }],
  ])("accepts %s", (_n, v) => expect(parseSelector(v)).toBeDefined());

  it.each([
    ["a string", "app=web"],
    ["an array", []],
    ["null", null],
    ["non-string label value", { matchLabels: { replicas: 3 } }],
    ["matchLabels a list", { matchLabels: ["app"] }],
    ["matchExpressions a mapping", { matchExpressions: { key: "app" } }],
    ["unknown operator", { matchExpressions: [{ key: "app", operator: "Equals", values: ["a"] }] }],
    ["lower-case operator", { matchExpressions: [{ key: "app", operator: "in", values: ["a"] }] }],
    ["In without values", { matchExpressions: [{ key: "app", operator: "In", values: [] }] }],
    ["NotIn without values", { matchExpressions: [{ key: "app", operator: "NotIn" }] }],
    ["Exists with values", { matchExpressions: [{ key: "app", operator: "Exists", values: ["a"] }] }],
    ["empty key", { matchExpressions: [{ key: "", operator: "Exists" }] }],
    ["non-string value", { matchExpressions: [{ key: "app", operator: "In", values: [1] }] }],
    ["expression not a mapping", { matchExpressions: ["app"] }],
  ])("rejects %s", (_n, v) => expect(parseSelector(v)).toBeUndefined());
});

describe("selects", () => {
  const labels = { app: "web", tier: "frontend" };
  it.each([
    ["{} selects everything", {}, true],
    ["matching matchLabels", { matchLabels: { app: "web" } }, true],
    ["matchLabels with a wrong value", { matchLabels: { app: "api" } }, false],
    ["matchLabels on a missing key", { matchLabels: { team: "x" } }, false],
    ["matchLabels ANDed", { matchLabels: { app: "web", tier: "backend" } }, false],
    ["In", { matchExpressions: [{ key: "app", operator: "In", values: ["api", "web"] }] }, true],
    ["In, value absent", { matchExpressions: [{ key: "app", operator: "In", values: ["api"] }] }, false],
    ["In on a missing key", { matchExpressions: [{ key: "team", operator: "In", values: ["x"] }] }, false],
    ["NotIn, value listed", { matchExpressions: [{ key: "app", operator: "NotIn", values: ["web"] }] }, false],
    ["NotIn, value not listed", { matchExpressions: [{ key: "app", operator: "NotIn", values: ["api"] }] }, true],
    ["NotIn on a missing key", { matchExpressions: [{ key: "team", operator: "NotIn", values: ["x"] }] }, true],
    ["Exists", { matchExpressions: [{ key: "tier", operator: "Exists" }] }, true],
    ["Exists on a missing key", { matchExpressions: [{ key: "team", operator: "Exists" }] }, false],
    ["DoesNotExist", { matchExpressions: [{ key: "team", operator: "DoesNotExist" }] }, true],
    ["DoesNotExist on a present key", { matchExpressions: [{ key: "app", operator: "DoesNotExist" }] }, false],
    [
      "matchLabels AND matchExpressions",
      { matchLabels: { app: "web" }, matchExpressions: [{ key: "tier", operator: "NotIn", values: ["frontend"] }] },
      false,
    ],
  ])("%s", (_n, v, expected) => expect(selects(sel(v), labels)).toBe(expected));

  it("a label whose value is the empty string exists", () => {
    expect(selects(sel({ matchExpressions: [{ key: "x", operator: "Exists" }] }), { x: "" })).toBe(true);
    expect(selects(sel({ matchLabels: { x: "" } }), { x: "" })).toBe(true);
    expect(selects(sel({ matchLabels: { x: "" } }), {})).toBe(false);
  });

  const label = fc.constantFrom("a", "b", "c");
  const labelSets = fc.dictionary(label, fc.constantFrom("1", "2", "3"));
  it("NotIn is the negation of In, and DoesNotExist the negation of Exists", () => {
    fc.assert(
      fc.property(
        labelSets,
        label,
        fc.uniqueArray(fc.constantFrom("1", "2", "3"), { minLength: 1 }),
        (ls, key, values) => {
          const inSel = sel({ matchExpressions: [{ key, operator: "In", values }] });
          const notIn = sel({ matchExpressions: [{ key, operator: "NotIn", values }] });
          const exists = sel({ matchExpressions: [{ key, operator: "Exists" }] });
          const absent = sel({ matchExpressions: [{ key, operator: "DoesNotExist" }] });
          return selects(inSel, ls) !== selects(notIn, ls) && selects(exists, ls) !== selects(absent, ls);
        },
      ),
    );
  });

  it("matchLabels selects exactly the label sets that contain it", () => {
    fc.assert(
      fc.property(labelSets, labelSets, (wanted, ls) => {
        const expected = Object.entries(wanted).every(([k, v]) => ls[k] === v);
        return selects(sel({ matchLabels: wanted }), ls) === expected;
      }),
    );
  });
});

describe("requiresLabel / requiresKey", () => {
  it.each([
    [{ matchLabels: { ns: "kube-system" } }, true, true],
    [{ matchExpressions: [{ key: "ns", operator: "In", values: ["kube-system"] }] }, true, true],
    [{ matchExpressions: [{ key: "ns", operator: "In", values: ["kube-system", "other"] }] }, false, true],
    [{ matchExpressions: [{ key: "ns", operator: "NotIn", values: ["other"] }] }, false, false],
    [{ matchExpressions: [{ key: "ns", operator: "Exists" }] }, false, false],
    [{ matchLabels: { other: "kube-system" } }, false, false],
    [{}, false, false],
  ])("%j → requiresLabel %s, requiresKey %s", (v, label, key) => {
    expect(requiresLabel(sel(v), "ns", ["kube-system"])).toBe(label);
    expect(requiresKey(sel(v), "ns")).toBe(key);
  });
});

describe("helpers", () => {
  it("labelsOf keeps string labels and tolerates odd shapes", () => {
    expect(labelsOf({ labels: { a: "1", b: 2 } })).toEqual({ a: "1" });
    expect(labelsOf({ labels: "x" })).toEqual({});
    expect(labelsOf(undefined)).toEqual({});
  });

  it("describes selectors", () => {
    expect(
      describeSelector(
        sel({
          matchLabels: { app: "web" },
          matchExpressions: [
            { key: "t", operator: "In", values: ["a", "b"] },
            { key: "u", operator: "NotIn", values: ["c"] },
            { key: "v", operator: "Exists" },
            { key: "w", operator: "DoesNotExist" },
          ],
        }),
      ),
    ).toBe("{app=web, t in (a,b), u notin (c), v, !w}");
    expect(isEverything(sel({ matchLabels: {}, matchExpressions: [] }))).toBe(true);
  });
});
