import { dig } from "../../engine/access";
import type { Violation } from "../../engine/types";
import { POD_KINDS } from "../../engine/pod";
import { resourceControl } from "../define";
import { containerLabel, containerSecurityPath, podSecurityPath } from "./psa";

/**
 * PSS Baseline `windowsHostProcess` (policy 1.0).
 * Restricted fields: spec.securityContext.windowsOptions.hostProcess and
 * ctr.securityContext.windowsOptions.hostProcess. Allowed values: unset, false.
 */
export const podWindowsHostProcess = resourceControl({
  id: "pod-windows-host-process",
  title: "No Windows HostProcess containers",
  family: "pod-security",
  level: "baseline",
  severity: "critical",
  references: {
    catalog: "POD-017",
    pss: "windowsHostProcess (v1.0)",
    cis: "5.2.11",
  },
  remediation:
    "Remove windowsOptions.hostProcess (or set it to false): a HostProcess container runs as a process on the Windows node with host access.",
  kinds: POD_KINDS,
  minPolicyVersion: 0,
  cel: {
    validations: [
      {
        expression:
          "variables.podSpec.?securityContext.?windowsOptions.?hostProcess.orValue(false) != true && " +
          "variables.containers.all(c, c.?securityContext.?windowsOptions.?hostProcess.orValue(false) != true)",
      },
    ],
  },
  check(_object, ctx) {
    const pod = ctx.pod;
    if (pod === undefined) return [];
    const out: Violation[] = [];
    if (dig(pod.securityContext, "windowsOptions", "hostProcess") === true) {
      out.push({
        message: "pod must not set securityContext.windowsOptions.hostProcess=true",
        path: podSecurityPath(pod, "windowsOptions", "hostProcess"),
      });
    }
    for (const c of pod.containers) {
      if (dig(c.securityContext, "windowsOptions", "hostProcess") !== true) continue;
      out.push({
        message: `${containerLabel(c)} must not set securityContext.windowsOptions.hostProcess=true`,
        path: containerSecurityPath(c, "windowsOptions", "hostProcess"),
      });
    }
    return out;
  },
});
