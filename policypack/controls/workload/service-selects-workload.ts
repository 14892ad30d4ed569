import { rec } from "../../engine/access";
import { describe as describeResource, resourceRef } from "../../engine/kinds";
import type { Violation } from "../../engine/types";
import { stackControl } from "../define";
import { labelsOf } from "../network/selectors";
import { mapRequirements, operatorFor } from "../controller-made";

/**
 * OPS-007. A Service whose selector matches no pod template in its namespace sends traffic
 * nowhere, or — worse — to whatever pod later carries those labels, which NetworkPolicies written
 * for the intended workload do not expect. Judged only where the set holds workloads of that
 * namespace: otherwise the pods may come from elsewhere. Nor when the selector asks for pods an
 * operator makes from a custom resource of the namespace (controller-made.ts): the set cannot
 * show those pods, so there is nothing to verify and nothing for the reviewer to fix.
 */
export const serviceSelectsWorkload = stackControl({
  id: "service-selects-workload",
  title: "Service selectors match a workload",
  family: "workload",
  level: "hardened",
  severity: "low",
  references: { catalog: "OPS-007" },
  remediation:
    "Make the Service's spec.selector equal to labels of the pod template it fronts (a subset of them), or remove the selector for a Service backed by manual Endpoints.",
  kinds: ["Service"],
  checkStack(stack) {
    const out: Violation[] = [];
    for (const service of stack.byKind("Service")) {
      if (stack.isPatch(service)) continue;
      const selector = rec(rec(service["spec"])?.["selector"]);
      if (selector === undefined || Object.keys(selector).length === 0) continue;
      const namespace = stack.namespaceOf(service) ?? stack.defaultNamespace;
      const workloads = stack.workloadsByNamespace.get(namespace);
      if (workloads === undefined) continue;
      const wanted = Object.entries(selector);
      const matched = workloads.some((w) => {
        const labels = labelsOf(w.pod.metadata);
        return wanted.every(([k, v]) => labels[k] === v);
      });
      if (matched || operatorFor(stack, namespace, mapRequirements(selector)) !== undefined) continue;
      const shown = wanted.map(([k, v]) => `${k}=${String(v)}`).join(",");
      out.push({
        object: service,
        path: "spec.selector",
        message: `${describeResource(resourceRef(service))} selects ${shown}, which no pod template in namespace ${JSON.stringify(namespace)} carries`,
      });
    }
    return out;
  },
});
