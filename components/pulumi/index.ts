/** Pulumi components: thin adapters over the pure builders of components/manifests. */
export { SecureNamespace, type SecureNamespaceArgs } from "./secure-namespace";
export { HardenedWorkload, builderArgs, type HardenedWorkloadArgs } from "./hardened-workload";
export { childName } from "./resources";
