import type { Control } from "../../engine/control";
import { namespaceLimitRange } from "./limit-range";
import { namespaceNotDefault } from "./not-default";
import { namespaceNotSystem } from "./not-system";
import { namespacePrivilegedAllowlist } from "./privileged-allowlist";
import { namespacePsaDeclared } from "./psa-declared";
import { namespacePsaAuditWarn } from "./psa-audit-warn";
import { namespacePsaLabels } from "./psa-labels";
import { namespacePsaNoDowngrade } from "./psa-no-downgrade";
import { namespaceResourceQuota } from "./resource-quota";
import { namespaceTenantBoundary } from "./tenant-boundary";
import { upgradeReadiness } from "./upgrade-readiness";

/** The namespace family, in catalog order. */
export const namespaceControls: readonly Control[] = [
  namespaceNotDefault,
  namespaceNotSystem,
  namespaceTenantBoundary,
  namespacePsaLabels,
  namespacePsaAuditWarn,
  namespacePsaDeclared,
  namespacePrivilegedAllowlist,
  namespacePsaNoDowngrade,
  namespaceResourceQuota,
  namespaceLimitRange,
  upgradeReadiness,
];
