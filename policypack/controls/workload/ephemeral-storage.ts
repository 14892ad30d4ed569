import { arr, join, rec, str } from "../../engine/access";
import { configBoolean } from "../../engine/control";
import { POD_KINDS } from "../../engine/pod";
import type { Violation } from "../../engine/types";
import { resourceControl } from "../define";
import { celQuantitySet, celResourcedContainersAll } from "./resource-requests";
import { containerQuantity, podQuantity, quantitySet, resourcedContainers } from "./resources";

const EPHEMERAL = "ephemeral-storage";

/**
 * Scratch space is bounded, so one pod cannot fill the node's disk or memory:
 * - an emptyDir with medium Memory (tmpfs) always sets sizeLimit;
 * - a disk emptyDir sets sizeLimit, unless the pod has an ephemeral-storage limit the kubelet
 *   enforces on the pod as a whole (any container's limits.ephemeral-storage, or a pod-level one:
 *   the kubelet evicts the pod when emptyDirs, writable layers and logs together exceed the sum);
 * - with requireContainerLimits, every init and regular container also sets
 *   limits.ephemeral-storage (its writable layer and logs grow otherwise unbounded).
 */
export const podEphemeralStorageBounded = resourceControl({
  id: "pod-ephemeral-storage-bounded",
  title: "Ephemeral storage and emptyDir bounded",
  family: "workload",
  level: "hardened",
  severity: "medium",
  references: {
    catalog: "RES-004",
    nsaCisa: "Network separation and hardening › Resource policies",
  },
  remediation:
    "Set emptyDir.sizeLimit on every emptyDir (always for medium: Memory) or resources.limits.ephemeral-storage on the containers.",
  kinds: POD_KINDS,
  config: {
    requireContainerLimits: {
      type: "boolean",
      description: "Also require resources.limits.ephemeral-storage on every init and regular container.",
      default: false,
    },
  },
  cel: {
    variables: [
      {
        name: "podLimited",
        expression: `${celQuantitySet("variables.podSpec", "limits", EPHEMERAL)} || (variables.initContainers + variables.regularContainers).exists(c, ${celQuantitySet("c", "limits", EPHEMERAL)})`,
      },
    ],
    validations: [
      {
        expression:
          "!has(variables.podSpec.volumes) || variables.podSpec.volumes.all(v, !has(v.emptyDir) || " +
          "(has(v.emptyDir.sizeLimit) && (!isQuantity(string(v.emptyDir.sizeLimit)) || quantity(string(v.emptyDir.sizeLimit)).compareTo(quantity('0')) != 0)) || " +
          "(!(has(v.emptyDir.medium) && v.emptyDir.medium == 'Memory') && variables.podLimited))",
        message:
          "every emptyDir must set sizeLimit (always for medium Memory), or the containers resources.limits.ephemeral-storage",
      },
      {
        expression: `!(has(params.spec.requireContainerLimits) && params.spec.requireContainerLimits == true) || ${celResourcedContainersAll(celQuantitySet("c", "limits", EPHEMERAL))}`,
        message: "every container must set resources.limits.ephemeral-storage",
      },
    ],
  },
  check(_object, ctx) {
    const pod = ctx.pod;
    if (pod === undefined) return [];
    const out: Violation[] = [];
    const containers = resourcedContainers(pod);
    const podLimited =
      quantitySet(podQuantity(pod, "limits", EPHEMERAL)) ||
      containers.some((c) => quantitySet(containerQuantity(c.container, "limits", EPHEMERAL)));
    arr(pod.spec["volumes"]).forEach((v, i) => {
      const volume = rec(v);
      // A volume with no source at all is an emptyDir: the API defaults it so.
      const sourceless = volume !== undefined && Object.keys(volume).every((k) => k === "name");
      const emptyDir = sourceless ? {} : rec(volume?.["emptyDir"]);
      if (volume === undefined || emptyDir === undefined) return;
      if (quantitySet(emptyDir["sizeLimit"])) return;
      const name = JSON.stringify(str(volume["name"]) ?? `#${i}`);
      const path = join(join(join(join(pod.specPath, "volumes"), i), "emptyDir"), "sizeLimit");
      if (str(emptyDir["medium"]) === "Memory") {
        out.push({ message: `volume ${name} (emptyDir, medium Memory) must set emptyDir.sizeLimit`, path });
      } else if (!podLimited) {
        out.push({
          message: `volume ${name} (emptyDir) must set emptyDir.sizeLimit, or the containers resources.limits.${EPHEMERAL}`,
          path,
        });
      }
    });
    if (configBoolean(ctx.config, "requireContainerLimits") === true) {
      for (const c of containers) {
        if (quantitySet(containerQuantity(c.container, "limits", EPHEMERAL))) continue;
        out.push({
          message: `container ${JSON.stringify(c.name)} must set resources.limits.${EPHEMERAL}`,
          path: join(join(join(c.path, "resources"), "limits"), EPHEMERAL),
        });
      }
    }
    return out;
  },
});
