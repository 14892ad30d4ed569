import type { Violation } from "../../engine/types";
import { POD_KINDS } from "../../engine/pod";
import { resourceControl } from "../define";
import { containerLabel, containerSecurityPath, isSet, isWindowsPod, windowsExempt } from "./psa";
import { WINDOWS_POD_CEL } from "./allow-privilege-escalation";
import { explicitSeccompViolations, fixSeccompFields, SECCOMP_CEL_VARIABLES, validSeccomp } from "./seccomp-baseline";

/**
 * PSS Restricted `seccompProfile_restricted` (policy 1.19, OverrideCheckIDs: seccompProfile_baseline;
 * 1.25 exempts pods with spec.os.name=windows).
 * Every container must end up with RuntimeDefault or Localhost: set on the container, or left unset
 * under a valid pod-level profile. An explicit disallowed value fails wherever it is set, even
 * under a valid pod-level profile.
 */
export const podSeccompRestricted = resourceControl({
  id: "pod-seccomp-restricted",
  title: "Seccomp RuntimeDefault or Localhost required",
  family: "pod-security",
  level: "restricted",
  severity: "medium",
  references: {
    catalog: "POD-022",
    pss: "seccompProfile_restricted (v1.19; Windows exemption v1.25)",
    nsaCisa: "Kubernetes Pod security › Pod security enforcement",
    cis: "5.7.2",
  },
  remediation:
    "Set spec.securityContext.seccompProfile.type: RuntimeDefault (or Localhost) and remove Unconfined profiles from containers.",
  kinds: POD_KINDS,
  overrides: ["pod-seccomp-baseline"],
  minPolicyVersion: 19,
  cel: {
    variables: SECCOMP_CEL_VARIABLES,
    validations: [
      {
        expression: `${WINDOWS_POD_CEL} || variables.noDisallowedSeccomp`,
        message: "seccompProfile.type must be RuntimeDefault or Localhost where it is set",
      },
      {
        expression: `${WINDOWS_POD_CEL} || variables.podSeccompValid || variables.containers.all(c, has(c.securityContext) && has(c.securityContext.seccompProfile))`,
        message: 'the pod or every container must set seccompProfile.type to "RuntimeDefault" or "Localhost"',
      },
    ],
  },
  check(_object, ctx) {
    const pod = ctx.pod;
    // Gated here as well: a runner that ignores minPolicyVersion (the CrossGuard pack) must not apply it early.
    if (pod === undefined || ctx.policyVersion < 19 || windowsExempt(pod, ctx.policyVersion)) return [];
    const out: Violation[] = explicitSeccompViolations(pod);
    if (validSeccomp(pod.securityContext["seccompProfile"])) return out;
    for (const c of pod.containers) {
      if (isSet(c.securityContext["seccompProfile"])) continue;
      out.push({
        message: `pod or ${containerLabel(c)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`,
        path: containerSecurityPath(c, "seccompProfile", "type"),
      });
    }
    return out;
  },
  fix(object, ctx) {
    const pod = ctx.pod;
    if (pod === undefined || windowsExempt(pod, ctx.policyVersion)) return object;
    // Before 1.25 a Windows pod is not exempt, yet it may not carry a seccomp field: no valid fix.
    return fixSeccompFields(object, isWindowsPod(pod));
  },
});
