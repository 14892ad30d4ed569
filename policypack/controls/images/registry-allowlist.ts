import { join, str } from "../../engine/access";
import { configStrings } from "../../engine/control";
import { POD_KINDS } from "../../engine/pod";
import type { Violation } from "../../engine/types";
import { celRegexQuote } from "../cel";
import { resourceControl } from "../define";
import { matchesRegistryPrefix, parseImageReference } from "./image-reference";
import { celLet, celWithImageRef } from "./latest-tag";

/**
 * Every container image comes from an allowed registry (or repository prefix). The allowlist is
 * site-specific, so the control is optional: turn it on together with `registries`. Turned on
 * with an empty list it allows nothing (fail closed), and a malformed image is never allowed.
 * Images are compared fully qualified: `nginx` is `docker.io/library/nginx`, so allowing
 * `docker.io/library` allows Docker Hub's official images and nothing else from Docker Hub.
 */
export const imageRegistryAllowlist = resourceControl({
  id: "image-registry-allowlist",
  title: "Images only from allowed registries",
  family: "images",
  level: "hardened",
  severity: "high",
  references: {
    catalog: "IMG-003",
    nsaCisa: "Kubernetes Pod security › Building secure container images",
  },
  remediation:
    "Pull images only from registries you control or trust (mirror public images into them), and list those registries in controls.image-registry-allowlist.registries.",
  kinds: POD_KINDS,
  optional: true,
  config: {
    registries: {
      type: "array",
      items: { type: "string" },
      description:
        'Allowed registries or repository prefixes, e.g. "registry.example.com", "ghcr.io/acme", "*.dkr.ecr.*.amazonaws.com", "docker.io/library". Entries without a registry host are Docker Hub namespaces. Empty = nothing is allowed.',
      default: [],
    },
  },
  cel: {
    variables: [
      {
        // canonicalRegistryPrefix of each entry, split into host and repository path.
        name: "allowedPrefixes",
        expression:
          "(has(params.spec.registries) ? params.spec.registries : []).filter(e, type(e) == string).map(e, " +
          [
            ["t", "e.trim().find('(?s)^.*[^/]')"],
            ["sl", "t.indexOf('/')"],
            ["first", "sl >= 0 ? t.substring(0, sl) : t"],
            [
              "pre",
              // A blank entry allows nothing (not every Docker Hub image).
              "t == '' ? '' : (first.contains('.') || first.contains(':') || first == 'localhost' || first.lowerAscii() != first || first.contains('*') ? t : 'docker.io/' + t)",
            ],
            [
              "pfx",
              "pre.startsWith('index.docker.io/') || pre == 'index.docker.io' ? 'docker.io' + pre.substring(15) : pre",
            ],
            ["psl", "pfx.indexOf('/')"],
            ["host", "psl >= 0 ? pfx.substring(0, psl) : pfx"],
          ].reduceRight(
            (body, [name, init]) => celLet(name ?? "", init ?? "", body),
            "{'pfx': pfx, 'host': host, 'path': psl >= 0 ? pfx.substring(psl + 1) : '', " +
              `'hostRe': '(?i)^' + host.split('*').map(x, ${celRegexQuote("x", ["?"])}).join('[^/]*') + '$'}`,
          ) +
          ")",
      },
    ],
    validations: [
      {
        expression: `variables.containers.all(c, ${celWithImageRef(
          "valid && variables.allowedPrefixes.exists(p, p.pfx != '' && " +
            "(p.host.contains('*') ? reg.matches(p.hostRe) : p.host.lowerAscii() == reg.lowerAscii()) && " +
            "(p.path == '' || repo == p.path || repo.startsWith(p.path + '/')))",
        )})`,
      },
    ],
  },
  check(_object, ctx) {
    const pod = ctx.pod;
    if (pod === undefined) return [];
    const registries = configStrings(ctx.config, "registries");
    const out: Violation[] = [];
    for (const c of pod.containers) {
      const image = str(c.container["image"]) ?? "";
      const ref = parseImageReference(image);
      if (ref !== undefined && registries.some((r) => matchesRegistryPrefix(ref, r))) continue;
      const where = ref !== undefined ? ref.name : "an unparseable reference";
      out.push({
        message:
          registries.length === 0
            ? `container ${JSON.stringify(c.name)} image ${JSON.stringify(image)} is not allowed: no registries are allowed yet (set registries)`
            : `container ${JSON.stringify(c.name)} image ${JSON.stringify(image)} (${where}) is not from an allowed registry`,
        path: join(c.path, "image"),
      });
    }
    return out;
  },
});
