/**
 * SecureNamespace and HardenedWorkload as the Pulumi package `palisade` declares them
 * (`palisade:index:SecureNamespace`, `palisade:index:HardenedWorkload`), for programs in any
 * Pulumi language: components/pulumi/provider.ts serves them through @pulumi/pulumi's component
 * provider host, which infers the package schema from these classes and ./package-args.
 *
 * They build exactly the children of the TypeScript components (the same shared functions), so
 * a YAML program renders the manifests a TypeScript program renders for the same arguments.
 * The differences are in what the package can express: `namespace` is a name (a SecureNamespace
 * of another program cannot be passed; give `tenant` and a `dependsOn` instead), and the outputs
 * are the names only (not the manifests or child resources).
 */
import * as pulumi from "@pulumi/pulumi";
import type * as Package from "./package-args";

/**
 * How the components build their children: secureNamespaceChildren and hardenedWorkloadChildren
 * of ./secure-namespace.ts and ./hardened-workload.ts, handed over by ./package-schema.ts. This
 * file does not import them because the schema inference compiles this file and everything it
 * imports: the builders would bring the whole catalog and @pulumi/kubernetes' types with them
 * (20 s instead of a few at every start of the plugin).
 */
export interface ChildBuilders {
  secureNamespace(
    parent: pulumi.ComponentResource,
    name: string,
    args: object,
    opts?: pulumi.ComponentResourceOptions,
  ): { namespaceName: pulumi.Output<string>; serviceAccountNames: pulumi.Output<string[]>; tenant: string };
  hardenedWorkload(
    parent: pulumi.ComponentResource,
    name: string,
    args: object & { namespace: string },
    opts?: pulumi.ComponentResourceOptions,
  ): { serviceAccountName: pulumi.Output<string>; serviceName: pulumi.Output<string> | undefined };
}

let builders: ChildBuilders | undefined;

/** Sets the child builders (./package-schema.ts does, before serving). */
export function useChildBuilders(b: ChildBuilders): void {
  builders = b;
}

function childBuilders(): ChildBuilders {
  if (builders === undefined) throw new Error("palisade: the package's child builders are not set (useChildBuilders)");
  return builders;
}

/**
 * The package's arguments as the builder's. The builders validate every field, so only what the
 * schema cannot say is checked here: arguments must be values, not other resources' outputs
 * (the components validate and run the catalog when constructed, as in TypeScript).
 */
function plainArgs<T extends object>(component: string, args: object): T {
  for (const [key, value] of Object.entries(args ?? {})) {
    if (pulumi.Output.isInstance(value))
      throw new Error(
        `${component}: argument ${key} must be a value known when the program runs, not another resource's output ` +
          "(the component validates its arguments and checks the catalog when it is constructed)",
      );
  }
  return args as T;
}

/**
 * A tenant namespace hardened by construction: the Namespace with Pod Security Admission labels,
 * a default-deny NetworkPolicy with scoped DNS egress and explicit allowances, a ResourceQuota, a
 * LimitRange, ServiceAccounts without token automount, and Roles bound by RoleBindings.
 */
export class SecureNamespace extends pulumi.ComponentResource {
  /** The namespace name, resolved once the Namespace is created. */
  readonly namespaceName: pulumi.Output<string>;
  /** Names of the ServiceAccounts declared (default first), resolved once they exist. */
  readonly serviceAccountNames: pulumi.Output<string[]>;
  /** The tenant label value the namespace's allowances select. */
  readonly tenant: string;

  constructor(name: string, args: Package.SecureNamespaceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("palisade:index:SecureNamespace", name, {}, opts);
    const parts = childBuilders().secureNamespace(this, name, plainArgs("SecureNamespace", args), opts);
    this.namespaceName = parts.namespaceName;
    this.serviceAccountNames = parts.serviceAccountNames;
    this.tenant = parts.tenant;
    this.registerOutputs({
      namespaceName: this.namespaceName,
      serviceAccountNames: this.serviceAccountNames,
      tenant: this.tenant,
    });
  }
}

/**
 * One application hardened by construction: a Deployment (or StatefulSet) under the restricted
 * Pod Security Standard and the hardened extras, its own ServiceAccount without token automount,
 * a ClusterIP Service, a NetworkPolicy admitting only the declared sources, and a
 * PodDisruptionBudget when it runs more than one replica.
 */
export class HardenedWorkload extends pulumi.ComponentResource {
  /** The ServiceAccount's name, resolved once it exists. */
  readonly serviceAccountName: pulumi.Output<string>;
  /** The Service's name, when the workload declares ports. */
  readonly serviceName: pulumi.Output<string> | undefined;
  /** The namespace the workload runs in. */
  readonly namespace: string;

  constructor(name: string, args: Package.HardenedWorkloadArgs, opts?: pulumi.ComponentResourceOptions) {
    super("palisade:index:HardenedWorkload", name, {}, opts);
    const built = plainArgs<Package.HardenedWorkloadArgs>("HardenedWorkload", args);
    const parts = childBuilders().hardenedWorkload(this, name, built, opts);
    this.serviceAccountName = parts.serviceAccountName;
    this.serviceName = parts.serviceName;
    this.namespace = built.namespace;
    this.registerOutputs({
      serviceAccountName: this.serviceAccountName,
      serviceName: this.serviceName,
      namespace: this.namespace,
    });
  }
}
