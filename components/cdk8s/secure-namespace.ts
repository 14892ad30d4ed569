/**
 * SecureNamespace: the cdk8s construct over secureNamespace(props), emitting the builder's
 * objects as ApiObjects, unchanged (a test proves the synthesized manifests equal the builder's).
 */
import type { ApiObject } from "cdk8s";
import { Construct } from "constructs";
import { secureNamespace, type SecureNamespaceArgs } from "../manifests/secure-namespace";
import type { Manifest } from "../manifests/types";
import { addObjects } from "./objects";

/** Props of the SecureNamespace construct: the builder's arguments. */
export type SecureNamespaceProps = SecureNamespaceArgs;

export class SecureNamespace extends Construct {
  /** The namespace name. */
  readonly namespaceName: string;
  /** The tenant label value the namespace's allowances select. */
  readonly tenant: string;
  /** Names of the ServiceAccounts declared (default first). */
  readonly serviceAccountNames: readonly string[];
  /** The plain objects (the builder's output). */
  readonly manifests: readonly Manifest[];
  /** The ApiObjects, in manifest order. */
  readonly apiObjects: readonly ApiObject[];

  constructor(scope: Construct, id: string, props: SecureNamespaceProps) {
    super(scope, id);
    const manifests = secureNamespace(props);
    const namespace = manifests[0] as Manifest;
    this.manifests = manifests;
    this.namespaceName = namespace.metadata.name;
    this.tenant = namespace.metadata.labels["palisade.dev/tenant"] ?? this.namespaceName;
    this.serviceAccountNames = manifests.filter((m) => m.kind === "ServiceAccount").map((m) => m.metadata.name);
    const objects = addObjects(this, manifests);
    // The Namespace first: everything else lives in it.
    const [first, ...rest] = objects;
    for (const o of rest) if (first !== undefined) o.addDependency(first);
    this.apiObjects = objects;
  }
}
