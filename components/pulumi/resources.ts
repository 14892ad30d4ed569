/**
 * One typed @pulumi/kubernetes resource per plain object the builders emit, so CrossGuard's
 * resource policies see each object under its own type token (a yaml/v2 ConfigGroup would reach
 * them as children too, but typed resources also give typed outputs and await logic).
 */
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { Manifest } from "../manifests/types";

type Factory = (name: string, object: Manifest, opts: pulumi.CustomResourceOptions) => pulumi.CustomResource;

/** The builders' objects are the resources' argument shapes, field for field. */
function as<T>(object: Manifest): T {
  return object as unknown as T;
}

const FACTORIES: Readonly<Record<string, Factory>> = {
  "v1/Namespace": (n, o, opts) => new k8s.core.v1.Namespace(n, as<k8s.core.v1.NamespaceArgs>(o), opts),
  "v1/ServiceAccount": (n, o, opts) => new k8s.core.v1.ServiceAccount(n, as<k8s.core.v1.ServiceAccountArgs>(o), opts),
  "v1/Service": (n, o, opts) => new k8s.core.v1.Service(n, as<k8s.core.v1.ServiceArgs>(o), opts),
  "v1/ResourceQuota": (n, o, opts) => new k8s.core.v1.ResourceQuota(n, as<k8s.core.v1.ResourceQuotaArgs>(o), opts),
  "v1/LimitRange": (n, o, opts) => new k8s.core.v1.LimitRange(n, as<k8s.core.v1.LimitRangeArgs>(o), opts),
  "networking.k8s.io/v1/NetworkPolicy": (n, o, opts) =>
    new k8s.networking.v1.NetworkPolicy(n, as<k8s.networking.v1.NetworkPolicyArgs>(o), opts),
  "rbac.authorization.k8s.io/v1/Role": (n, o, opts) => new k8s.rbac.v1.Role(n, as<k8s.rbac.v1.RoleArgs>(o), opts),
  "rbac.authorization.k8s.io/v1/RoleBinding": (n, o, opts) =>
    new k8s.rbac.v1.RoleBinding(n, as<k8s.rbac.v1.RoleBindingArgs>(o), opts),
  "apps/v1/Deployment": (n, o, opts) => new k8s.apps.v1.Deployment(n, as<k8s.apps.v1.DeploymentArgs>(o), opts),
  "apps/v1/StatefulSet": (n, o, opts) => new k8s.apps.v1.StatefulSet(n, as<k8s.apps.v1.StatefulSetArgs>(o), opts),
  "policy/v1/PodDisruptionBudget": (n, o, opts) =>
    new k8s.policy.v1.PodDisruptionBudget(n, as<k8s.policy.v1.PodDisruptionBudgetArgs>(o), opts),
};

/**
 * Every namespace already has a `default` ServiceAccount, created by the controller as soon as
 * the Namespace exists: since provider 4.29 a create of an existing object fails, so it is
 * patched (server-side apply) rather than created. Its fields are the builder's, unchanged.
 */
export function isExistingObject(object: Manifest): boolean {
  return object.kind === "ServiceAccount" && object.metadata.name === "default";
}

/** The Pulumi resource name of a child: unique per component and per object. */
export function childName(component: string, object: Manifest): string {
  return `${component}-${object.kind.toLowerCase()}-${object.metadata.name}`;
}

/** Creates the typed resource for one builder object. */
export function childResource(
  name: string,
  object: Manifest,
  opts: pulumi.CustomResourceOptions,
): pulumi.CustomResource {
  if (isExistingObject(object))
    return new k8s.core.v1.ServiceAccountPatch(name, as<k8s.core.v1.ServiceAccountPatchArgs>(object), opts);
  const factory = FACTORIES[`${object.apiVersion}/${object.kind}`];
  if (factory === undefined) throw new Error(`no @pulumi/kubernetes resource for ${object.apiVersion} ${object.kind}`);
  return factory(name, object, opts);
}

/**
 * A child's dependsOn: the component's own (Pulumi does not pass a component's dependsOn on to
 * its children) plus the child's. Any Input form nests: the engine gathers arrays, promises and
 * outputs recursively.
 */
export function dependsOn(
  inherited: pulumi.ResourceOptions["dependsOn"],
  own: readonly pulumi.Resource[],
): pulumi.Input<pulumi.Resource>[] | undefined {
  const out = [...(inherited !== undefined ? [inherited as pulumi.Input<pulumi.Resource>] : []), ...own];
  return out.length > 0 ? out : undefined;
}
