import { dig, rec, str } from "../../engine/access";
import { resourceControl } from "../define";
import { isSet } from "../pod-security/psa";

/**
 * POD-007 for PersistentVolumes. Pod Security Admission looks at a pod's own volumes only: a pod
 * that mounts a claim bound to a `hostPath` PersistentVolume reaches the node's filesystem while
 * passing pod-host-path and pod-volume-types (and whoever can create such a PV and a claim hands
 * the node to every namespace that can bind it). Hardened, not baseline: the Pod Security
 * Standards, which baseline means exactly, do not judge PersistentVolumes. In the workload family
 * because the pod-security family is the pod-bearing kinds' (PSA's shape).
 * Restricted field: spec.hostPath. Allowed values: unset (`local` volumes, which the scheduler
 * pins to their node and a provisioner manages, are not hostPath).
 */
export const persistentVolumeHostPath = resourceControl({
  id: "persistent-volume-host-path",
  title: "No hostPath PersistentVolumes",
  family: "workload",
  level: "hardened",
  severity: "high",
  references: {
    catalog: "POD-007",
    nsaCisa: "Kubernetes Pod security › Pod security enforcement",
  },
  remediation:
    "Provision the volume from a StorageClass (a CSI driver, or `local` volumes for node-local disks) instead of spec.hostPath; a pod mounting a hostPath PersistentVolume through a claim bypasses pod-host-path.",
  kinds: ["PersistentVolume"],
  cel: {
    validations: [
      {
        expression: "!has(object.spec) || !has(object.spec.hostPath)",
        message: "spec.hostPath is set: pods mounting this volume through a claim reach the node's filesystem",
      },
    ],
  },
  check(object) {
    const hostPath = dig(object, "spec", "hostPath");
    if (!isSet(hostPath)) return [];
    const path = str(rec(hostPath)?.["path"]);
    const where = path !== undefined ? ` (${JSON.stringify(path)})` : "";
    return [
      {
        message: `spec.hostPath${where} exposes the node's filesystem to every pod that mounts this volume through a claim, which pod-host-path does not see`,
        path: "spec.hostPath",
      },
    ];
  },
});
