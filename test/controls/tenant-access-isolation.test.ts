/**
 * tenant-access-isolation on what a reviewer would run it on: the dev stack's tenants (built with
 * the components, as the stack program does) alone and beside each realistic install of
 * test/fixtures/realistic — no finding — and the messages of the failing fixtures, which must
 * name the path a reviewer has to cut.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { secureNamespace, type SecureNamespaceArgs } from "../../components/manifests";
import { rbacTenantAccessIsolation } from "../../policypack/controls/rbac/tenant-access-isolation";
import { evaluate } from "../../policypack/engine/evaluate";
import { parseManifests } from "../../policypack/engine/parse";
import type { KubeObject } from "../../policypack/engine/types";
import { ROOT } from "../helpers/cli";
import { FIXTURES } from "../helpers/fixtures";

const config = parse(fs.readFileSync(path.join(ROOT, "stacks", "Pulumi.dev.yaml"), "utf8")) as {
  config: { "palisade:tenants": SecureNamespaceArgs[] };
};
const dev = config.config["palisade:tenants"].flatMap((t) => secureNamespace(t));
const read = (file: string): KubeObject[] =>
  parseManifests(fs.readFileSync(file, "utf8"), file).objects.map((o) => o.object);
const findings = (objects: readonly KubeObject[]): string[] =>
  evaluate(objects, { controls: [rbacTenantAccessIsolation], level: "hardened" }).findings.map(
    (f) => `${f.resource.kind}/${f.resource.name ?? ""} ${f.path ?? ""}: ${f.message}`,
  );

test("the dev stack's tenants: a cross-tenant deploy grant that names its subject, and nothing to report", () => {
  expect(dev.some((o) => o.kind === "RoleBinding" && JSON.stringify(o).includes('"namespace":"ci"'))).toBe(true);
  expect(findings(dev)).toEqual([]);
});

const realistic = fs
  .readdirSync(path.join(FIXTURES, "realistic"))
  .filter((d) => fs.existsSync(path.join(FIXTURES, "realistic", d, "install.yaml")))
  .sort();

test.each(realistic)("the dev tenants beside the realistic %s install", (set) => {
  expect(findings([...dev, ...read(path.join(FIXTURES, "realistic", set, "install.yaml"))])).toEqual([]);
});

test.each([
  [
    "fail.cluster-role-binding.yaml",
    'ClusterRoleBinding/web-view subjects[0]: cross-tenant access not granted by name: ClusterRoleBinding/web-view grants ClusterRole/view in every namespace, other tenants\' included, reaching ServiceAccount:shop/web (tenant shop) in "bank" (tenant bank)',
  ],
  [
    "fail.broad-group.yaml",
    'RoleBinding/all-sas-read subjects[0]: cross-tenant access not granted by name: RoleBinding/bank/all-sas-read grants Role/bank/reader to Group:system:serviceaccounts (every identity of that group, any tenant\'s) instead of naming the subject, reaching ServiceAccount:shop/web (tenant shop) in "bank" (tenant bank)',
  ],
  [
    "fail.escalation.yaml",
    'RoleBinding/shop-web-pods subjects[0]: cross-tenant access not granted by name: an escalation path: create pods in "bank" → ServiceAccount:bank/api, which may get secrets (RoleBinding/bank/api-secrets → Role/bank/secret-reader rules[0]) there, reaching ServiceAccount:shop/web (tenant shop) → "bank" (tenant bank)',
  ],
  [
    "fail.bind-in-other-tenant.yaml",
    'RoleBinding/shop-web-binds subjects[0]: cross-tenant access not granted by name: an escalation path: bind roles and create rolebindings in "bank" (grants itself any role there), reaching ServiceAccount:shop/web (tenant shop) → "bank" (tenant bank)',
  ],
])("%s names the path", (file, message) => {
  expect(findings(read(path.join(FIXTURES, "tenant-access-isolation", file)))).toEqual([message]);
});
