import { rec, str } from "../../engine/access";
import type { ContainerView, PodView } from "../../engine/pod";
import type { KubeObject, Violation } from "../../engine/types";
import { POD_KINDS } from "../../engine/pod";
import { resourceControl } from "../define";
import { editPod } from "../fix";
import { containerLabel, containerSecurityPath, userNamespaceRelaxed } from "./psa";

/** CEL: no container sets securityContext.procMount to anything but "Default" (procMount_1_0). */
export const PROC_MOUNT_DEFAULT_CEL =
  "variables.containers.all(c, !has(c.securityContext) || !has(c.securityContext.procMount) || c.securityContext.procMount == 'Default')";

/**
 * CEL: spec.hostUsers is false, i.e. the pod runs in a user namespace (inUserNamespace). At the
 * newest policy version PSA relaxes runAsNonRoot, runAsUser and Baseline procMount for such pods
 * (userNamespaceRelaxed).
 */
export const USER_NAMESPACE_CEL = "(has(variables.podSpec.hostUsers) && variables.podSpec.hostUsers == false)";

/** procMount_1_0: any container procMount other than "Default" (an exact compare). */
export function procMountViolations(pod: PodView): Violation[] {
  return pod.containers
    .filter((c: ContainerView) => {
      const value = c.securityContext["procMount"];
      return value !== undefined && value !== null && value !== "Default";
    })
    .map((c) => ({
      message: `${containerLabel(c)} must not set securityContext.procMount to ${JSON.stringify(str(c.securityContext["procMount"]) ?? "")}`,
      path: containerSecurityPath(c, "procMount"),
    }));
}

/** Sets every non-Default procMount back to Default (the masked /proc). */
export function fixProcMount(object: KubeObject): KubeObject {
  return editPod(object, (p) => {
    for (const c of p.containers) {
      const sc = rec(c["securityContext"]);
      const value = sc?.["procMount"];
      if (sc !== undefined && value !== undefined && value !== null && value !== "Default") sc["procMount"] = "Default";
    }
  });
}

/**
 * PSS Baseline `procMount` (policy 1.0; 1.35 allows any value for pods with spec.hostUsers=false,
 * whose /proc belongs to their own user namespace). At Restricted from 1.35 it is replaced by
 * `procMount_restricted` (pod-proc-mount-restricted), which never relaxes.
 * Restricted field: ctr.securityContext.procMount. Allowed values: unset, "Default".
 */
export const podProcMount = resourceControl({
  id: "pod-proc-mount",
  title: "Default /proc mount",
  family: "pod-security",
  level: "baseline",
  severity: "high",
  references: {
    catalog: "POD-014",
    pss: "procMount (v1.0; hostUsers=false relaxation from v1.35)",
    nsaCisa: "Kubernetes Pod security › Pod security enforcement",
  },
  remediation: "Remove securityContext.procMount or set it to Default, so /proc keeps its masked paths.",
  kinds: POD_KINDS,
  minPolicyVersion: 0,
  cel: { validations: [{ expression: `${USER_NAMESPACE_CEL} || ${PROC_MOUNT_DEFAULT_CEL}` }] },
  check(_object, ctx) {
    const pod = ctx.pod;
    if (pod === undefined || userNamespaceRelaxed(pod, ctx.policyVersion)) return [];
    return procMountViolations(pod);
  },
  fix: fixProcMount,
});
