import { rec } from "../../engine/access";
import { POD_KINDS } from "../../engine/pod";
import { resourceControl } from "../define";
import { editPod } from "../fix";
import { containerLabel, containerSecurityPath } from "./psa";

/**
 * PSS Baseline `privileged` (policy 1.0).
 * Restricted fields: ctr.securityContext.privileged (init, regular and ephemeral containers).
 * Allowed values: unset, false.
 */
export const podPrivileged = resourceControl({
  id: "pod-privileged",
  title: "No privileged containers",
  family: "pod-security",
  level: "baseline",
  severity: "critical",
  references: {
    catalog: "POD-004",
    pss: "privileged (v1.0)",
    nsaCisa: "Kubernetes Pod security › Pod security enforcement",
    cis: "5.2.2",
  },
  remediation:
    "Remove securityContext.privileged or set it to false; grant the one capability or device the container needs instead.",
  kinds: POD_KINDS,
  minPolicyVersion: 0,
  cel: {
    validations: [
      {
        expression:
          "variables.containers.all(c, !has(c.securityContext) || !has(c.securityContext.privileged) || c.securityContext.privileged != true)",
      },
    ],
  },
  check(_object, ctx) {
    const pod = ctx.pod;
    if (pod === undefined) return [];
    return pod.containers
      .filter((c) => c.securityContext["privileged"] === true)
      .map((c) => ({
        message: `${containerLabel(c)} must not set securityContext.privileged=true`,
        path: containerSecurityPath(c, "privileged"),
      }));
  },
  fix(object) {
    return editPod(object, (p) => {
      for (const c of p.containers) {
        const sc = rec(c["securityContext"]);
        if (sc !== undefined && sc["privileged"] === true) sc["privileged"] = false;
      }
    });
  },
});
