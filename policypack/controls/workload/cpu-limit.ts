import { join } from "../../engine/access";
import { POD_KINDS } from "../../engine/pod";
import type { Violation } from "../../engine/types";
import { resourceControl } from "../define";
import { celQuantitySet, celResourcedContainersAll } from "./resource-requests";
import { containerQuantity, podQuantity, quantitySet, resourcedContainers } from "./resources";

/**
 * Every init and regular container has a cpu limit (or the pod a pod-level one). Contested: CPU is
 * compressible, requests already guarantee each container its share, and limits throttle bursts
 * even on an idle node (Kyverno ships the opposite policy). Hence low severity; turn it off with
 * `enabled: false` where noisy neighbours are handled by requests and quotas.
 */
export const containerCpuLimit = resourceControl({
  id: "container-cpu-limit",
  title: "CPU limit set (contested)",
  family: "workload",
  level: "hardened",
  severity: "low",
  references: {
    catalog: "RES-003",
    nsaCisa: "Network separation and hardening › Resource policies",
  },
  remediation:
    "Set resources.limits.cpu on every container; this is contested (CPU limits throttle even on idle nodes), so where cpu requests and quotas already bound tenants you may turn this control off.",
  kinds: POD_KINDS,
  cel: {
    validations: [
      {
        expression: `${celQuantitySet("variables.podSpec", "limits", "cpu")} || ${celResourcedContainersAll(celQuantitySet("c", "limits", "cpu"))}`,
        message: "every container must set resources.limits.cpu",
      },
    ],
  },
  check(_object, ctx) {
    const pod = ctx.pod;
    if (pod === undefined || quantitySet(podQuantity(pod, "limits", "cpu"))) return [];
    const out: Violation[] = [];
    for (const c of resourcedContainers(pod)) {
      if (quantitySet(containerQuantity(c.container, "limits", "cpu"))) continue;
      out.push({
        message: `container ${JSON.stringify(c.name)} must set resources.limits.cpu`,
        path: join(join(join(c.path, "resources"), "limits"), "cpu"),
      });
    }
    return out;
  },
});
