import { join, str } from "../../engine/access";
import { configStrings } from "../../engine/control";
import { POD_KINDS } from "../../engine/pod";
import type { Violation } from "../../engine/types";
import { resourceControl } from "../define";
import { matchesRegistryPrefix, parseImageReference } from "./image-reference";

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
