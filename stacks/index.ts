/**
 * The multi-tenant cluster baseline: one SecureNamespace per tenant of the stack's config.
 * Each `palisade:tenants` entry is a SecureNamespaceArgs object (see docs/components.md), so a
 * tenant gets exactly what the component documents, and a bad entry fails the preview with a
 * message naming the argument.
 *
 * `palisade:renderDir` (relative to the project root) renders YAML there instead of applying it
 * to a cluster; without it the default provider uses the ambient kubeconfig.
 */
import * as path from "node:path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { SecureNamespace, type SecureNamespaceArgs } from "../components/pulumi";

const config = new pulumi.Config("palisade");
const tenants = config.requireObject<SecureNamespaceArgs[]>("tenants");
if (!Array.isArray(tenants) || tenants.length === 0) {
  throw new Error("palisade:tenants must be a non-empty list of SecureNamespace arguments");
}

// The provider runs in the program's folder (dist/stacks): anchor the folder at the project root.
// PALISADE_RENDER_DIR lets tests render into a folder of their own.
const renderDir = process.env["PALISADE_RENDER_DIR"] ?? config.get("renderDir");
const provider =
  renderDir === undefined
    ? undefined
    : new k8s.Provider("render", { renderYamlToDirectory: path.resolve(pulumi.runtime.getRootDirectory(), renderDir) });

const namespaces = tenants.map((tenant) => new SecureNamespace(tenant.name, tenant, provider ? { provider } : {}));

/** Where the manifests were rendered (absent when deploying to a cluster). */
export const renderedTo =
  renderDir === undefined ? undefined : path.resolve(pulumi.runtime.getRootDirectory(), renderDir);
/** Namespace of each tenant. */
export const namespaceNames = pulumi.all(namespaces.map((n) => n.namespaceName));
/** ServiceAccounts of each tenant (default first). */
export const serviceAccounts = pulumi.all(
  namespaces.map((n) =>
    pulumi
      .all([n.namespaceName, n.serviceAccountNames])
      .apply(([ns, sas]) => ({ namespace: ns, serviceAccounts: sas })),
  ),
);
