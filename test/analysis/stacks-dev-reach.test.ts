/**
 * The dev stack's tenants (stacks/Pulumi.dev.yaml), built with the components' pure builder as
 * the stack program does: the matrix docs/reach.md shows, held true.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { secureNamespace, type SecureNamespaceArgs } from "../../components/manifests";
import { buildReachModel, describePorts, reachability } from "../../policypack/analysis/network";
import { networkTenantIsolation } from "../../policypack/controls/network/tenant-network-isolation";
import { evaluate } from "../../policypack/engine/evaluate";
import { ROOT } from "../helpers/cli";

const config = parse(fs.readFileSync(path.join(ROOT, "stacks", "Pulumi.dev.yaml"), "utf8")) as {
  config: { "palisade:tenants": SecureNamespaceArgs[] };
};
const objects = config.config["palisade:tenants"].flatMap((t) => secureNamespace(t));

test("each dev tenant reaches the cluster DNS and no other tenant", () => {
  const model = buildReachModel(objects, { standInPods: true });
  const lines = reachability(model)
    .filter((c) => c.src.kind === "pods")
    .map(
      (c) =>
        `${c.src.id} → ${c.dst.id}: ${describePorts(c.sure)}${describePorts(c.maybe) === "none" ? "" : ` (maybe ${describePorts(c.maybe)})`}`,
    );
  expect(lines).toEqual([
    "payments/(pods) → kube-system/kube-dns: TCP 53 UDP 53 (maybe TCP 5432)",
    "payments/(pods) → cidr:10.20.0.0/16: TCP 5432",
    "search/(pods) → search/(pods): all",
    "search/(pods) → kube-system/kube-dns: TCP 53 UDP 53",
    "ci/(pods) → kube-system/kube-dns: TCP 53 UDP 53",
  ]);
  expect(evaluate(objects, { controls: [networkTenantIsolation], level: "hardened" }).findings).toEqual([]);
});
