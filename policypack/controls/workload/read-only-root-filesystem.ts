import { join } from "../../engine/access";
import { POD_KINDS } from "../../engine/pod";
import type { Violation } from "../../engine/types";
import { resourceControl } from "../define";
import { isWindowsPod } from "./resources";

/** CEL: the pod is a Windows pod (spec.os.name is "windows"), as isWindowsPod. */
export const WINDOWS_POD_CEL =
  "(has(variables.podSpec.os) && has(variables.podSpec.os.name) && variables.podSpec.os.name == 'windows')";

/**
 * Every container (init, regular, ephemeral) sets securityContext.readOnlyRootFilesystem=true;
 * writable paths come from emptyDir mounts. Windows pods are exempt: the API forbids the field
 * there. No fix: a container that writes to its root filesystem would crash, and only its author
 * knows which paths need an emptyDir.
 */
export const podReadOnlyRootFilesystem = resourceControl({
  id: "pod-read-only-root-filesystem",
  title: "Read-only root filesystem",
  family: "workload",
  level: "hardened",
  severity: "medium",
  references: {
    catalog: "POD-024",
    nsaCisa: "Kubernetes Pod security › Immutable container file systems",
  },
  remediation:
    "Set securityContext.readOnlyRootFilesystem: true on every container and mount an emptyDir at each path the process must write (e.g. /tmp).",
  kinds: POD_KINDS,
  cel: {
    validations: [
      {
        expression: `${WINDOWS_POD_CEL} || variables.containers.all(c, has(c.securityContext) && has(c.securityContext.readOnlyRootFilesystem) && c.securityContext.readOnlyRootFilesystem == true)`,
        message: "every container must set securityContext.readOnlyRootFilesystem=true",
      },
    ],
  },
  check(_object, ctx) {
    const pod = ctx.pod;
    if (pod === undefined || isWindowsPod(pod)) return [];
    const out: Violation[] = [];
    for (const c of pod.containers) {
      if (c.securityContext["readOnlyRootFilesystem"] === true) continue;
      out.push({
        message: `container ${JSON.stringify(c.name)} must set securityContext.readOnlyRootFilesystem=true`,
        path: join(join(c.path, "securityContext"), "readOnlyRootFilesystem"),
      });
    }
    return out;
  },
});
