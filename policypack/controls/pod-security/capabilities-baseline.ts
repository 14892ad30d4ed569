import { arr, join } from "../../engine/access";
import type { Violation } from "../../engine/types";
import { POD_KINDS } from "../../engine/pod";
import { resourceControl } from "../define";
import { containerLabel, containerSecurityPath, securityChild } from "./psa";

/** capabilities_allowed_1_0 in check_capabilities_baseline.go: the runtimes' default set. NET_RAW is not in it. */
export const BASELINE_CAPABILITIES: ReadonlySet<string> = new Set([
  "AUDIT_WRITE",
  "CHOWN",
  "DAC_OVERRIDE",
  "FOWNER",
  "FSETID",
  "KILL",
  "MKNOD",
  "NET_BIND_SERVICE",
  "SETFCAP",
  "SETGID",
  "SETPCAP",
  "SETUID",
  "SYS_CHROOT",
]);

/**
 * PSS Baseline `capabilities_baseline` (policy 1.0); at Restricted from 1.22 it is replaced by
 * `capabilities_restricted` (pod-capabilities-restricted overrides it).
 * Restricted field: ctr.securityContext.capabilities.add. Allowed values: unset, empty, or names
 * from the default set (exact, case-sensitive compare).
 */
export const podCapabilitiesBaseline = resourceControl({
  id: "pod-capabilities-baseline",
  title: "Added capabilities limited to the default set",
  family: "pod-security",
  level: "baseline",
  severity: "high",
  references: {
    catalog: "POD-005",
    pss: "capabilities_baseline (v1.0)",
    nsaCisa: "Kubernetes Pod security › Pod security enforcement",
    cis: "5.2.9",
  },
  remediation:
    "Remove capabilities outside the runtime default set (e.g. SYS_ADMIN, NET_ADMIN, NET_RAW) from securityContext.capabilities.add.",
  kinds: POD_KINDS,
  minPolicyVersion: 0,
  cel: {
    validations: [
      {
        expression: `variables.containers.all(c, c.?securityContext.?capabilities.?add.orValue([]).all(cap, cap in ${JSON.stringify([...BASELINE_CAPABILITIES])}))`,
      },
    ],
  },
  check(_object, ctx) {
    const pod = ctx.pod;
    if (pod === undefined) return [];
    const out: Violation[] = [];
    for (const c of pod.containers) {
      arr(securityChild(c, "capabilities")?.["add"]).forEach((cap, i) => {
        if (typeof cap !== "string" || BASELINE_CAPABILITIES.has(cap)) return;
        out.push({
          message: `${containerLabel(c)} must not include ${JSON.stringify(cap)} in securityContext.capabilities.add`,
          path: join(containerSecurityPath(c, "capabilities", "add"), i),
        });
      });
    }
    return out;
  },
});
