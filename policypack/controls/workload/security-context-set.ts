import { isRecord, join } from "../../engine/access";
import { POD_KINDS } from "../../engine/pod";
import type { Violation } from "../../engine/types";
import { resourceControl } from "../define";

/** The deprecated per-container AppArmor annotation, which the API server syncs into the field. */
const APPARMOR_ANNOTATION_PREFIX = "container.apparmor.security.beta.kubernetes.io/";

/** A securityContext counts when it is a mapping with at least one field actually set. */
function nonEmpty(value: unknown): boolean {
  return isRecord(value) && Object.values(value).some((v) => v !== undefined && v !== null);
}

/**
 * CIS 5.7.3's umbrella: the pod and every container (init, regular, ephemeral) carry an explicit,
 * non-empty securityContext, so the hardening is stated in the manifest rather than left to
 * runtime defaults. What the fields must hold is checked by the POD-004…POD-025 controls.
 */
export const podSecurityContextSet = resourceControl({
  id: "pod-security-context-set",
  title: "Explicit pod and container securityContext",
  family: "workload",
  level: "hardened",
  severity: "low",
  references: {
    catalog: "POD-026",
    nsaCisa: "Kubernetes Pod security › Pod security enforcement",
    cis: "5.7.3",
  },
  remediation:
    "Set spec.securityContext (runAsNonRoot, seccompProfile, …) and a securityContext on every container (allowPrivilegeEscalation: false, capabilities.drop: [ALL], readOnlyRootFilesystem: true).",
  kinds: POD_KINDS,
  cel: {
    validations: [
      {
        expression: "has(variables.podSpec.securityContext) && size(variables.podSpec.securityContext) > 0",
        message: "pod must set a non-empty spec.securityContext",
      },
      {
        // On Pod creation the API server copies a container's AppArmor annotation into its
        // securityContext.appArmorProfile: such a copy does not make the manifest's context set.
        expression:
          "variables.ephemeralContainers.all(c, has(c.securityContext) && size(c.securityContext) > 0) && " +
          "(variables.initContainers + variables.regularContainers).all(c, has(c.securityContext) && c.securityContext.exists(k, k != 'appArmorProfile' || " +
          `object.kind != 'Pod' || !has(object.metadata.annotations) || !has(c.name) || !((${JSON.stringify(APPARMOR_ANNOTATION_PREFIX)} + c.name) in object.metadata.annotations)))`,
        message: "every container must set a non-empty securityContext",
      },
    ],
  },
  check(_object, ctx) {
    const pod = ctx.pod;
    if (pod === undefined) return [];
    const out: Violation[] = [];
    if (!nonEmpty(pod.spec["securityContext"])) {
      out.push({
        message: "pod must set a non-empty spec.securityContext",
        path: join(pod.specPath, "securityContext"),
      });
    }
    for (const c of pod.containers) {
      if (nonEmpty(c.container["securityContext"])) continue;
      out.push({
        message: `container ${JSON.stringify(c.name)} must set a non-empty securityContext`,
        path: join(c.path, "securityContext"),
      });
    }
    return out;
  },
});
