import { join, str } from "../../engine/access";
import { POD_KINDS } from "../../engine/pod";
import type { Violation } from "../../engine/types";
import { resourceControl } from "../define";
import { isDigestPinned, parseImageReference } from "./image-reference";
import { CEL_PINNED_DIGEST, celWithImageRef } from "./latest-tag";

/**
 * Every container image is pinned by a digest of an algorithm the OCI image spec registers
 * (`@sha256:` and 64 lower-case hex digits, or `@sha512:` and 128): tags are mutable, a digest is
 * the content. Missing or malformed images are image-latest-tag's
 * to report; here they simply are not pinned.
 */
export const imageDigestPinned = resourceControl({
  id: "image-digest-pinned",
  title: "Image pinned by digest",
  family: "images",
  level: "hardened",
  severity: "low",
  references: {
    catalog: "IMG-002",
    nsaCisa: "Kubernetes Pod security › Building secure container images",
  },
  remediation:
    "Pin every image by digest (registry/app:1.4.2@sha256:<64 hex>), resolved at build or deploy time, so what runs is exactly what was reviewed and scanned.",
  kinds: POD_KINDS,
  cel: {
    validations: [
      {
        expression: `variables.containers.all(c, ${celWithImageRef(`valid && at >= 0 && dg.matches(${CEL_PINNED_DIGEST})`)})`,
      },
    ],
  },
  check(_object, ctx) {
    const pod = ctx.pod;
    if (pod === undefined) return [];
    const out: Violation[] = [];
    for (const c of pod.containers) {
      const image = str(c.container["image"]) ?? "";
      if (isDigestPinned(parseImageReference(image))) continue;
      out.push({
        message: `container ${JSON.stringify(c.name)} image ${JSON.stringify(image)} must be pinned by digest (@sha256:<64 hex digits> or @sha512:<128 hex digits>)`,
        path: join(c.path, "image"),
      });
    }
    return out;
  },
});
