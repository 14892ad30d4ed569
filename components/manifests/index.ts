/**
 * Pure builders: arguments in, plain Kubernetes objects out. The Pulumi and cdk8s components
 * wrap these, so both emit exactly the same manifests.
 */
export * from "./types";
export { ArgumentError } from "./validate";
export { METADATA_ADDRESSES, DEFAULT_DNS, type DnsTarget } from "./network";
export {
  PRESET_RULES,
  ROLE_PRESETS,
  presetRoleName,
  type AccessGrant,
  type CustomRoleArgs,
  type CustomRoleExemption,
  type PolicyRuleArgs,
  type RolePreset,
} from "./rbac";
export {
  secureNamespace,
  DEFAULT_LIMIT_RANGE,
  DEFAULT_PSA_VERSION,
  DEFAULT_QUOTA,
  POLICY_NAMES,
  SYSTEM_PRIORITY_CLASSES,
  type ContainerResources,
  type LimitRangeArgs,
  type LoweredPodSecurity,
  type LoweredPodSecurityLevel,
  type PodSecurityArgs,
  type ResourceQuotaArgs,
  type SecureNamespaceArgs,
} from "./secure-namespace";
export {
  hardenedWorkload,
  DEFAULT_ID,
  DEFAULT_RESOURCES,
  DEFAULT_TMP_SIZE,
  type ContainerPortArgs,
  type DisruptionBudgetArgs,
  type HardenedWorkloadArgs,
  type ProbeArgs,
  type ProbesArgs,
  type ResourceArgs,
  type RunAsArgs,
  type VolumeArgs,
  type VolumeClaimArgs,
  type WorkloadResources,
} from "./hardened-workload";
