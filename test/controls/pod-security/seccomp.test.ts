import { podSeccompBaseline } from "../../../policypack/controls/pod-security/seccomp-baseline";
import { podSeccompRestricted } from "../../../policypack/controls/pod-security/seccomp-restricted";
import { expectFixes, expectPathsInEveryKind, messages, specOf } from "./support";

const RD = { type: "RuntimeDefault" };
const UNCONFINED = { type: "Unconfined" };
const LOCAL = { type: "Localhost", localhostProfile: "p.json" };
const spec = (pod?: unknown, ...containers: unknown[]) => ({
  ...(pod !== undefined ? { securityContext: { seccompProfile: pod } } : {}),
  containers: containers.map((p, i) => ({
    name: `c${i}`,
    image: "x",
    ...(p !== undefined ? { securityContext: { seccompProfile: p } } : {}),
  })),
});
const POD = "spec.securityContext.seccompProfile.type";
const C0 = "spec.containers[0].securityContext.seccompProfile.type";
const C1 = "spec.containers[1].securityContext.seccompProfile.type";

describe("pod-seccomp-baseline (fields, policy ≥ 1.19)", () => {
  it.each([
    ["nothing set", spec(undefined, undefined), []],
    ["pod RuntimeDefault", spec(RD, undefined), []],
    ["pod Localhost", spec(LOCAL, undefined), []],
    ["pod Unconfined", spec(UNCONFINED, undefined), [POD]],
    ["container Unconfined under RuntimeDefault", spec(RD, UNCONFINED, RD), [C0]],
    ["lower-case runtimedefault", spec({ type: "runtimedefault" }, undefined), [POD]],
    ["profile without type", spec({}, undefined), ["spec.securityContext.seccompProfile"]],
    ["null profile", spec(null, null), []],
  ] as const)("%s", (_name, s, expected) => {
    expectPathsInEveryKind(podSeccompBaseline, s, expected, { policyVersion: 19 });
  });

  it("ignores the alpha annotations from 1.19", () => {
    expectPathsInEveryKind(
      podSeccompBaseline,
      spec(undefined, undefined),
      [],
      { policyVersion: 19 },
      {
        annotations: { "seccomp.security.alpha.kubernetes.io/pod": "unconfined" },
      },
    );
  });

  it("speaks PSA's language", () => {
    expect(messages(podSeccompBaseline, spec(UNCONFINED, undefined))).toEqual([
      'pod must not set securityContext.seccompProfile.type to "Unconfined"',
    ]);
  });

  it("fixes: pod-level RuntimeDefault, container Unconfined removed", () => {
    const fixed = expectFixes(podSeccompBaseline, spec(UNCONFINED, UNCONFINED, LOCAL));
    expect(specOf(fixed)).toEqual({
      securityContext: { seccompProfile: RD },
      containers: [
        { name: "c0", image: "x", securityContext: {} },
        { name: "c1", image: "x", securityContext: { seccompProfile: LOCAL } },
      ],
    });
  });
});

describe("pod-seccomp-baseline (annotations, policy < 1.19)", () => {
  const POD_KEY = "seccomp.security.alpha.kubernetes.io/pod";
  const C0_KEY = "container.seccomp.security.alpha.kubernetes.io/c0";
  it.each([
    ["runtime/default", { [POD_KEY]: "runtime/default" }, []],
    ["docker/default", { [POD_KEY]: "docker/default" }, []],
    ["localhost/*", { [C0_KEY]: "localhost/profile.json" }, []],
    ["unconfined pod", { [POD_KEY]: "unconfined" }, [`metadata.annotations["${POD_KEY}"]`]],
    ["empty value", { [C0_KEY]: "" }, [`metadata.annotations["${C0_KEY}"]`]],
    ["unknown container", { "container.seccomp.security.alpha.kubernetes.io/ghost": "unconfined" }, []],
  ] as const)("%s", (_name, annotations, expected) => {
    expectPathsInEveryKind(
      podSeccompBaseline,
      spec(undefined, undefined),
      expected,
      { policyVersion: 18 },
      { annotations },
    );
  });

  it("ignores the fields before 1.19", () => {
    expectPathsInEveryKind(podSeccompBaseline, spec(UNCONFINED, UNCONFINED), [], { policyVersion: 18 });
  });

  it("fixes annotations to runtime/default", () => {
    const fixed = expectFixes(
      podSeccompBaseline,
      spec(undefined, undefined),
      { policyVersion: 18 },
      { annotations: { [POD_KEY]: "unconfined" } },
    );
    expect(fixed.metadata?.annotations).toEqual({ [POD_KEY]: "runtime/default" });
  });
});

describe("pod-seccomp-restricted", () => {
  it.each([
    ["pod RuntimeDefault covers containers", spec(RD, undefined, undefined), []],
    ["every container sets it", spec(undefined, RD, LOCAL), []],
    ["nothing set", spec(undefined, undefined, RD), [C0]],
    ["pod Unconfined, container unset", spec(UNCONFINED, undefined), [POD, C0]],
    ["pod Unconfined, container RuntimeDefault", spec(UNCONFINED, RD), [POD]],
    ["container Unconfined under a RuntimeDefault pod", spec(RD, RD, UNCONFINED), [C1]],
    ["profile without type under a valid pod", spec(RD, {}), ["spec.containers[0].securityContext.seccompProfile"]],
    ["no containers", spec(undefined), []],
  ] as const)("%s", (_name, s, expected) => {
    expectPathsInEveryKind(podSeccompRestricted, s, expected);
  });

  it.each([
    [24, [C0]],
    [25, []],
  ] as const)("Windows pods are exempt from 1.25 (v1.%i)", (policyVersion, expected) => {
    expectPathsInEveryKind(podSeccompRestricted, { os: { name: "windows" }, ...spec(undefined, undefined) }, expected, {
      policyVersion,
    });
  });

  it("checks init and ephemeral containers", () => {
    expectPathsInEveryKind(
      podSeccompRestricted,
      {
        initContainers: [{ name: "i", image: "x" }],
        containers: [{ name: "a", image: "x", securityContext: { seccompProfile: RD } }],
        ephemeralContainers: [{ name: "e", image: "x" }],
      },
      [
        "spec.initContainers[0].securityContext.seccompProfile.type",
        "spec.ephemeralContainers[0].securityContext.seccompProfile.type",
      ],
    );
  });

  it("overrides the Baseline check from 1.19", () => {
    expect(podSeccompRestricted.overrides).toEqual([podSeccompBaseline.id]);
    expect(podSeccompRestricted.minPolicyVersion).toBe(19);
  });

  it("asks for the field in PSA's words", () => {
    expect(messages(podSeccompRestricted, spec(undefined, undefined))).toEqual([
      'pod or container "c0" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"',
    ]);
  });

  it("fixes to pod-level RuntimeDefault and clears container Unconfined", () => {
    const fixed = expectFixes(podSeccompRestricted, spec(undefined, UNCONFINED, undefined));
    expect(specOf(fixed)).toEqual({
      securityContext: { seccompProfile: RD },
      containers: [
        { name: "c0", image: "x", securityContext: {} },
        { name: "c1", image: "x" },
      ],
    });
  });
});
