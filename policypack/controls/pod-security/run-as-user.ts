import type { Violation } from "../../engine/types";
import { POD_KINDS } from "../../engine/pod";
import { resourceControl } from "../define";
import { USER_NAMESPACE_CEL } from "./proc-mount";
import { containerLabel, containerSecurityPath, podSecurityPath, userNamespaceRelaxed } from "./psa";

/**
 * PSS Restricted `runAsUser` (policy 1.23; from 1.35 pods with spec.hostUsers=false pass).
 * Fields: spec.securityContext.runAsUser and ctr.securityContext.runAsUser. Allowed: unset or
 * any non-zero value.
 */
export const podRunAsUser = resourceControl({
  id: "pod-run-as-user",
  title: "runAsUser ≠ 0",
  family: "pod-security",
  level: "restricted",
  severity: "medium",
  references: {
    catalog: "POD-021",
    pss: "runAsUser (v1.23; hostUsers=false relaxation from v1.35)",
    nsaCisa: 'Kubernetes Pod security › "Non-root" containers and "rootless" container engines',
    cis: "5.2.7",
  },
  remediation: "Remove runAsUser: 0 from the pod and its containers; run as a dedicated non-zero UID (e.g. 10001).",
  kinds: POD_KINDS,
  minPolicyVersion: 23,
  cel: {
    validations: [
      {
        expression: `${USER_NAMESPACE_CEL} || !has(variables.podSpec.securityContext) || !has(variables.podSpec.securityContext.runAsUser) || variables.podSpec.securityContext.runAsUser != 0`,
        message: "pod must not set runAsUser=0",
      },
      {
        expression: `${USER_NAMESPACE_CEL} || variables.containers.all(c, !has(c.securityContext) || !has(c.securityContext.runAsUser) || c.securityContext.runAsUser != 0)`,
        message: "containers must not set runAsUser=0",
      },
    ],
  },
  check(_object, ctx) {
    const pod = ctx.pod;
    // Gated here as well: a runner that ignores minPolicyVersion (the CrossGuard pack) must not apply it early.
    if (pod === undefined || ctx.policyVersion < 23 || userNamespaceRelaxed(pod, ctx.policyVersion)) return [];
    const out: Violation[] = [];
    if (pod.securityContext["runAsUser"] === 0) {
      out.push({ message: "pod must not set runAsUser=0", path: podSecurityPath(pod, "runAsUser") });
    }
    for (const c of pod.containers) {
      if (c.securityContext["runAsUser"] !== 0) continue;
      out.push({
        message: `${containerLabel(c)} must not set runAsUser=0`,
        path: containerSecurityPath(c, "runAsUser"),
      });
    }
    return out;
  },
});
