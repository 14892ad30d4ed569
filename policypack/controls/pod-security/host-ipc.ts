import { join } from "../../engine/access";
import { POD_KINDS } from "../../engine/pod";
import { resourceControl } from "../define";

/**
 * PSS Baseline `hostNamespaces` (policy 1.0), the hostIPC part.
 * Restricted field: spec.hostIPC. Allowed values: unset, false.
 */
export const podHostIpc = resourceControl({
  id: "pod-host-ipc",
  title: "No host IPC namespace",
  family: "pod-security",
  level: "baseline",
  severity: "high",
  references: {
    catalog: "POD-003",
    pss: "hostNamespaces (v1.0)",
    nsaCisa: "Kubernetes Pod security › Pod security enforcement",
    cis: "5.2.4",
  },
  remediation:
    "Remove spec.hostIPC or set it to false: the host IPC namespace exposes the node's shared memory and message queues.",
  kinds: POD_KINDS,
  minPolicyVersion: 0,
  cel: { validations: [{ expression: "!has(variables.podSpec.hostIPC) || variables.podSpec.hostIPC != true" }] },
  check(_object, ctx) {
    const pod = ctx.pod;
    if (pod === undefined || pod.spec["hostIPC"] !== true) return [];
    return [{ message: "host namespaces (hostIPC=true)", path: join(pod.specPath, "hostIPC") }];
  },
});
