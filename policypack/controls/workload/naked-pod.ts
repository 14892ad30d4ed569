import { arr, isRecord } from "../../engine/access";
import { resourceControl } from "../define";

/**
 * A Pod with no owner reference is naked: nothing recreates it when its node fails or drains, and
 * nothing rolls it out. Manifests should declare a controller (Deployment, StatefulSet, DaemonSet,
 * Job) instead. Pods the controllers create carry metadata.ownerReferences and pass.
 */
export const nakedPod = resourceControl({
  id: "naked-pod",
  title: "No naked Pods",
  family: "workload",
  level: "hardened",
  severity: "low",
  references: {
    catalog: "OPS-002",
  },
  remediation: "Run the pod through a controller (a Deployment, StatefulSet, DaemonSet or Job) instead of a bare Pod.",
  kinds: ["Pod"],
  cel: {
    validations: [
      {
        expression:
          "object.kind != 'Pod' || (has(object.metadata.ownerReferences) && size(object.metadata.ownerReferences) > 0)",
        message: "Pod has no ownerReferences: run it through a controller",
      },
    ],
  },
  check(object) {
    if (object.kind !== "Pod") return [];
    if (arr(object.metadata?.["ownerReferences"]).some(isRecord)) return [];
    return [
      {
        message: "Pod has no ownerReferences: run it through a controller (Deployment, StatefulSet, DaemonSet, Job)",
        path: "metadata.ownerReferences",
      },
    ];
  },
});
