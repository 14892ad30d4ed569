/**
 * Container image references, parsed the way the container runtimes do (distribution/reference:
 * `reference.go`, `normalize.go`). The first path component is a registry only when it holds a
 * dot or a colon, is `localhost`, or has upper-case letters; otherwise the image lives on Docker
 * Hub, and single-component Hub names get the `library/` prefix. A colon in the registry part is
 * a port, never a tag, and the digest comes after `@`.
 */

export const DEFAULT_REGISTRY = "docker.io";
const LEGACY_DEFAULT_REGISTRY = "index.docker.io";

export interface ImageReference {
  /** The registry host (and port), normalised: "docker.io" for Docker Hub. */
  readonly registry: string;
  /** The repository path inside the registry, e.g. "library/nginx". */
  readonly repository: string;
  /** `registry/repository`: the fully qualified name, e.g. "docker.io/library/nginx". */
  readonly name: string;
  readonly tag?: string;
  /** `algorithm:hex`, e.g. "sha256:…". */
  readonly digest?: string;
}

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN = new RegExp(`^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?$`);
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
/**
 * The digests the OCI image spec registers (image-spec descriptor.md: sha256 and sha512, encoded
 * in lower-case hex of 64 and 128 digits), which the runtimes' go-digest verifies.
 */
const REGISTERED_DIGEST = /^(?:sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})$/;
const MAX_NAME_LENGTH = 255;

/** True when the first component of a name is a registry host rather than a Docker Hub namespace. */
function isRegistry(component: string): boolean {
  return (
    component.includes(".") ||
    component.includes(":") ||
    component === "localhost" ||
    component.toLowerCase() !== component
  );
}

/** Parses an image reference; undefined when the text is not a valid reference. */
export function parseImageReference(text: string): ImageReference | undefined {
  if (text === "" || text.trim() !== text) return undefined;
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return undefined;
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("/")) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return undefined;
  }
  if (rest === "" || rest.length > MAX_NAME_LENGTH) return undefined;
  const slash = rest.indexOf("/");
  let registry = DEFAULT_REGISTRY;
  let repository = rest;
  if (slash >= 0 && isRegistry(rest.slice(0, slash))) {
    registry = rest.slice(0, slash);
    repository = rest.slice(slash + 1);
    if (!DOMAIN.test(registry)) return undefined;
  }
  if (registry === LEGACY_DEFAULT_REGISTRY) registry = DEFAULT_REGISTRY;
  if (!repository.split("/").every((c) => PATH_COMPONENT.test(c))) return undefined;
  if (registry === DEFAULT_REGISTRY && !repository.includes("/")) repository = `library/${repository}`;
  return {
    registry,
    repository,
    name: `${registry}/${repository}`,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

/** True when the reference carries a well-formed digest of a registered algorithm (sha256, sha512). */
export function isDigestPinned(ref: ImageReference | undefined): boolean {
  return ref?.digest !== undefined && REGISTERED_DIGEST.test(ref.digest);
}

/**
 * The canonical form of a registry allowlist entry: a registry host (`ghcr.io`), optionally with
 * a repository prefix (`ghcr.io/acme`); an entry without a registry host is a Docker Hub
 * namespace (`acme` → `docker.io/acme`, `nginx`→ `docker.io/nginx`, not `library/nginx`: an
 * entry names a prefix, and Hub's official images are listed as `docker.io/library`).
 */
export function canonicalRegistryPrefix(entry: string): string {
  const trimmed = entry.trim().replace(/\/+$/, "");
  // A blank entry must allow nothing: read as a Docker Hub namespace it would allow all of Docker Hub.
  if (trimmed === "") return "";
  const slash = trimmed.indexOf("/");
  const first = slash >= 0 ? trimmed.slice(0, slash) : trimmed;
  const looksLikeHost = isRegistry(first) || first.includes("*");
  const prefix = looksLikeHost ? trimmed : `${DEFAULT_REGISTRY}/${trimmed}`;
  return prefix.startsWith(`${LEGACY_DEFAULT_REGISTRY}/`) || prefix === LEGACY_DEFAULT_REGISTRY
    ? DEFAULT_REGISTRY + prefix.slice(LEGACY_DEFAULT_REGISTRY.length)
    : prefix;
}

/** Host names compare case-insensitively. */
function hostMatches(pattern: string, host: string): boolean {
  if (!pattern.includes("*")) return pattern.toLowerCase() === host.toLowerCase();
  // `*` matches within the host only (never a slash): `*.dkr.ecr.*.amazonaws.com`.
  const re = pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${re.join("[^/]*")}$`, "i").test(host);
}

/** True when the image's fully qualified name is the prefix or lies under it (whole path components). */
export function matchesRegistryPrefix(ref: ImageReference, entry: string): boolean {
  const prefix = canonicalRegistryPrefix(entry);
  if (prefix === "") return false;
  const slash = prefix.indexOf("/");
  const host = slash >= 0 ? prefix.slice(0, slash) : prefix;
  const path = slash >= 0 ? prefix.slice(slash + 1) : "";
  if (!hostMatches(host, ref.registry)) return false;
  return path === "" || ref.repository === path || ref.repository.startsWith(`${path}/`);
}
