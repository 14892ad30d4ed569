import { POD_KINDS } from "../../engine/pod";
import { resourceControl } from "../define";
import { fixProcMount, PROC_MOUNT_DEFAULT_CEL, procMountViolations } from "./proc-mount";

/**
 * PSS Restricted `procMount_restricted` (policy 1.35, OverrideCheckIDs: procMount): from the
 * version at which Baseline relaxes procMount for user-namespaced pods, Restricted keeps the
 * unconditional 1.0 rule in its place. Before 1.35 the Baseline check already covers Restricted.
 * Restricted field: ctr.securityContext.procMount. Allowed values: unset, "Default".
 * It replaces pod-proc-mount, so it keeps that control's severity (high).
 */
export const podProcMountRestricted = resourceControl({
  id: "pod-proc-mount-restricted",
  title: "Default /proc mount, also in user namespaces",
  family: "pod-security",
  level: "restricted",
  severity: "high",
  references: {
    catalog: "POD-014",
    pss: "procMount_restricted (v1.35)",
    nsaCisa: "Kubernetes Pod security › Pod security enforcement",
  },
  remediation:
    "Remove securityContext.procMount or set it to Default; Restricted forbids Unmasked even with hostUsers: false.",
  kinds: POD_KINDS,
  overrides: ["pod-proc-mount"],
  minPolicyVersion: 35,
  cel: { validations: [{ expression: PROC_MOUNT_DEFAULT_CEL }] },
  check(_object, ctx) {
    // Gated here as well: a runner that ignores minPolicyVersion (the CrossGuard pack) must not apply it early.
    return ctx.pod === undefined || ctx.policyVersion < 35 ? [] : procMountViolations(ctx.pod);
  },
  fix: fixProcMount,
});
