import { join, num } from "../../engine/access";
import { configNumber } from "../../engine/control";
import { POD_KINDS } from "../../engine/pod";
import type { Violation } from "../../engine/types";
import { resourceControl } from "../define";
import { WINDOWS_POD_CEL } from "./read-only-root-filesystem";
import { isWindowsPod } from "./resources";

const FIELDS = ["runAsUser", "runAsGroup"] as const;
const DEFAULT_MINIMUM = 10000;

/**
 * Opinionated: every container runs with a user and a group id of at least `minimumId`
 * (container value, else the pod's), so that a container escape lands on an id no host account
 * or host file uses. The ids must be stated: an unset id is the image's, which the manifest
 * cannot vouch for. Pods in a user namespace (hostUsers=false) are exempt, since their ids are
 * mapped away from the host's; Windows pods too (the API forbids these fields there).
 */
export const podHighUidGid = resourceControl({
  id: "pod-high-uid-gid",
  title: "High UID/GID (≥ 10000) to avoid host-UID overlap",
  family: "workload",
  level: "hardened",
  severity: "low",
  references: {
    catalog: "POD-028",
    nsaCisa: 'Kubernetes Pod security › "Non-root" containers and "rootless" container engines',
  },
  remediation:
    "Set spec.securityContext.runAsUser and runAsGroup to ids of at least 10000 (e.g. 10001), and build the image so it runs as that user.",
  kinds: POD_KINDS,
  config: {
    minimumId: {
      type: "integer",
      description: "Smallest user and group id a container may run with.",
      default: DEFAULT_MINIMUM,
    },
  },
  cel: {
    variables: [
      {
        name: "podSecurityContext",
        expression: "has(variables.podSpec.securityContext) ? variables.podSpec.securityContext : {}",
      },
    ],
    validations: FIELDS.map((field) => ({
      expression:
        `${WINDOWS_POD_CEL} || (has(variables.podSpec.hostUsers) && variables.podSpec.hostUsers == false) || ` +
        `variables.containers.all(c, (has(c.securityContext) && has(c.securityContext.${field})) ? ` +
        `c.securityContext.${field} >= params.spec.minimumId : ` +
        `(has(variables.podSecurityContext.${field}) && variables.podSecurityContext.${field} >= params.spec.minimumId))`,
      message: `every container must run with a ${field} (its own, else the pod's) of at least the minimum id`,
    })),
  },
  check(_object, ctx) {
    const pod = ctx.pod;
    if (pod === undefined || isWindowsPod(pod) || pod.spec["hostUsers"] === false) return [];
    const minimum = configNumber(ctx.config, "minimumId") ?? DEFAULT_MINIMUM;
    const out: Violation[] = [];
    const podPath = join(pod.specPath, "securityContext");
    for (const field of FIELDS) {
      const podValue = num(pod.securityContext[field]);
      // A low pod-level id is reported once, where it is written, if any container inherits it.
      let podValueUsed = false;
      for (const c of pod.containers) {
        const own = num(c.securityContext[field]);
        if (own === undefined) {
          if (podValue === undefined) {
            out.push({
              message: `container ${JSON.stringify(c.name)} must set securityContext.${field} (or spec.securityContext.${field}) to at least ${minimum}`,
              path: join(join(c.path, "securityContext"), field),
            });
          } else podValueUsed = true;
        } else if (own < minimum) {
          out.push({
            message: `container ${JSON.stringify(c.name)} must set securityContext.${field} to at least ${minimum}, found ${own}`,
            path: join(join(c.path, "securityContext"), field),
          });
        }
      }
      if (podValueUsed && podValue !== undefined && podValue < minimum) {
        out.push({
          message: `pod must set securityContext.${field} to at least ${minimum}, found ${podValue}`,
          path: join(podPath, field),
        });
      }
    }
    return out;
  },
});
