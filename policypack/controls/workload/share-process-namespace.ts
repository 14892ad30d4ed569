import { join } from "../../engine/access";
import { POD_KINDS } from "../../engine/pod";
import { resourceControl } from "../define";

/**
 * spec.shareProcessNamespace ∈ {unset, false}. With a shared PID namespace every container sees
 * the others' processes, can signal them and read their /proc/<pid>/root and environment
 * (secrets included). No fix: a pod that sets it usually relies on it (a reloader sidecar).
 */
export const podShareProcessNamespace = resourceControl({
  id: "pod-share-process-namespace",
  title: "No shared process namespace",
  family: "workload",
  level: "hardened",
  severity: "medium",
  references: {
    catalog: "POD-027",
    nsaCisa: "Kubernetes Pod security › Pod security enforcement",
  },
  remediation:
    "Remove spec.shareProcessNamespace (or set it to false); signal between containers through the API or a shared volume instead.",
  kinds: POD_KINDS,
  cel: {
    validations: [
      {
        expression: "!has(variables.podSpec.shareProcessNamespace) || variables.podSpec.shareProcessNamespace != true",
      },
    ],
  },
  check(_object, ctx) {
    const pod = ctx.pod;
    if (pod === undefined || pod.spec["shareProcessNamespace"] !== true) return [];
    return [
      { message: "pod must not set shareProcessNamespace=true", path: join(pod.specPath, "shareProcessNamespace") },
    ];
  },
});
