import { join, str } from "../../engine/access";
import { POD_KINDS } from "../../engine/pod";
import type { Violation } from "../../engine/types";
import { resourceControl } from "../define";
import { parseImageReference } from "./image-reference";

/** image-reference.ts's patterns, as RE2 (the same text: they use no syntax the two differ on). */
const DIGEST_RE = "^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$";
const TAG_RE = "^[\\w][\\w.-]{0,127}$";
const DOMAIN_COMPONENT_RE = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN_RE = `^(?:${DOMAIN_COMPONENT_RE}(?:\\.${DOMAIN_COMPONENT_RE})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?$`;
const PATH_COMPONENT_RE = "^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$";
/** isDigestPinned's digest forms, as a CEL regex literal. */
export const CEL_PINNED_DIGEST = JSON.stringify("^(sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})$");

const q = (text: string): string => JSON.stringify(text);

/**
 * `name = init` for `body`: Kubernetes' CEL has no cel.bind, so a one-element list is mapped and
 * its element taken.
 */
export function celLet(name: string, init: string, body: string): string {
  return `[${init}].map(${name}, ${body})[0]`;
}

/**
 * parseImageReference in CEL, for the container bound to `c`: `body` (a bool) is evaluated with
 * `valid` (false where the TypeScript parser answers undefined, and for a missing image), `reg`
 * (the registry), `repo` (the repository, normalised as there), `tagged` and `tag`, `at >= 0`
 * (a digest is present) and `dg` (the digest), and `s` (the image). Shared by the images
 * family's policies. (CEL list and map literals must be homogeneous, so no record is built.)
 */
export function celWithImageRef(body: string): string {
  return [
    ["s", "has(c.image) ? c.image : ''"],
    ["at", "s.indexOf('@')"],
    ["r1", "at >= 0 ? s.substring(0, at) : s"],
    ["dg", "at >= 0 ? s.substring(at + 1) : ''"],
    ["colon", "r1.lastIndexOf(':')"],
    ["tagged", "colon > r1.lastIndexOf('/')"],
    ["tag", "tagged ? r1.substring(colon + 1) : ''"],
    ["r2", "tagged ? r1.substring(0, colon) : r1"],
    ["sl", "r2.indexOf('/')"],
    ["first", "sl >= 0 ? r2.substring(0, sl) : ''"],
    [
      "hosted",
      "sl >= 0 && (first.contains('.') || first.contains(':') || first == 'localhost' || first.lowerAscii() != first)",
    ],
    ["reg0", "hosted ? first : 'docker.io'"],
    ["repo0", "hosted ? r2.substring(sl + 1) : r2"],
    ["reg", "reg0 == 'index.docker.io' ? 'docker.io' : reg0"],
    ["repo", "reg == 'docker.io' && !repo0.contains('/') ? 'library/' + repo0 : repo0"],
    [
      "valid",
      `s != '' && s.trim() == s && (at < 0 || dg.matches(${q(DIGEST_RE)})) && (!tagged || tag.matches(${q(TAG_RE)})) && ` +
        `r2 != '' && size(r2) <= 255 && (!hosted || reg0.matches(${q(DOMAIN_RE)})) && repo0.split('/').all(p, p.matches(${q(PATH_COMPONENT_RE)}))`,
    ],
  ].reduceRight((acc, [name, init]) => celLet(name ?? "", init ?? "", acc), body);
}

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
  cel: {
    validations: [
      {
        expression: `variables.containers.all(c, ${celWithImageRef("valid && (at >= 0 || (tagged && tag != 'latest'))")})`,
      },
    ],
  },
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
