/** cdk8s constructs (thin adapters over components/manifests) and the synth validation plugin. */
export { SecureNamespace, type SecureNamespaceProps } from "./secure-namespace";
export { HardenedWorkload, builderProps, type HardenedWorkloadProps } from "./hardened-workload";
export { PalisadeValidation, type PalisadeValidationProperties } from "./validation-plugin";
