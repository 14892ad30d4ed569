import { arr, join, rec, str } from "../../engine/access";
import type { Violation } from "../../engine/types";
import { POD_KINDS } from "../../engine/pod";
import { resourceControl } from "../define";
import { isSet } from "./psa";

/**
 * PSS Baseline `hostPathVolumes` (policy 1.0); at Restricted it is replaced by `restrictedVolumes`
 * (pod-volume-types overrides it, and forbids hostPath as well).
 * Restricted field: spec.volumes[*].hostPath. Allowed values: unset.
 */
export const podHostPath = resourceControl({
  id: "pod-host-path",
  title: "No hostPath volumes",
  family: "pod-security",
  level: "baseline",
  severity: "high",
  references: {
    catalog: "POD-007",
    pss: "hostPathVolumes (v1.0)",
    nsaCisa: "Kubernetes Pod security › Pod security enforcement",
    cis: "5.2.12",
  },
  remediation:
    "Replace hostPath volumes with emptyDir, configMap, secret, projected or a PersistentVolumeClaim; node agents that truly need the host belong in an exempted system namespace.",
  kinds: POD_KINDS,
  minPolicyVersion: 0,
  cel: {
    validations: [{ expression: "variables.podSpec.?volumes.orValue([]).all(v, !has(v.hostPath))" }],
  },
  check(_object, ctx) {
    const pod = ctx.pod;
    if (pod === undefined) return [];
    const out: Violation[] = [];
    arr(pod.spec["volumes"]).forEach((v, i) => {
      const volume = rec(v);
      if (volume === undefined || !isSet(volume["hostPath"])) return;
      const name = str(volume["name"]) ?? `#${i}`;
      out.push({
        message: `volume ${JSON.stringify(name)} must not use hostPath`,
        path: join(join(join(pod.specPath, "volumes"), i), "hostPath"),
      });
    });
    return out;
  },
});
