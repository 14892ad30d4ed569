import { arr, join, rec, strings } from "../../engine/access";
import type { Violation } from "../../engine/types";
import { POD_KINDS } from "../../engine/pod";
import { resourceControl } from "../define";
import { editPod } from "../fix";
import { WINDOWS_POD_CEL } from "./allow-privilege-escalation";
import { containerLabel, containerSecurityPath, isWindowsPod, securityChild, windowsExempt } from "./psa";

/**
 * PSS Restricted `capabilities_restricted` (policy 1.22, OverrideCheckIDs: capabilities_baseline;
 * 1.25 exempts pods with spec.os.name=windows).
 * Every container: capabilities.drop contains "ALL" (exact, case-sensitive: "all" fails);
 * capabilities.add ⊆ {NET_BIND_SERVICE}.
 * It replaces pod-capabilities-baseline at Restricted, so it keeps that control's severity (high)
 * and CIS reference: `add: [SYS_ADMIN]` must not look smaller at the stricter level.
 */
export const podCapabilitiesRestricted = resourceControl({
  id: "pod-capabilities-restricted",
  title: "Drop ALL capabilities; add only NET_BIND_SERVICE",
  family: "pod-security",
  level: "restricted",
  severity: "high",
  references: {
    catalog: "POD-023",
    pss: "capabilities_restricted (v1.22; Windows exemption v1.25)",
    nsaCisa: "Kubernetes Pod security › Pod security enforcement",
    cis: "5.2.9, 5.2.10",
  },
  remediation:
    'Set securityContext.capabilities.drop: ["ALL"] (upper case) on every container and add back at most NET_BIND_SERVICE.',
  kinds: POD_KINDS,
  overrides: ["pod-capabilities-baseline"],
  minPolicyVersion: 22,
  cel: {
    validations: [
      {
        expression: `${WINDOWS_POD_CEL} || variables.containers.all(c, has(c.securityContext) && has(c.securityContext.capabilities) && has(c.securityContext.capabilities.drop) && 'ALL' in c.securityContext.capabilities.drop)`,
        message: 'every container must set securityContext.capabilities.drop=["ALL"]',
      },
      {
        expression: `${WINDOWS_POD_CEL} || variables.containers.all(c, !has(c.securityContext) || !has(c.securityContext.capabilities) || !has(c.securityContext.capabilities.add) || c.securityContext.capabilities.add.all(a, a == 'NET_BIND_SERVICE'))`,
        message: "securityContext.capabilities.add may hold only NET_BIND_SERVICE",
      },
    ],
  },
  check(_object, ctx) {
    const pod = ctx.pod;
    // Gated here as well: a runner that ignores minPolicyVersion (the CrossGuard pack) must not apply it early.
    if (pod === undefined || ctx.policyVersion < 22 || windowsExempt(pod, ctx.policyVersion)) return [];
    const out: Violation[] = [];
    for (const c of pod.containers) {
      const caps = securityChild(c, "capabilities");
      if (!strings(caps?.["drop"]).includes("ALL")) {
        out.push({
          message: `${containerLabel(c)} must set securityContext.capabilities.drop=["ALL"]`,
          path: containerSecurityPath(c, "capabilities", "drop"),
        });
      }
      arr(caps?.["add"]).forEach((cap, i) => {
        if (typeof cap !== "string" || cap === "NET_BIND_SERVICE") return;
        out.push({
          message: `${containerLabel(c)} must not include ${JSON.stringify(cap)} in securityContext.capabilities.add`,
          path: join(containerSecurityPath(c, "capabilities", "add"), i),
        });
      });
    }
    return out;
  },
  fix(object, ctx) {
    // Windows pods may not carry capabilities at all (API validation).
    if (ctx.pod === undefined || isWindowsPod(ctx.pod)) return object;
    return editPod(object, (p) => {
      for (const c of p.containers) {
        const existing = rec(rec(c["securityContext"])?.["capabilities"]);
        if (strings(existing?.["drop"]).includes("ALL")) continue;
        // Adds are kept as they are: dropping them could break the workload, so any add beyond
        // NET_BIND_SERVICE keeps failing until a human decides.
        const sc = p.securityContextOf(c);
        const capabilities = existing ?? {};
        sc["capabilities"] = capabilities;
        capabilities["drop"] = [...(Array.isArray(capabilities["drop"]) ? capabilities["drop"] : []), "ALL"];
      }
    });
  },
});
