/**
 * SecureNamespace: the Pulumi component over secureNamespace(args). It creates one typed
 * Kubernetes resource per object the builder returns, all parented to the component, so the
 * manifests are exactly the builder's (a test proves it) and CrossGuard sees each of them.
 *
 * Arguments are plain values, not Pulumi Inputs: the builder validates them and runs the
 * catalog at construction, which needs the values then; an Output would push both past the
 * preview, where an invalid argument must already have failed.
 */
import * as pulumi from "@pulumi/pulumi";
import { secureNamespace, type SecureNamespaceArgs } from "../manifests/secure-namespace";
import type { Manifest } from "../manifests/types";
import { childName, childResource, dependsOn } from "./resources";

export type { SecureNamespaceArgs };

/** What building a SecureNamespace's children gives its component. */
export interface SecureNamespaceParts {
  readonly namespaceName: pulumi.Output<string>;
  readonly serviceAccountNames: pulumi.Output<string[]>;
  readonly tenant: string;
  readonly manifests: readonly Manifest[];
  readonly resources: readonly pulumi.CustomResource[];
}

/**
 * Builds the objects of secureNamespace(args) as typed children of `parent`. Shared by this
 * component and the Pulumi package's (components/pulumi/package.ts), so both create the same
 * resources in the same order with the same dependencies.
 */
export function secureNamespaceChildren(
  parent: pulumi.ComponentResource,
  name: string,
  args: SecureNamespaceArgs,
  opts?: pulumi.ComponentResourceOptions,
): SecureNamespaceParts {
  const manifests = secureNamespace(args);
  const tenant = manifests[0]?.metadata.labels["palisade.dev/tenant"] ?? args.name;
  const [namespaceObject, ...namespaced] = manifests as [Manifest, ...Manifest[]];
  const namespace = childResource(childName(name, namespaceObject), namespaceObject, {
    parent,
    dependsOn: dependsOn(opts?.dependsOn, []),
  });
  const resources: pulumi.CustomResource[] = [namespace];
  const roles = new Map<string, pulumi.CustomResource>();
  for (const object of namespaced) {
    // A RoleBinding waits for its Role: binding a role that does not exist yet needs `bind`.
    const role = object.kind === "RoleBinding" ? roles.get(object.metadata.name) : undefined;
    const child = childResource(childName(name, object), object, {
      parent,
      dependsOn: dependsOn(opts?.dependsOn, role !== undefined ? [namespace, role] : [namespace]),
    });
    if (object.kind === "Role") roles.set(object.metadata.name, child);
    resources.push(child);
  }
  const namespaceName = (namespace as unknown as { metadata: pulumi.Output<{ name: string }> }).metadata.apply(
    (m) => m.name,
  );
  const accounts = resources.filter((_, i) => manifests[i]?.kind === "ServiceAccount");
  const serviceAccountNames = pulumi.all(
    accounts.map((sa) =>
      (sa as unknown as { metadata: pulumi.Output<{ name: string }> }).metadata.apply((m) => m.name),
    ),
  );
  return { namespaceName, serviceAccountNames, tenant, manifests, resources };
}

export class SecureNamespace extends pulumi.ComponentResource {
  /** The namespace name, resolved once the Namespace is created. */
  readonly namespaceName: pulumi.Output<string>;
  /** Names of the ServiceAccounts declared (default first), resolved once they exist. */
  readonly serviceAccountNames: pulumi.Output<string[]>;
  /** The tenant label value the namespace's allowances select. */
  readonly tenant: string;
  /** The plain objects the component deploys (the builder's output). */
  readonly manifests: readonly Manifest[];
  /** The child resources, in manifest order. */
  readonly resources: readonly pulumi.CustomResource[];

  constructor(name: string, args: SecureNamespaceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("palisade:index:SecureNamespace", name, {}, opts);
    const parts = secureNamespaceChildren(this, name, args, opts);
    this.manifests = parts.manifests;
    this.tenant = parts.tenant;
    this.resources = parts.resources;
    this.namespaceName = parts.namespaceName;
    this.serviceAccountNames = parts.serviceAccountNames;
    this.registerOutputs({ namespaceName: this.namespaceName, serviceAccountNames: this.serviceAccountNames });
  }
}
