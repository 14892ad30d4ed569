import { isRecord, join, str } from "../../engine/access";
import { POD_KINDS } from "../../engine/pod";
import type { Violation } from "../../engine/types";
import { resourceControl } from "../define";

const RUN_TO_COMPLETION_KINDS = new Set(["Job", "CronJob"]);

/**
 * Every regular container of a long-running pod has a livenessProbe and a readinessProbe, so a
 * hung process is restarted and a not-yet-ready one gets no traffic. Not required of:
 * - init containers (they must finish before the pod starts; native sidecars may have probes,
 *   but are not required to) and ephemeral containers (the API forbids probes there);
 * - run-to-completion pods: Jobs, CronJobs and any pod with restartPolicy Never or OnFailure,
 *   which serve no traffic and end on their own (bound them with activeDeadlineSeconds).
 */
export const containerProbes = resourceControl({
  id: "container-probes",
  title: "Liveness and readiness probes",
  family: "workload",
  level: "hardened",
  severity: "low",
  references: {
    catalog: "OPS-001",
  },
  remediation:
    "Give every long-running container a livenessProbe (is it stuck?) and a readinessProbe (can it take traffic?), e.g. httpGet on a health endpoint.",
  kinds: POD_KINDS,
  cel: {
    validations: [
      {
        expression:
          "object.kind in ['Job', 'CronJob'] || (has(variables.podSpec.restartPolicy) && variables.podSpec.restartPolicy in ['Never', 'OnFailure']) || variables.regularContainers.all(c, has(c.livenessProbe) && has(c.readinessProbe))",
        message: "every container of a long-running pod must set livenessProbe and readinessProbe",
      },
    ],
  },
  check(object, ctx) {
    const pod = ctx.pod;
    if (pod === undefined) return [];
    if (typeof object.kind === "string" && RUN_TO_COMPLETION_KINDS.has(object.kind)) return [];
    const restartPolicy = str(pod.spec["restartPolicy"]);
    if (restartPolicy === "Never" || restartPolicy === "OnFailure") return [];
    const out: Violation[] = [];
    for (const c of pod.containers) {
      if (c.type !== "containers") continue;
      for (const probe of ["livenessProbe", "readinessProbe"]) {
        if (isRecord(c.container[probe])) continue;
        out.push({ message: `container ${JSON.stringify(c.name)} must set ${probe}`, path: join(c.path, probe) });
      }
    }
    return out;
  },
});
