import { imageDeprecatedRegistry } from "../../../policypack/controls/images/deprecated-registry";
import { imageDigestPinned } from "../../../policypack/controls/images/digest-pinned";
import { imageLatestTag } from "../../../policypack/controls/images/latest-tag";
import { imagePullPolicyAlways } from "../../../policypack/controls/images/pull-policy-always";
import { imageRegistryAllowlist } from "../../../policypack/controls/images/registry-allowlist";
import { podView } from "../../../policypack/engine/pod";
import { inEveryKind, pod, runControl } from "../../helpers/objects";

const DIGEST = `sha256:${"0123456789abcdef".repeat(4)}`;

/** One container per image, in the given container list. */
function withImages(images: readonly (string | undefined)[], type = "containers"): Record<string, unknown> {
  return { [type]: images.map((image, i) => ({ name: `c${i}`, ...(image !== undefined ? { image } : {}) })) };
}

describe("image-latest-tag", () => {
  it.each([
    ["nginx:1.27.3", false],
    [`nginx@${DIGEST}`, false],
    [`nginx:latest@${DIGEST}`, false],
    ["localhost:5000/app:2", false],
    ["nginx:Latest", false],
    ["nginx", true],
    ["nginx:latest", true],
    ["localhost:5000/app", true],
    ["registry.example.com:443/team/app", true],
    ["NOT A REF", true],
    ["", true],
    [undefined, true],
  ])("%j flagged: %s", (image, flagged) => {
    for (const object of inEveryKind(withImages([image]))) {
      expect(runControl(imageLatestTag, object).length).toBe(flagged ? 1 : 0);
    }
  });

  it.each(["initContainers", "containers", "ephemeralContainers"])("walks %s", (type) => {
    const v = runControl(imageLatestTag, pod(withImages(["ok:1", "bad:latest"], type)));
    expect(v.map((x) => x.path)).toEqual([`spec.${type}[1].image`]);
    expect(v[0]?.message).toContain('container "c1"');
  });
});

describe("image-digest-pinned", () => {
  it.each([
    [`ghcr.io/acme/api@${DIGEST}`, false],
    [`ghcr.io/acme/api:1.0@${DIGEST}`, false],
    ["ghcr.io/acme/api:1.0", true],
    [`ghcr.io/acme/api@${DIGEST.slice(0, -1)}`, true],
    [`ghcr.io/acme/api@${DIGEST.toUpperCase().replace("SHA256", "sha256")}`, true],
    [undefined, true],
  ])("%j flagged: %s", (image, flagged) => {
    for (const object of inEveryKind(withImages([image], "initContainers"))) {
      expect(runControl(imageDigestPinned, object).length).toBe(flagged ? 1 : 0);
    }
  });
});

describe("image-registry-allowlist", () => {
  const registries = ["registry.example.com", "ghcr.io/acme"];

  it("is optional", () => {
    expect(imageRegistryAllowlist.optional).toBe(true);
  });

  it.each([
    ["registry.example.com/x/y:1", false],
    ["ghcr.io/acme/api:1", false],
    ["ghcr.io/acme", false],
    ["ghcr.io/other/api:1", true],
    ["nginx:1", true],
    ["registry.example.com.attacker.io/x:1", true],
    ["not valid!", true],
  ])("%s flagged: %s", (image, flagged) => {
    for (const object of inEveryKind(withImages([image], "ephemeralContainers"))) {
      expect(runControl(imageRegistryAllowlist, object, { config: { registries } }).length).toBe(flagged ? 1 : 0);
    }
  });

  it("fails closed with an empty allowlist", () => {
    const v = runControl(imageRegistryAllowlist, pod(withImages(["ghcr.io/acme/api:1"])));
    expect(v).toHaveLength(1);
    expect(v[0]?.message).toContain("no registries are allowed");
  });
});

describe("image-pull-policy-always", () => {
  it.each([
    ["app:1.0", "Always", false],
    ["app:1.0", "IfNotPresent", true],
    ["app:1.0", "Never", true],
    ["app:1.0", undefined, true],
    ["app:1.0", "", true],
    ["app", undefined, false], // defaulted to Always by the API
    ["app:latest", undefined, false],
    ["app:latest", "IfNotPresent", true],
    [`app@${DIGEST}`, "IfNotPresent", false],
    [`app@${DIGEST}`, undefined, false],
    ["!!", "IfNotPresent", false], // image-latest-tag reports malformed images
  ])("%s with %j flagged: %s", (image, policy, flagged) => {
    const spec = { containers: [{ name: "c", image, ...(policy !== undefined ? { imagePullPolicy: policy } : {}) }] };
    for (const object of inEveryKind(spec)) {
      const v = runControl(imagePullPolicyAlways, object);
      expect(v.length).toBe(flagged ? 1 : 0);
      if (flagged) expect(v[0]?.path).toMatch(/containers\[0\]\.imagePullPolicy$/);
    }
  });

  it("fixes only the offending containers, in every kind, without mutating the input", () => {
    const spec = {
      initContainers: [{ name: "init", image: "app:1", imagePullPolicy: "IfNotPresent" }],
      containers: [
        { name: "pinned", image: `app@${DIGEST}`, imagePullPolicy: "IfNotPresent" },
        { name: "tagged", image: "app:2" },
      ],
      ephemeralContainers: [{ name: "debug", image: "busybox:1.36", imagePullPolicy: "Never" }],
    };
    for (const object of inEveryKind(spec)) {
      const before = JSON.stringify(object);
      const fixed = imagePullPolicyAlways.fix!(object, {
        level: "hardened",
        policyVersion: Infinity,
        config: {},
        pod: podView(object),
      });
      expect(JSON.stringify(object)).toBe(before);
      expect(runControl(imagePullPolicyAlways, fixed)).toEqual([]);
      const policies = podView(fixed)!.containers.map((c) => c.container["imagePullPolicy"]);
      expect(policies).toEqual(["Always", "IfNotPresent", "Always", "Always"]);
    }
  });
});

describe("image-deprecated-registry", () => {
  it.each([
    ["k8s.gcr.io/pause:3.2", true],
    ["K8S.GCR.IO/pause:3.2", true],
    [`k8s.gcr.io/ingress-nginx/controller@${DIGEST}`, true],
    ["registry.k8s.io/pause:3.10", false],
    ["gcr.io/k8s-staging/pause:3", false],
    ["k8s.gcr.io.example.com/pause:3", false],
    ["pause:3", false],
  ])("%s flagged: %s", (image, flagged) => {
    for (const object of inEveryKind(withImages([image], "initContainers"))) {
      expect(runControl(imageDeprecatedRegistry, object).length).toBe(flagged ? 1 : 0);
    }
  });
});

describe("odd shapes", () => {
  it.each([
    { containers: "nope" },
    { containers: [null, 3, "x", { name: 5, image: 7 }] },
    { containers: [{ name: "c", image: ["a"] }] },
    {},
  ])("never throw on %j", (spec) => {
    for (const control of [
      imageLatestTag,
      imageDigestPinned,
      imageRegistryAllowlist,
      imagePullPolicyAlways,
      imageDeprecatedRegistry,
    ]) {
      for (const object of inEveryKind(spec)) expect(() => runControl(control, object)).not.toThrow();
    }
  });
});
