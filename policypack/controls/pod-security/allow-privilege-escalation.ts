import { rec, strings } from "../../engine/access";
import { POD_KINDS } from "../../engine/pod";
import { resourceControl } from "../define";
import { editPod } from "../fix";
import { containerLabel, containerSecurityPath, isWindowsPod, windowsExempt } from "./psa";

/**
 * CEL: the pod sets spec.os.name to exactly "windows" (isWindowsPod). At the newest policy version
 * PSA exempts such pods from allowPrivilegeEscalation, capabilities_restricted and
 * seccompProfile_restricted (windowsExempt).
 */
export const WINDOWS_POD_CEL =
  "(has(variables.podSpec.os) && has(variables.podSpec.os.name) && variables.podSpec.os.name == 'windows')";

/**
 * PSS Restricted `allowPrivilegeEscalation` (policy 1.8, when the field appeared; 1.25 exempts
 * pods with spec.os.name=windows).
 * Restricted field: ctr.securityContext.allowPrivilegeEscalation. Allowed value: false, set
 * explicitly (unset means true for a Linux container).
 */
export const podAllowPrivilegeEscalation = resourceControl({
  id: "pod-allow-privilege-escalation",
  title: "allowPrivilegeEscalation=false",
  family: "pod-security",
  level: "restricted",
  severity: "medium",
  references: {
    catalog: "POD-019",
    pss: "allowPrivilegeEscalation (v1.8; Windows exemption v1.25)",
    nsaCisa: "Kubernetes Pod security › Pod security enforcement",
    cis: "5.2.6",
  },
  remediation: "Set securityContext.allowPrivilegeEscalation: false on every container, init and ephemeral container.",
  kinds: POD_KINDS,
  minPolicyVersion: 8,
  cel: {
    validations: [
      {
        expression: `${WINDOWS_POD_CEL} || variables.containers.all(c, has(c.securityContext) && has(c.securityContext.allowPrivilegeEscalation) && c.securityContext.allowPrivilegeEscalation == false)`,
      },
    ],
  },
  check(_object, ctx) {
    const pod = ctx.pod;
    // Gated here as well: a runner that ignores minPolicyVersion (the CrossGuard pack) must not apply it early.
    if (pod === undefined || ctx.policyVersion < 8 || windowsExempt(pod, ctx.policyVersion)) return [];
    return pod.containers
      .filter((c) => c.securityContext["allowPrivilegeEscalation"] !== false)
      .map((c) => ({
        message: `${containerLabel(c)} must set securityContext.allowPrivilegeEscalation=false`,
        path: containerSecurityPath(c, "allowPrivilegeEscalation"),
      }));
  },
  fix(object, ctx) {
    // Windows pods may not carry the field at all (API validation).
    if (ctx.pod === undefined || isWindowsPod(ctx.pod)) return object;
    return editPod(object, (p) => {
      for (const c of p.containers) {
        const sc = rec(c["securityContext"]);
        // API validation rejects allowPrivilegeEscalation=false beside privileged or CAP_SYS_ADMIN:
        // those containers need a human decision, not a fix that makes the object invalid.
        if (sc?.["privileged"] === true) continue;
        if (strings(rec(sc?.["capabilities"])?.["add"]).some((cap) => cap === "SYS_ADMIN" || cap === "CAP_SYS_ADMIN"))
          continue;
        p.securityContextOf(c)["allowPrivilegeEscalation"] = false;
      }
    });
  },
});
