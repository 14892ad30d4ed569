import { join, str } from "../../engine/access";
import { POD_KINDS } from "../../engine/pod";
import type { Violation } from "../../engine/types";
import { resourceControl } from "../define";
import { parseImageReference } from "./image-reference";
import { celWithImageRef } from "./latest-tag";

/**
 * k8s.gcr.io was frozen in April 2023 in favour of registry.k8s.io: no new images and no patched
 * ones, so an image from it only ages (and may vanish).
 */
export const imageDeprecatedRegistry = resourceControl({
  id: "image-deprecated-registry",
  title: "No deprecated k8s.gcr.io registry",
  family: "images",
  level: "hardened",
  severity: "medium",
  references: {
    catalog: "IMG-007",
    nsaCisa: "Kubernetes Pod security › Building secure container images",
  },
  remediation: "Pull Kubernetes project images from registry.k8s.io instead of the frozen k8s.gcr.io.",
  kinds: POD_KINDS,
  cel: {
    validations: [
      { expression: `variables.containers.all(c, ${celWithImageRef("!valid || reg.lowerAscii() != 'k8s.gcr.io'")})` },
    ],
  },
  check(_object, ctx) {
    const pod = ctx.pod;
    if (pod === undefined) return [];
    const out: Violation[] = [];
    for (const c of pod.containers) {
      const image = str(c.container["image"]) ?? "";
      const ref = parseImageReference(image);
      if (ref === undefined || ref.registry.toLowerCase() !== "k8s.gcr.io") continue;
      out.push({
        message: `container ${JSON.stringify(c.name)} image ${JSON.stringify(image)} comes from the frozen registry k8s.gcr.io: use registry.k8s.io`,
        path: join(c.path, "image"),
      });
    }
    return out;
  },
});
