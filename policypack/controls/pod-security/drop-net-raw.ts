import { rec, strings } from "../../engine/access";
import { POD_KINDS } from "../../engine/pod";
import { resourceControl } from "../define";
import { editPod } from "../fix";
import { containerLabel, containerSecurityPath, isWindowsPod, securityChild } from "./psa";

/**
 * Not a PSS check: container runtimes grant NET_RAW by default (ARP/ICMP spoofing on the pod
 * network), and Baseline only forbids *adding* it. Hardened requires every Linux container to
 * drop it, either by name or through "ALL" (both exact, as the runtimes and PSA compare them).
 * Windows pods carry no Linux capabilities (API validation forbids the field), so they are passed.
 */
export const podDropNetRaw = resourceControl({
  id: "pod-drop-net-raw",
  title: "NET_RAW explicitly dropped",
  family: "pod-security",
  level: "hardened",
  severity: "medium",
  references: {
    catalog: "POD-006",
    nsaCisa: "Kubernetes Pod security › Pod security enforcement",
    cis: "5.2.8",
  },
  remediation:
    'Add "ALL" (or at least "NET_RAW") to securityContext.capabilities.drop of every container; use ping-less health checks.',
  kinds: POD_KINDS,
  cel: {
    validations: [
      {
        expression:
          "variables.podSpec.?os.?name.orValue('') == 'windows' || " +
          "variables.containers.all(c, c.?securityContext.?capabilities.?drop.orValue([]).exists(d, d == 'ALL' || d == 'NET_RAW'))",
      },
    ],
  },
  check(_object, ctx) {
    const pod = ctx.pod;
    if (pod === undefined || isWindowsPod(pod)) return [];
    return pod.containers
      .filter((c) => {
        const drop = strings(securityChild(c, "capabilities")?.["drop"]);
        return !drop.includes("ALL") && !drop.includes("NET_RAW");
      })
      .map((c) => ({
        message: `${containerLabel(c)} must set securityContext.capabilities.drop to include "NET_RAW" or "ALL"`,
        path: containerSecurityPath(c, "capabilities", "drop"),
      }));
  },
  fix(object, ctx) {
    if (ctx.pod !== undefined && isWindowsPod(ctx.pod)) return object;
    return editPod(object, (p) => {
      for (const c of p.containers) {
        const caps = rec(rec(c["securityContext"])?.["capabilities"]);
        const drop = strings(caps?.["drop"]);
        if (drop.includes("ALL") || drop.includes("NET_RAW")) continue;
        // A container that adds NET_RAW wants it; dropping it too would be a contradiction, not a fix.
        if (strings(caps?.["add"]).includes("NET_RAW")) continue;
        const sc = p.securityContextOf(c);
        const capabilities = rec(sc["capabilities"]) ?? {};
        sc["capabilities"] = capabilities;
        capabilities["drop"] = [...(Array.isArray(capabilities["drop"]) ? capabilities["drop"] : []), "NET_RAW"];
      }
    });
  },
});
