import { join } from "../../engine/access";
import { POD_KINDS } from "../../engine/pod";
import type { Violation } from "../../engine/types";
import { resourceControl } from "../define";
import { containerQuantity, podQuantity, quantitySet, resourcedContainers } from "./resources";

/**
 * CEL: `holder.resources.<list>.<resource>` is a quantity that is present and not zero, as
 * quantitySet reads it (a malformed one counts as set; the API server rejects it anyway).
 */
export function celQuantitySet(holder: string, list: "requests" | "limits", resource: string): string {
  const value = `${holder}.resources.${list}[${JSON.stringify(resource)}]`;
  return (
    `(has(${holder}.resources) && has(${holder}.resources.${list}) && ${JSON.stringify(resource)} in ${holder}.resources.${list} && ` +
    `(!isQuantity(string(${value})) || quantity(string(${value})).compareTo(quantity('0')) != 0))`
  );
}

/** CEL: every init and regular container (resourcedContainers) satisfies the condition on `c`. */
export function celResourcedContainersAll(condition: string): string {
  return `(variables.initContainers + variables.regularContainers).all(c, ${condition})`;
}

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
  cel: {
    validations: RESOURCES.map((resource) => ({
      expression:
        `${celQuantitySet("variables.podSpec", "requests", resource)} || ${celQuantitySet("variables.podSpec", "limits", resource)} || ` +
        celResourcedContainersAll(
          `${celQuantitySet("c", "requests", resource)} || ${celQuantitySet("c", "limits", resource)}`,
        ),
      message: `every container must set resources.requests.${resource}`,
    })),
  },
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
