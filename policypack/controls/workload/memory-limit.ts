import { join } from "../../engine/access";
import { POD_KINDS } from "../../engine/pod";
import type { Violation } from "../../engine/types";
import { resourceControl } from "../define";
import { celQuantitySet, celResourcedContainersAll } from "./resource-requests";
import { containerQuantity, podQuantity, quantitySet, resourcedContainers } from "./resources";

/**
 * Every init and regular container has a memory limit (or the pod has a pod-level one): memory is
 * not compressible, and one leaking container otherwise pushes the node into OOM kills and
 * evictions of its neighbours. A zero limit bounds nothing.
 */
export const containerMemoryLimit = resourceControl({
  id: "container-memory-limit",
  title: "Memory limit set",
  family: "workload",
  level: "hardened",
  severity: "medium",
  references: {
    catalog: "RES-002",
    nsaCisa: "Network separation and hardening › Resource policies",
  },
  remediation:
    "Set resources.limits.memory on every container (init containers included), usually equal to the memory request.",
  kinds: POD_KINDS,
  cel: {
    validations: [
      {
        expression: `${celQuantitySet("variables.podSpec", "limits", "memory")} || ${celResourcedContainersAll(celQuantitySet("c", "limits", "memory"))}`,
        message: "every container must set resources.limits.memory",
      },
    ],
  },
  check(_object, ctx) {
    const pod = ctx.pod;
    if (pod === undefined || quantitySet(podQuantity(pod, "limits", "memory"))) return [];
    const out: Violation[] = [];
    for (const c of resourcedContainers(pod)) {
      if (quantitySet(containerQuantity(c.container, "limits", "memory"))) continue;
      out.push({
        message: `container ${JSON.stringify(c.name)} must set resources.limits.memory`,
        path: join(join(join(c.path, "resources"), "limits"), "memory"),
      });
    }
    return out;
  },
});
