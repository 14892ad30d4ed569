import { join } from "../../engine/access";
import { POD_KINDS } from "../../engine/pod";
import type { Violation } from "../../engine/types";
import { resourceControl } from "../define";
import { containerQuantity, podQuantity, quantitySet, resourcedContainers } from "./resources";

const RESOURCES = ["cpu", "memory"] as const;

/**
 * Every init and regular container requests cpu and memory, so the scheduler places it by what it
 * needs and it is not first in line for eviction. A limit without a request counts (the API
 * copies it into the request), and so does a pod-level spec.resources value. Ephemeral containers
 * may not set resources. LimitRange defaults are not seen here: they live in another object.
 */
export const containerResourceRequests = resourceControl({
  id: "container-resource-requests",
  title: "CPU and memory requests set",
  family: "workload",
  level: "hardened",
  severity: "medium",
  references: {
    catalog: "RES-001",
    nsaCisa: "Network separation and hardening › Resource policies",
  },
  remediation: "Set resources.requests.cpu and resources.requests.memory on every container, init containers included.",
  kinds: POD_KINDS,
  check(_object, ctx) {
    const pod = ctx.pod;
    if (pod === undefined) return [];
    const out: Violation[] = [];
    for (const c of resourcedContainers(pod)) {
      for (const resource of RESOURCES) {
        if (
          quantitySet(containerQuantity(c.container, "requests", resource)) ||
          quantitySet(containerQuantity(c.container, "limits", resource)) ||
          quantitySet(podQuantity(pod, "requests", resource)) ||
          quantitySet(podQuantity(pod, "limits", resource))
        )
          continue;
        out.push({
          message: `container ${JSON.stringify(c.name)} must set resources.requests.${resource}`,
          path: join(join(join(c.path, "resources"), "requests"), resource),
        });
      }
    }
    return out;
  },
});
