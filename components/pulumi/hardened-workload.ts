/**
 * HardenedWorkload: the Pulumi component over hardenedWorkload(args), one typed resource per
 * object, parented to the component. `namespace` may be a SecureNamespace: the workload then
 * takes its name and tenant (so the pods get the namespace's DNS and shared allowances) and
 * waits for it. Arguments are plain values for the reason given in secure-namespace.ts.
 */
import * as pulumi from "@pulumi/pulumi";
import { hardenedWorkload, type HardenedWorkloadArgs as BuilderArgs } from "../manifests/hardened-workload";
import type { Manifest } from "../manifests/types";
import { childName, childResource, dependsOn } from "./resources";
import { SecureNamespace } from "./secure-namespace";

/** The builder's arguments, with `namespace` also accepting a SecureNamespace component. */
export interface HardenedWorkloadArgs extends Omit<BuilderArgs, "namespace"> {
  /**
   * Namespace to run in: a name, or a SecureNamespace (its name and tenant are used, and the
   * workload's resources wait for it).
   */
  readonly namespace: string | SecureNamespace;
}

/** The builder arguments a component's arguments stand for. */
export function builderArgs(args: HardenedWorkloadArgs): BuilderArgs {
  if (!(args.namespace instanceof SecureNamespace)) return args as BuilderArgs;
  const ns = args.namespace;
  const name = ns.manifests[0]?.metadata.name as string;
  return { ...args, namespace: name, tenant: args.tenant ?? ns.tenant };
}

/** What building a HardenedWorkload's children gives its component. */
export interface HardenedWorkloadParts {
  readonly serviceAccountName: pulumi.Output<string>;
  readonly serviceName: pulumi.Output<string> | undefined;
  readonly manifests: readonly Manifest[];
  readonly resources: readonly pulumi.CustomResource[];
}

/**
 * Builds the objects of hardenedWorkload(args) as typed children of `parent`, each waiting for
 * `waitFor` (and the pods' ServiceAccount). Shared by this component and the Pulumi package's
 * (components/pulumi/package.ts).
 */
export function hardenedWorkloadChildren(
  parent: pulumi.ComponentResource,
  name: string,
  args: BuilderArgs,
  waitFor: readonly pulumi.Resource[],
  opts?: pulumi.ComponentResourceOptions,
): HardenedWorkloadParts {
  const manifests = hardenedWorkload(args);
  const resources: pulumi.CustomResource[] = [];
  let account: pulumi.CustomResource | undefined;
  for (const object of manifests) {
    // The pods' ServiceAccount first: the controller cannot create pods that name a missing one.
    const own = object.kind === "ServiceAccount" || account === undefined ? waitFor : [...waitFor, account];
    const child = childResource(childName(name, object), object, {
      parent,
      dependsOn: dependsOn(opts?.dependsOn, own),
    });
    if (object.kind === "ServiceAccount") account = child;
    resources.push(child);
  }
  const nameOf = (kind: string): pulumi.Output<string> | undefined => {
    const i = manifests.findIndex((m) => m.kind === kind);
    const r = resources[i] as unknown as { metadata: pulumi.Output<{ name: string }> } | undefined;
    return i < 0 || r === undefined ? undefined : r.metadata.apply((m) => m.name);
  };
  return {
    serviceAccountName: nameOf("ServiceAccount") as pulumi.Output<string>,
    serviceName: nameOf("Service"),
    manifests,
    resources,
  };
}

export class HardenedWorkload extends pulumi.ComponentResource {
  /** The ServiceAccount's name, resolved once it exists. */
  readonly serviceAccountName: pulumi.Output<string>;
  /** The Service's name, when the workload declares ports. */
  readonly serviceName: pulumi.Output<string> | undefined;
  /** The namespace the workload runs in. */
  readonly namespace: string;
  /** The plain objects the component deploys (the builder's output). */
  readonly manifests: readonly Manifest[];
  /** The child resources, in manifest order. */
  readonly resources: readonly pulumi.CustomResource[];

  constructor(name: string, args: HardenedWorkloadArgs, opts?: pulumi.ComponentResourceOptions) {
    super("palisade:index:HardenedWorkload", name, {}, opts);
    const built = builderArgs(args);
    this.namespace = built.namespace;
    const waitFor = args.namespace instanceof SecureNamespace ? [args.namespace] : [];
    const parts = hardenedWorkloadChildren(this, name, built, waitFor, opts);
    this.manifests = parts.manifests;
    this.resources = parts.resources;
    this.serviceAccountName = parts.serviceAccountName;
    this.serviceName = parts.serviceName;
    this.registerOutputs({ serviceAccountName: this.serviceAccountName, serviceName: this.serviceName });
  }
}
