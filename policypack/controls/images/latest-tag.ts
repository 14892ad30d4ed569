import { join, str } from "../../engine/access";
import { POD_KINDS } from "../../engine/pod";
import type { Violation } from "../../engine/types";
import { resourceControl } from "../define";
import { parseImageReference } from "./image-reference";

/**
 * Every container image names a tag other than `latest`, or a digest. A reference without a tag
 * means `latest`; with a digest the tag is ignored by the runtime, so `app:latest@sha256:…` is
 * pinned. A missing or malformed image is reported here (and only here) so it is never a pass.
 */
export const imageLatestTag = resourceControl({
  id: "image-latest-tag",
  title: "Image tag set and not latest",
  family: "images",
  level: "hardened",
  severity: "medium",
  references: {
    catalog: "IMG-001",
    nsaCisa: "Kubernetes Pod security › Building secure container images",
  },
  remediation:
    "Reference every image by an immutable version tag (nginx:1.27.3) or, better, by digest (nginx@sha256:…); never rely on latest or an implied tag.",
  kinds: POD_KINDS,
  check(_object, ctx) {
    const pod = ctx.pod;
    if (pod === undefined) return [];
    const out: Violation[] = [];
    for (const c of pod.containers) {
      const path = join(c.path, "image");
      const who = `container ${JSON.stringify(c.name)}`;
      const image = str(c.container["image"]);
      if (image === undefined || image === "") {
        out.push({ message: `${who} must set image to a reference with a version tag or a digest`, path });
        continue;
      }
      const ref = parseImageReference(image);
      if (ref === undefined) {
        out.push({ message: `${who} image ${JSON.stringify(image)} is not a valid image reference`, path });
      } else if (ref.digest === undefined && ref.tag === undefined) {
        out.push({
          message: `${who} image ${JSON.stringify(image)} has no tag (implies latest): set a version tag or a digest`,
          path,
        });
      } else if (ref.digest === undefined && ref.tag === "latest") {
        out.push({
          message: `${who} image ${JSON.stringify(image)} must not use the latest tag: set a version tag or a digest`,
          path,
        });
      }
    }
    return out;
  },
});
