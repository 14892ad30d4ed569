import { arr, join, rec, str } from "../../engine/access";
import type { Violation } from "../../engine/types";
import { POD_KINDS } from "../../engine/pod";
import { resourceControl } from "../define";
import { isSet } from "./psa";

/**
 * The volume sources Restricted allows. `image` was patched into the 1.0 function (Kubernetes
 * 1.33), so it is allowed at every policy version.
 */
export const RESTRICTED_VOLUME_SOURCES: ReadonlySet<string> = new Set([
  "configMap",
  "csi",
  "downwardAPI",
  "emptyDir",
  "ephemeral",
  "image",
  "persistentVolumeClaim",
  "projected",
  "secret",
]);

/**
 * PSS Restricted `restrictedVolumes` (policy 1.0, OverrideCheckIDs: hostPathVolumes). An allowlist:
 * every other source (hostPath, nfs, gitRepo, photonPersistentDisk, …, and any future or unknown
 * key) fails. A volume with no source at all is defaulted to emptyDir by the API server before
 * admission sees it, so it passes. It replaces pod-host-path at Restricted, so it reports a
 * hostPath at the same severity and with the same references, and says so: a stricter level never
 * makes the same problem look smaller.
 */
export const podVolumeTypes = resourceControl({
  id: "pod-volume-types",
  title: "Volume types allowlist",
  family: "pod-security",
  level: "restricted",
  severity: "high",
  references: {
    catalog: "POD-018",
    pss: "restrictedVolumes (v1.0)",
    nsaCisa: "Kubernetes Pod security › Pod security enforcement",
    cis: "5.2.12",
  },
  remediation:
    "Use only configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected or secret volumes; reach network storage through a PersistentVolumeClaim.",
  kinds: POD_KINDS,
  overrides: ["pod-host-path"],
  minPolicyVersion: 0,
  cel: {
    // A volume passes when one of its keys (besides name) is an allowed source, or when it has none.
    validations: [
      {
        expression: `!has(variables.podSpec.volumes) || variables.podSpec.volumes.all(v, !v.exists(k, k != 'name') || v.exists(k, k in [${[...RESTRICTED_VOLUME_SOURCES].map((s) => `'${s}'`).join(", ")}]))`,
      },
    ],
  },
  check(_object, ctx) {
    const pod = ctx.pod;
    if (pod === undefined) return [];
    const out: Violation[] = [];
    arr(pod.spec["volumes"]).forEach((v, i) => {
      const volume = rec(v);
      if (volume === undefined) return;
      const sources = Object.keys(volume).filter((k) => k !== "name" && isSet(volume[k]));
      if (sources.some((s) => RESTRICTED_VOLUME_SOURCES.has(s))) return;
      const name = JSON.stringify(str(volume["name"]) ?? `#${i}`);
      for (const source of sources) {
        const why = source === "hostPath" ? " (the node's filesystem: what pod-host-path forbids at Baseline)" : "";
        out.push({
          message: `volume ${name} uses restricted volume type ${JSON.stringify(source)}${why}`,
          path: join(join(join(pod.specPath, "volumes"), i), source),
        });
      }
    });
    return out;
  },
});
