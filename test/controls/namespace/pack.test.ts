/** The namespace controls through the CrossGuard pack: patches, preview unknowns, stack findings. */
import { buildPolicies } from "../../../policypack/policies";
import { analyzeResource, analyzeStack, typeOf, UNKNOWN } from "../../policypack/harness";
import { deployment, namespace } from "./stack-run";

const policies = buildPolicies({ now: () => new Date("2026-06-01T00:00:00Z") });
const only = (...names: string[]) => policies.filter((p) => names.includes(p.name));
const P = "pod-security.kubernetes.io/";
const good = {
  [`${P}enforce`]: "restricted",
  [`${P}enforce-version`]: "v1.33",
  [`${P}audit`]: "restricted",
  [`${P}warn`]: "restricted",
};

describe("NamespacePatch", () => {
  const labels = only("namespace-psa-labels", "namespace-privileged-allowlist");

  it("is judged only on the labels it sets", async () => {
    const patch = namespace("default", { [`${P}warn`]: "restricted" });
    expect(await analyzeResource(labels, { type: typeOf(patch, true), props: patch })).toEqual([]);
  });

  it("that sets privileged is reported by both controls", async () => {
    const patch = namespace("shop", { [`${P}enforce`]: "privileged" });
    const d = await analyzeResource(labels, { type: typeOf(patch, true), props: patch });
    expect(d.map((x) => x.policyName).sort()).toEqual(["namespace-privileged-allowlist", "namespace-psa-labels"]);
  });

  it("that lowers the declared level is a stack finding on the patch", async () => {
    const declared = namespace("shop", good);
    const patch = namespace("shop", { [`${P}enforce`]: "baseline" });
    const d = await analyzeStack(only("namespace-psa-no-downgrade"), [
      { type: typeOf(declared), props: declared, name: "ns" },
      { type: typeOf(patch, true), props: patch, name: "downgrade" },
    ]);
    expect(d).toEqual([
      expect.objectContaining({
        policyName: "namespace-psa-no-downgrade",
        urn: expect.stringContaining("NamespacePatch::downgrade"),
        message: expect.stringContaining('from "restricted" to "baseline"'),
      }),
    ]);
  });
});

describe("stack findings on an undeclared namespace", () => {
  it("name the synthesized Namespace", async () => {
    const web = deployment("web", "shop");
    const d = await analyzeStack(only("namespace-psa-declared", "namespace-resource-quota"), [
      { type: typeOf(web), props: web },
    ]);
    expect(d.map((x) => x.message)).toEqual([
      expect.stringMatching(/^Namespace shop: namespace "shop" holds workloads but is not declared in this set/),
      expect.stringMatching(/^Namespace shop: namespace "shop" \(not declared in this set\) has no ResourceQuota/),
    ]);
  });
});

describe("unknown values during preview", () => {
  it("an unknown enforce label cannot be judged yet", async () => {
    const ns = namespace("shop", { ...good, [`${P}enforce`]: UNKNOWN.string });
    const d = await analyzeResource(only("namespace-psa-labels", "namespace-privileged-allowlist"), {
      type: typeOf(ns),
      props: ns,
    });
    expect(d.map((x) => [x.policyName, x.enforcementLevel, /can't run/.test(x.message)])).toEqual([
      ["namespace-psa-labels", "advisory", true],
      ["namespace-privileged-allowlist", "advisory", true],
    ]);
  });
});
