import { join } from "../../engine/access";
import { POD_KINDS } from "../../engine/pod";
import type { Violation } from "../../engine/types";
import { resourceControl } from "../define";
import { isWindowsPod } from "./resources";

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
