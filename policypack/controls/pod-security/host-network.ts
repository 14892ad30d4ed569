import { join } from "../../engine/access";
import { POD_KINDS } from "../../engine/pod";
import { resourceControl } from "../define";

/**
 * PSS Baseline `hostNamespaces` (policy 1.0), the hostNetwork part.
 * Restricted field: spec.hostNetwork. Allowed values: unset, false.
 */
export const podHostNetwork = resourceControl({
  id: "pod-host-network",
  title: "No host network namespace",
  family: "pod-security",
  level: "baseline",
  severity: "high",
  references: {
    catalog: "POD-001",
    pss: "hostNamespaces (v1.0)",
    nsaCisa: "Kubernetes Pod security › Pod security enforcement",
    cis: "5.2.5",
  },
  remediation: "Remove spec.hostNetwork or set it to false; expose the workload through a Service instead.",
  kinds: POD_KINDS,
  minPolicyVersion: 0,
  cel: {
    validations: [{ expression: "!has(variables.podSpec.hostNetwork) || variables.podSpec.hostNetwork != true" }],
  },
  check(_object, ctx) {
    const pod = ctx.pod;
    if (pod === undefined || pod.spec["hostNetwork"] !== true) return [];
    return [{ message: "host namespaces (hostNetwork=true)", path: join(pod.specPath, "hostNetwork") }];
  },
});
