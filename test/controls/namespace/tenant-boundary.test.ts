import { namespaceTenantBoundary } from "../../../policypack/controls/namespace/tenant-boundary";
import type { KubeObject } from "../../../policypack/engine/types";
import { deployment, namespace, runStack } from "./stack-run";

const PART = "app.kubernetes.io/part-of";
const tenant = (name: string, ns: string, value: string, where: "object" | "template" = "object"): KubeObject => {
  const d = deployment(name, ns, where === "template" ? { app: name, [PART]: value } : { app: name });
  if (where === "object") d.metadata = { ...d.metadata, labels: { [PART]: value } };
  return d;
};

describe("namespace-tenant-boundary", () => {
  it("is optional", () => expect(namespaceTenantBoundary.optional).toBe(true));

  it.each<[string, KubeObject[], string[]]>([
    ["one tenant", [tenant("a", "shop", "shop"), tenant("b", "shop", "shop", "template")], []],
    ["unlabelled workloads do not count", [tenant("a", "shop", "shop"), deployment("b", "shop")], []],
    ["tenants in their own namespaces", [tenant("a", "shop", "shop"), tenant("b", "billing", "billing")], []],
    [
      "two tenants",
      [tenant("a", "shop", "shop"), tenant("b", "shop", "billing", "template"), tenant("c", "shop", "billing")],
      [
        'namespace "shop" (not declared in this set) is shared by 2 tenants by app.kubernetes.io/part-of: "shop" (Deployment shop/a), "billing" (Deployment shop/b)',
      ],
    ],
    [
      "a workload of another tenant in a labelled namespace",
      [namespace("shop", { [PART]: "shop" }), tenant("b", "shop", "billing")],
      [
        'namespace "shop" is shared by 2 tenants by app.kubernetes.io/part-of: "shop" (the Namespace), "billing" (Deployment shop/b)',
      ],
    ],
  ])("%s", (_n, objects, expected) =>
    expect(runStack(namespaceTenantBoundary, objects).map((v) => v.message)).toEqual(expected),
  );

  it("reads the configured label and skips patches", () => {
    const a = tenant("a", "shop", "x");
    const b = deployment("b", "shop", { app: "b", team: "y" });
    const c = deployment("c", "shop", { app: "c", team: "z" });
    expect(runStack(namespaceTenantBoundary, [a, b, c], { config: { tenantLabel: "team" } })).toHaveLength(1);
    expect(runStack(namespaceTenantBoundary, [a, b, c], { config: { tenantLabel: "team" }, patches: [c] })).toEqual([]);
  });
});
