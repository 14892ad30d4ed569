import fc from "fast-check";
import {
  canonicalRegistryPrefix,
  isDigestPinned,
  matchesRegistryPrefix,
  parseImageReference,
} from "../../../policypack/controls/images/image-reference";

const HEX = "0123456789abcdef".repeat(4);
const DIGEST = `sha256:${HEX}`;

describe("parseImageReference", () => {
  it.each([
    ["nginx", { registry: "docker.io", repository: "library/nginx" }],
    ["nginx:1.27", { registry: "docker.io", repository: "library/nginx", tag: "1.27" }],
    ["bitnami/redis:7", { registry: "docker.io", repository: "bitnami/redis", tag: "7" }],
    ["docker.io/nginx", { registry: "docker.io", repository: "library/nginx" }],
    ["index.docker.io/library/nginx:1", { registry: "docker.io", repository: "library/nginx", tag: "1" }],
    ["localhost/app", { registry: "localhost", repository: "app" }],
    ["localhost:5000/app", { registry: "localhost:5000", repository: "app" }],
    ["localhost:5000/app:2.0", { registry: "localhost:5000", repository: "app", tag: "2.0" }],
    [
      "registry.example.com:443/team/app:v1",
      { registry: "registry.example.com:443", repository: "team/app", tag: "v1" },
    ],
    ["ghcr.io/acme/api", { registry: "ghcr.io", repository: "acme/api" }],
    ["Registry/app", { registry: "Registry", repository: "app" }],
    ["[::1]:5000/app:1", { registry: "[::1]:5000", repository: "app", tag: "1" }],
    [`ghcr.io/acme/api@${DIGEST}`, { registry: "ghcr.io", repository: "acme/api", digest: DIGEST }],
    [`nginx:latest@${DIGEST}`, { registry: "docker.io", repository: "library/nginx", tag: "latest", digest: DIGEST }],
    ["a/b/c/d:e", { registry: "docker.io", repository: "a/b/c/d", tag: "e" }],
  ])("%s", (text, expected) => {
    expect(parseImageReference(text)).toEqual({ ...expected, name: `${expected.registry}/${expected.repository}` });
  });

  it.each([
    "",
    " nginx",
    "nginx ",
    "Nginx",
    "ghcr.io/Acme/api",
    "nginx:",
    "nginx:-bad",
    "nginx@sha256:xyz",
    "nginx@",
    ":1.0",
    "ghcr.io/",
    "a//b",
    "-bad/app",
    `nginx:${"x".repeat(129)}`,
  ])("rejects %j", (text) => {
    expect(parseImageReference(text)).toBeUndefined();
  });

  it("never throws and keeps tags out of registry ports", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const ref = parseImageReference(text);
        if (ref === undefined) return;
        expect(ref.name).toBe(`${ref.registry}/${ref.repository}`);
        expect(ref.repository).not.toContain(":");
        expect(ref.tag ?? "").not.toContain("/");
      }),
    );
  });

  it("round-trips generated references", () => {
    const component = fc.stringMatching(/^[a-z0-9]+([._-][a-z0-9]+){0,3}$/);
    const host = fc.constantFrom("ghcr.io", "localhost:5000", "registry.example.com:8443", "10.0.0.1:5000", "quay.io");
    const tag = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}$/);
    fc.assert(
      fc.property(
        host,
        fc.array(component, { minLength: 1, maxLength: 3 }),
        fc.option(tag),
        fc.boolean(),
        (h, path, t, pinned) => {
          const repository = path.join("/");
          const text = `${h}/${repository}${t !== null ? `:${t}` : ""}${pinned ? `@${DIGEST}` : ""}`;
          const ref = parseImageReference(text);
          expect(ref).toBeDefined();
          expect(ref?.registry).toBe(h);
          expect(ref?.repository).toBe(repository);
          expect(ref?.tag).toBe(t ?? undefined);
          expect(isDigestPinned(ref)).toBe(pinned);
        },
      ),
    );
  });
});

describe("isDigestPinned", () => {
  it.each([
    [`app@${DIGEST}`, true],
    [`app@sha256:${HEX.slice(1)}`, false],
    [`app@sha256:${HEX.toUpperCase()}`, false],
    // The OCI image spec registers sha512 beside sha256.
    [`app@sha512:${HEX}${HEX}`, true],
    [`app@sha512:${HEX}`, false],
    [`app@sha384:${HEX}${HEX.slice(0, 32)}`, false],
    ["app:1.0", false],
  ])("%s → %s", (text, pinned) => {
    expect(isDigestPinned(parseImageReference(text))).toBe(pinned);
  });
});

describe("registry prefixes", () => {
  it.each([
    ["ghcr.io", "ghcr.io"],
    ["ghcr.io/acme/", "ghcr.io/acme"],
    ["acme", "docker.io/acme"],
    ["index.docker.io/library", "docker.io/library"],
    ["*.dkr.ecr.*.amazonaws.com", "*.dkr.ecr.*.amazonaws.com"],
  ])("canonical %s → %s", (entry, canonical) => {
    expect(canonicalRegistryPrefix(entry)).toBe(canonical);
  });

  it.each([
    ["ghcr.io/acme/api:1", "ghcr.io", true],
    ["ghcr.io/acme/api:1", "GHCR.IO", true],
    ["ghcr.io/acme/api:1", "ghcr.io/acme", true],
    ["ghcr.io/acme-evil/api:1", "ghcr.io/acme", false],
    ["ghcr.io.evil.com/acme/api:1", "ghcr.io", false],
    ["nginx:1", "docker.io/library", true],
    ["nginx:1", "docker.io", true],
    ["bitnami/redis:7", "docker.io/library", false],
    ["bitnami/redis:7", "bitnami", true],
    ["123.dkr.ecr.eu-west-1.amazonaws.com/api:1", "*.dkr.ecr.*.amazonaws.com", true],
    ["evil.com/123.dkr.ecr.eu-west-1.amazonaws.com:1", "*.dkr.ecr.*.amazonaws.com", false],
    ["localhost:5000/app", "localhost", false],
    ["localhost:5000/app", "localhost:5000", true],
    ["ghcr.io/acme/api", "", false],
  ])("%s under %j: %s", (image, entry, expected) => {
    const ref = parseImageReference(image);
    expect(ref).toBeDefined();
    expect(matchesRegistryPrefix(ref!, entry)).toBe(expected);
  });
});
