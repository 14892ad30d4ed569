import { arr, join, num } from "../../engine/access";
import { POD_KINDS } from "../../engine/pod";
import type { Violation } from "../../engine/types";
import { resourceControl } from "../define";

/**
 * No process runs with the root group: runAsGroup (pod and every container), every
 * supplementalGroups entry and fsGroup must not be 0. Unset is allowed (that was the wording of
 * the old optional PSS control; PSA never shipped it): the image's group then applies, which
 * pod-high-uid-gid pins down for those who want it.
 */
export const podNonRootGroups = resourceControl({
  id: "pod-non-root-groups",
  title: "Non-root primary, supplementary and fs groups",
  family: "workload",
  level: "hardened",
  severity: "medium",
  references: {
    catalog: "POD-025",
    nsaCisa: "Kubernetes Pod security › Pod security enforcement",
  },
  remediation:
    "Set runAsGroup, fsGroup and supplementalGroups to non-zero group ids (e.g. 10001) in spec.securityContext and do not override runAsGroup with 0 in any container.",
  kinds: POD_KINDS,
  cel: {
    variables: [
      {
        name: "podSecurityContext",
        expression: "has(variables.podSpec.securityContext) ? variables.podSpec.securityContext : {}",
      },
    ],
    validations: [
      {
        expression: "!has(variables.podSecurityContext.runAsGroup) || variables.podSecurityContext.runAsGroup != 0",
        message: "pod must not set securityContext.runAsGroup=0",
      },
      {
        expression: "!has(variables.podSecurityContext.fsGroup) || variables.podSecurityContext.fsGroup != 0",
        message: "pod must not set securityContext.fsGroup=0",
      },
      {
        expression:
          "!has(variables.podSecurityContext.supplementalGroups) || !variables.podSecurityContext.supplementalGroups.exists(g, g == 0)",
        message: "pod must not list group 0 in securityContext.supplementalGroups",
      },
      {
        expression:
          "variables.containers.all(c, !has(c.securityContext) || !has(c.securityContext.runAsGroup) || c.securityContext.runAsGroup != 0)",
        message: "containers must not set securityContext.runAsGroup=0",
      },
    ],
  },
  check(_object, ctx) {
    const pod = ctx.pod;
    if (pod === undefined) return [];
    const out: Violation[] = [];
    const podPath = join(pod.specPath, "securityContext");
    if (num(pod.securityContext["runAsGroup"]) === 0) {
      out.push({ message: "pod must not set securityContext.runAsGroup=0", path: join(podPath, "runAsGroup") });
    }
    if (num(pod.securityContext["fsGroup"]) === 0) {
      out.push({ message: "pod must not set securityContext.fsGroup=0", path: join(podPath, "fsGroup") });
    }
    arr(pod.securityContext["supplementalGroups"]).forEach((g, i) => {
      if (num(g) !== 0) return;
      out.push({
        message: "pod must not list group 0 in securityContext.supplementalGroups",
        path: join(join(podPath, "supplementalGroups"), i),
      });
    });
    for (const c of pod.containers) {
      if (num(c.securityContext["runAsGroup"]) !== 0) continue;
      out.push({
        message: `container ${JSON.stringify(c.name)} must not set securityContext.runAsGroup=0`,
        path: join(join(c.path, "securityContext"), "runAsGroup"),
      });
    }
    return out;
  },
});
