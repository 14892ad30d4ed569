/**
 * HardenedWorkload: the cdk8s construct over hardenedWorkload(props). `namespace` may be a
 * SecureNamespace construct: its name and tenant are used, and its objects synthesize first.
 */
import type { ApiObject } from "cdk8s";
import { Construct } from "constructs";
import { hardenedWorkload, type HardenedWorkloadArgs } from "../manifests/hardened-workload";
import type { Manifest } from "../manifests/types";
import { addObjects } from "./objects";
import { SecureNamespace } from "./secure-namespace";

/** Props of the HardenedWorkload construct: the builder's, `namespace` also a SecureNamespace. */
export interface HardenedWorkloadProps extends Omit<HardenedWorkloadArgs, "namespace"> {
  /**
   * Namespace to run in: a name, or a SecureNamespace (its name and tenant are used).
   */
  readonly namespace: string | SecureNamespace;
}

/** The builder arguments the props stand for. */
export function builderProps(props: HardenedWorkloadProps): HardenedWorkloadArgs {
  if (!(props.namespace instanceof SecureNamespace)) return props as HardenedWorkloadArgs;
  return { ...props, namespace: props.namespace.namespaceName, tenant: props.tenant ?? props.namespace.tenant };
}

export class HardenedWorkload extends Construct {
  /** The namespace the workload runs in. */
  readonly namespace: string;
  /** The dedicated ServiceAccount's name. */
  readonly serviceAccountName: string;
  /** The Service's name, when ports are declared. */
  readonly serviceName: string | undefined;
  /** The plain objects (the builder's output). */
  readonly manifests: readonly Manifest[];
  /** The ApiObjects, in manifest order. */
  readonly apiObjects: readonly ApiObject[];

  constructor(scope: Construct, id: string, props: HardenedWorkloadProps) {
    super(scope, id);
    const args = builderProps(props);
    const manifests = hardenedWorkload(args);
    this.manifests = manifests;
    this.namespace = args.namespace;
    this.serviceAccountName = manifests.find((m) => m.kind === "ServiceAccount")?.metadata.name as string;
    this.serviceName = manifests.find((m) => m.kind === "Service")?.metadata.name;
    const objects = addObjects(this, manifests);
    if (props.namespace instanceof SecureNamespace) for (const o of objects) o.addDependency(props.namespace);
    this.apiObjects = objects;
  }
}
