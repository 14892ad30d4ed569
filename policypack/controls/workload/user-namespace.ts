import { join } from "../../engine/access";
import { POD_KINDS } from "../../engine/pod";
import { resourceControl } from "../define";
import { WINDOWS_POD_CEL } from "./read-only-root-filesystem";
import { isWindowsPod } from "./resources";

/**
 * spec.hostUsers=false: the pod runs in a user namespace, so root in the container is an
 * unprivileged id on the node. Needs node support (Linux ≥ 6.3 with idmapped mounts, a runtime
 * that supports it, the UserNamespacesSupport gate before 1.33), hence optional. Windows pods are
 * exempt: the API forbids the field there.
 */
export const podUserNamespace = resourceControl({
  id: "pod-user-namespace",
  title: "User namespaces (hostUsers=false)",
  family: "workload",
  level: "hardened",
  severity: "medium",
  references: {
    catalog: "POD-029",
    nsaCisa: "Kubernetes Pod security › Hardening container environments",
  },
  remediation:
    "Set spec.hostUsers: false (needs nodes and a container runtime with user-namespace support; incompatible with hostNetwork, hostPID and hostIPC).",
  kinds: POD_KINDS,
  optional: true,
  cel: {
    validations: [
      {
        expression: `${WINDOWS_POD_CEL} || (has(variables.podSpec.hostUsers) && variables.podSpec.hostUsers == false)`,
        message: "pod must set hostUsers=false",
      },
    ],
  },
  check(_object, ctx) {
    const pod = ctx.pod;
    if (pod === undefined || isWindowsPod(pod) || pod.spec["hostUsers"] === false) return [];
    return [{ message: "pod must set hostUsers=false", path: join(pod.specPath, "hostUsers") }];
  },
});
