import { join, str } from "../../engine/access";
import { POD_KINDS } from "../../engine/pod";
import type { Violation } from "../../engine/types";
import { editPod } from "../fix";
import { resourceControl } from "../define";
import { isDigestPinned, parseImageReference, type ImageReference } from "./image-reference";
import { CEL_PINNED_DIGEST, celWithImageRef } from "./latest-tag";

/**
 * A tag can be repointed, and IfNotPresent then runs whatever copy a node cached (and lets any
 * pod on the node use a private image cached by another): images not pinned by digest must be
 * pulled with imagePullPolicy Always. The API defaults the policy to Always when the tag is
 * latest (even beside a digest) or when neither tag nor digest is given, so an unset policy counts
 * as Always there.
 */
function effectivePolicy(policy: string | undefined, ref: ImageReference | undefined): string | undefined {
  if (policy !== undefined && policy !== "") return policy;
  // Kubernetes' SetDefaults_Container: Always when the tag is latest (a digest beside it or not)
  // or when there is neither tag nor digest.
  if (ref !== undefined && (ref.tag === "latest" || (ref.tag === undefined && ref.digest === undefined)))
    return "Always";
  return undefined;
}

function needsAlways(container: Record<string, unknown>): boolean {
  const ref = parseImageReference(str(container["image"]) ?? "");
  if (ref === undefined || isDigestPinned(ref)) return false;
  return effectivePolicy(str(container["imagePullPolicy"]), ref) !== "Always";
}

export const imagePullPolicyAlways = resourceControl({
  id: "image-pull-policy-always",
  title: "imagePullPolicy Always for mutable tags",
  family: "images",
  level: "hardened",
  severity: "low",
  references: {
    catalog: "IMG-006",
  },
  remediation:
    "Set imagePullPolicy: Always on every container whose image is not pinned by digest (or pin the image by digest).",
  kinds: POD_KINDS,
  cel: {
    validations: [
      {
        // The server defaults imagePullPolicy before admission (Always for latest or no tag, else
        // IfNotPresent), so an unset policy is judged as the API resolved it, as effectivePolicy does.
        expression: `variables.containers.all(c, ${celWithImageRef(
          `!valid || (at >= 0 && dg.matches(${CEL_PINNED_DIGEST})) || ` +
            "(has(c.imagePullPolicy) && c.imagePullPolicy != '' ? c.imagePullPolicy : ((tagged && tag == 'latest') || (at < 0 && !tagged) ? 'Always' : '')) == 'Always'",
        )})`,
      },
    ],
  },
  check(_object, ctx) {
    const pod = ctx.pod;
    if (pod === undefined) return [];
    const out: Violation[] = [];
    for (const c of pod.containers) {
      if (!needsAlways(c.container)) continue;
      const policy = str(c.container["imagePullPolicy"]);
      out.push({
        message: `container ${JSON.stringify(c.name)} must set imagePullPolicy=Always (image ${JSON.stringify(str(c.container["image"]))} is not pinned by digest${policy ? `; found ${policy}` : ""})`,
        path: join(c.path, "imagePullPolicy"),
      });
    }
    return out;
  },
  // Safe: Always only makes the node re-resolve the tag the manifest already names.
  fix(object) {
    return editPod(object, ({ containers }) => {
      for (const c of containers) if (needsAlways(c)) c["imagePullPolicy"] = "Always";
    });
  },
});
