import { rec } from "../../engine/access";
import type { Violation } from "../../engine/types";
import { POD_KINDS } from "../../engine/pod";
import { resourceControl } from "../define";
import { editPod } from "../fix";
import { USER_NAMESPACE_CEL } from "./proc-mount";
import { containerLabel, containerSecurityPath, isSet, podSecurityPath, userNamespaceRelaxed } from "./psa";

/**
 * PSS Restricted `runAsNonRoot` (policy 1.0; from 1.35 pods with spec.hostUsers=false pass, root in
 * a user namespace being unprivileged on the node). Not Windows-exempt.
 * Fields: spec.securityContext.runAsNonRoot and ctr.securityContext.runAsNonRoot. Allowed: true;
 * a container may leave it unset under a pod-level true; an explicit false fails anywhere.
 * runAsUser > 0 alone does not satisfy it.
 */
export const podRunAsNonRoot = resourceControl({
  id: "pod-run-as-non-root",
  title: "runAsNonRoot=true",
  family: "pod-security",
  level: "restricted",
  severity: "medium",
  references: {
    catalog: "POD-020",
    pss: "runAsNonRoot (v1.0; hostUsers=false relaxation from v1.35)",
    nsaCisa: 'Kubernetes Pod security › "Non-root" containers and "rootless" container engines',
    cis: "5.2.7",
  },
  remediation:
    "Set spec.securityContext.runAsNonRoot: true (and a non-zero runAsUser, or an image whose USER is numeric and non-root); remove runAsNonRoot: false from containers.",
  kinds: POD_KINDS,
  minPolicyVersion: 0,
  cel: {
    variables: [
      {
        name: "podRunAsNonRootSet",
        expression: "has(variables.podSpec.securityContext) && has(variables.podSpec.securityContext.runAsNonRoot)",
      },
      {
        name: "podRunAsNonRoot",
        expression: "variables.podRunAsNonRootSet && variables.podSpec.securityContext.runAsNonRoot == true",
      },
    ],
    validations: [
      {
        expression: `${USER_NAMESPACE_CEL} || !variables.podRunAsNonRootSet || variables.podSpec.securityContext.runAsNonRoot != false`,
        message: "pod must not set securityContext.runAsNonRoot=false",
      },
      {
        expression: `${USER_NAMESPACE_CEL} || variables.containers.all(c, has(c.securityContext) && has(c.securityContext.runAsNonRoot) ? c.securityContext.runAsNonRoot == true : variables.podRunAsNonRoot)`,
        message: "every container must run with securityContext.runAsNonRoot=true (its own, or the pod's)",
      },
    ],
  },
  check(_object, ctx) {
    const pod = ctx.pod;
    if (pod === undefined || userNamespaceRelaxed(pod, ctx.policyVersion)) return [];
    const out: Violation[] = [];
    const podValue = pod.securityContext["runAsNonRoot"];
    if (podValue === false) {
      out.push({
        message: "pod must not set securityContext.runAsNonRoot=false",
        path: podSecurityPath(pod, "runAsNonRoot"),
      });
    }
    for (const c of pod.containers) {
      const value = c.securityContext["runAsNonRoot"];
      if (value === false) {
        out.push({
          message: `${containerLabel(c)} must not set securityContext.runAsNonRoot=false`,
          path: containerSecurityPath(c, "runAsNonRoot"),
        });
      } else if (!isSet(value) && podValue !== true) {
        out.push({
          message: `pod or ${containerLabel(c)} must set securityContext.runAsNonRoot=true`,
          path: containerSecurityPath(c, "runAsNonRoot"),
        });
      }
    }
    return out;
  },
  fix(object) {
    return editPod(object, (p) => {
      p.podSecurityContext()["runAsNonRoot"] = true;
      for (const c of p.containers) {
        const sc = rec(c["securityContext"]);
        if (sc !== undefined && sc["runAsNonRoot"] === false) delete sc["runAsNonRoot"];
      }
    });
  },
});
