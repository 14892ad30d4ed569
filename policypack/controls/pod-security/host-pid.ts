import { join } from "../../engine/access";
import { POD_KINDS } from "../../engine/pod";
import { resourceControl } from "../define";

/**
 * PSS Baseline `hostNamespaces` (policy 1.0), the hostPID part.
 * Restricted field: spec.hostPID. Allowed values: unset, false.
 */
export const podHostPid = resourceControl({
  id: "pod-host-pid",
  title: "No host PID namespace",
  family: "pod-security",
  level: "baseline",
  severity: "high",
  references: {
    catalog: "POD-002",
    pss: "hostNamespaces (v1.0)",
    nsaCisa: "Kubernetes Pod security › Pod security enforcement",
    cis: "5.2.3",
  },
  remediation:
    "Remove spec.hostPID or set it to false: sharing the host PID namespace lets containers see and signal every process on the node.",
  kinds: POD_KINDS,
  minPolicyVersion: 0,
  cel: { validations: [{ expression: "!has(variables.podSpec.hostPID) || variables.podSpec.hostPID != true" }] },
  check(_object, ctx) {
    const pod = ctx.pod;
    if (pod === undefined || pod.spec["hostPID"] !== true) return [];
    return [{ message: "host namespaces (hostPID=true)", path: join(pod.specPath, "hostPID") }];
  },
});
