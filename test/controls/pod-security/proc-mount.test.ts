import { podProcMount } from "../../../policypack/controls/pod-security/proc-mount";
import { podProcMountRestricted } from "../../../policypack/controls/pod-security/proc-mount-restricted";
import { expectFixes, expectPathsInEveryKind, messages, specOf } from "./support";

const spec = (procMount: unknown, extra: Record<string, unknown> = {}) => ({
  ...extra,
  containers: [{ name: "app", image: "x", securityContext: { procMount } }],
});
const PATH = "spec.containers[0].securityContext.procMount";

describe("pod-proc-mount", () => {
  it.each([
    ["Default", spec("Default"), Infinity, []],
    ["null", spec(null), Infinity, []],
    ["Unmasked", spec("Unmasked"), Infinity, [PATH]],
    ["lower-case default", spec("default"), Infinity, [PATH]],
    ["empty string", spec(""), Infinity, [PATH]],
    ["Unmasked, hostUsers=false at v1.34", spec("Unmasked", { hostUsers: false }), 34, [PATH]],
    ["Unmasked, hostUsers=false at v1.35", spec("Unmasked", { hostUsers: false }), 35, []],
    ["Unmasked, hostUsers=true at v1.35", spec("Unmasked", { hostUsers: true }), 35, [PATH]],
    ["Unmasked, hostUsers=false at latest", spec("Unmasked", { hostUsers: false }), Infinity, []],
  ] as const)("%s", (_name, s, policyVersion, expected) => {
    expectPathsInEveryKind(podProcMount, s, expected, { policyVersion });
  });

  it("checks ephemeral containers", () => {
    expectPathsInEveryKind(
      podProcMount,
      {
        containers: [{ name: "a", image: "x" }],
        ephemeralContainers: [{ name: "e", image: "x", securityContext: { procMount: "Unmasked" } }],
      },
      ["spec.ephemeralContainers[0].securityContext.procMount"],
    );
  });

  it("names the value", () => {
    expect(messages(podProcMount, spec("Unmasked"))).toEqual([
      'container "app" must not set securityContext.procMount to "Unmasked"',
    ]);
  });

  it("fixes to Default", () => {
    const fixed = expectFixes(podProcMount, spec("Unmasked"));
    expect(specOf(fixed)).toEqual(spec("Default"));
  });
});

describe("pod-proc-mount-restricted", () => {
  it.each([
    ["Default", spec("Default"), []],
    ["Unmasked", spec("Unmasked"), [PATH]],
    ["Unmasked even with hostUsers=false", spec("Unmasked", { hostUsers: false }), [PATH]],
  ] as const)("%s", (_name, s, expected) => {
    expectPathsInEveryKind(podProcMountRestricted, s, expected);
  });

  it("exists from 1.35 and then replaces the Baseline check", () => {
    expect(podProcMountRestricted.minPolicyVersion).toBe(35);
    expect(podProcMountRestricted.overrides).toEqual([podProcMount.id]);
    expect(podProcMountRestricted.level).toBe("restricted");
  });

  it("fixes to Default", () => {
    expectFixes(podProcMountRestricted, spec("Unmasked", { hostUsers: false }));
  });
});
