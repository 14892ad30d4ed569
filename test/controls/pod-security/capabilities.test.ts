import fc from "fast-check";
import {
  BASELINE_CAPABILITIES,
  podCapabilitiesBaseline,
} from "../../../policypack/controls/pod-security/capabilities-baseline";
import { podCapabilitiesRestricted } from "../../../policypack/controls/pod-security/capabilities-restricted";
import { podDropNetRaw } from "../../../policypack/controls/pod-security/drop-net-raw";
import { pod, runControl } from "../../helpers/objects";
import { contextFor, expectFixes, expectPathsInEveryKind, messages, specOf } from "./support";

const withCaps = (capabilities: unknown, extra: Record<string, unknown> = {}) => ({
  ...extra,
  containers: [{ name: "app", image: "x", securityContext: { capabilities } }],
});
const CAPS = "spec.containers[0].securityContext.capabilities";

describe("pod-capabilities-baseline", () => {
  it.each([
    ["no capabilities", { containers: [{ name: "app", image: "x" }] }, []],
    ["empty add", withCaps({ add: [] }), []],
    ["every default capability", withCaps({ add: [...BASELINE_CAPABILITIES] }), []],
    ["SYS_ADMIN", withCaps({ add: ["CHOWN", "SYS_ADMIN"] }), [`${CAPS}.add[1]`]],
    ["NET_RAW is not in the default set", withCaps({ add: ["NET_RAW"] }), [`${CAPS}.add[0]`]],
    ["lower-case chown is not CHOWN", withCaps({ add: ["chown"] }), [`${CAPS}.add[0]`]],
    ["CAP_ prefix is not the name", withCaps({ add: ["CAP_CHOWN"] }), [`${CAPS}.add[0]`]],
    ["ALL", withCaps({ add: ["ALL"] }), [`${CAPS}.add[0]`]],
    ["drop is not inspected", withCaps({ drop: ["SYS_ADMIN"] }), []],
    [
      "init and ephemeral containers",
      {
        initContainers: [{ name: "i", image: "x", securityContext: { capabilities: { add: ["NET_ADMIN"] } } }],
        containers: [{ name: "app", image: "x" }],
        ephemeralContainers: [{ name: "e", image: "x", securityContext: { capabilities: { add: ["SYS_PTRACE"] } } }],
      },
      [
        "spec.initContainers[0].securityContext.capabilities.add[0]",
        "spec.ephemeralContainers[0].securityContext.capabilities.add[0]",
      ],
    ],
  ] as const)("%s", (_name, spec, expected) => {
    expectPathsInEveryKind(podCapabilitiesBaseline, spec, expected);
  });

  it("is not relaxed for Windows or user-namespaced pods", () => {
    expectPathsInEveryKind(
      podCapabilitiesBaseline,
      withCaps({ add: ["SYS_ADMIN"] }, { hostUsers: false, os: { name: "windows" } }),
      [`${CAPS}.add[0]`],
    );
  });

  it("flags exactly the capabilities outside the set", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...BASELINE_CAPABILITIES, "SYS_ADMIN", "NET_RAW", "BPF", "all")), (add) => {
        const flagged = runControl(podCapabilitiesBaseline, pod(withCaps({ add }))).map((v) => v.path);
        const expected = add.flatMap((cap, i) => (BASELINE_CAPABILITIES.has(cap) ? [] : [`${CAPS}.add[${i}]`]));
        expect(flagged).toEqual(expected);
      }),
    );
  });
});

describe("pod-capabilities-restricted", () => {
  it.each([
    ["drop ALL", withCaps({ drop: ["ALL"] }), []],
    ["drop ALL among others", withCaps({ drop: ["NET_RAW", "ALL"] }), []],
    ["drop ALL, add NET_BIND_SERVICE", withCaps({ drop: ["ALL"], add: ["NET_BIND_SERVICE"] }), []],
    ["no capabilities", { containers: [{ name: "app", image: "x" }] }, [`${CAPS}.drop`]],
    ["empty drop", withCaps({ drop: [] }), [`${CAPS}.drop`]],
    ["lower-case all", withCaps({ drop: ["all"] }), [`${CAPS}.drop`]],
    ["mixed-case All", withCaps({ drop: ["All"] }), [`${CAPS}.drop`]],
    [
      "add CHOWN",
      withCaps({ drop: ["ALL"], add: ["CHOWN", "NET_BIND_SERVICE", "SYS_ADMIN"] }),
      [`${CAPS}.add[0]`, `${CAPS}.add[2]`],
    ],
    ["add without drop", withCaps({ add: ["SYS_ADMIN"] }), [`${CAPS}.drop`, `${CAPS}.add[0]`]],
  ] as const)("%s", (_name, spec, expected) => {
    expectPathsInEveryKind(podCapabilitiesRestricted, spec, expected);
  });

  it.each([
    [24, [`${CAPS}.drop`]],
    [25, []],
  ] as const)("Windows pods are exempt from 1.25 (policy v1.%i)", (policyVersion, expected) => {
    expectPathsInEveryKind(
      podCapabilitiesRestricted,
      { os: { name: "windows" }, containers: [{ name: "app", image: "x" }] },
      expected,
      {
        policyVersion,
      },
    );
  });

  it("is not relaxed for user-namespaced pods", () => {
    expectPathsInEveryKind(podCapabilitiesRestricted, { hostUsers: false, containers: [{ name: "app", image: "x" }] }, [
      `${CAPS}.drop`,
    ]);
  });

  it("overrides its Baseline twin from 1.22", () => {
    expect(podCapabilitiesRestricted.overrides).toEqual([podCapabilitiesBaseline.id]);
    expect(podCapabilitiesRestricted.minPolicyVersion).toBe(22);
  });

  it("speaks PSA's language", () => {
    expect(messages(podCapabilitiesRestricted, withCaps({ drop: ["all"], add: ["SYS_ADMIN"] }))).toEqual([
      'container "app" must set securityContext.capabilities.drop=["ALL"]',
      'container "app" must not include "SYS_ADMIN" in securityContext.capabilities.add',
    ]);
  });

  it("fixes by appending ALL to drop, keeping adds", () => {
    const fixed = expectFixes(podCapabilitiesRestricted, {
      initContainers: [{ name: "i", image: "x" }],
      containers: [
        { name: "app", image: "x", securityContext: { capabilities: { drop: ["all"], add: ["NET_BIND_SERVICE"] } } },
      ],
    });
    expect(specOf(fixed)["containers"]).toEqual([
      {
        name: "app",
        image: "x",
        securityContext: { capabilities: { drop: ["all", "ALL"], add: ["NET_BIND_SERVICE"] } },
      },
    ]);
    expect(specOf(fixed)["initContainers"]).toEqual([
      { name: "i", image: "x", securityContext: { capabilities: { drop: ["ALL"] } } },
    ]);
  });

  it("does not pretend: adds beyond NET_BIND_SERVICE still fail after the fix", () => {
    const object = pod(withCaps({ add: ["SYS_ADMIN"] }));
    const fixed = podCapabilitiesRestricted.fix!(object, {
      level: "restricted",
      policyVersion: Infinity,
      config: {},
      pod: undefined,
    });
    expect(fixed).toBe(object); // no pod view: nothing to do
    const fixed2 = podCapabilitiesRestricted.fix!(object, contextFor(podCapabilitiesRestricted, object));
    expect(runControl(podCapabilitiesRestricted, fixed2).map((v) => v.path)).toEqual([`${CAPS}.add[0]`]);
  });
});

describe("pod-drop-net-raw", () => {
  it.each([
    ["drop ALL", withCaps({ drop: ["ALL"] }), []],
    ["drop NET_RAW", withCaps({ drop: ["NET_RAW"] }), []],
    ["nothing dropped", { containers: [{ name: "app", image: "x" }] }, [`${CAPS}.drop`]],
    ["other drops", withCaps({ drop: ["SYS_ADMIN"] }), [`${CAPS}.drop`]],
    ["lower-case net_raw", withCaps({ drop: ["net_raw"] }), [`${CAPS}.drop`]],
    ["Windows pods carry no capabilities", { os: { name: "windows" }, containers: [{ name: "app", image: "x" }] }, []],
    [
      "ephemeral containers too",
      {
        containers: [{ name: "app", image: "x", securityContext: { capabilities: { drop: ["ALL"] } } }],
        ephemeralContainers: [{ name: "e", image: "x" }],
      },
      ["spec.ephemeralContainers[0].securityContext.capabilities.drop"],
    ],
  ] as const)("%s", (_name, spec, expected) => {
    expectPathsInEveryKind(podDropNetRaw, spec, expected);
  });

  it("is a hardened control, not a PSS one", () => {
    expect(podDropNetRaw.level).toBe("hardened");
  });

  it("fixes by dropping NET_RAW, leaving containers that add it to a human", () => {
    const object = pod({
      containers: [
        { name: "a", image: "x" },
        { name: "b", image: "x", securityContext: { capabilities: { drop: ["CHOWN"] } } },
        { name: "c", image: "x", securityContext: { capabilities: { add: ["NET_RAW"] } } },
      ],
    });
    const fixed = podDropNetRaw.fix!(object, contextFor(podDropNetRaw, object));
    expect(specOf(fixed)["containers"]).toEqual([
      { name: "a", image: "x", securityContext: { capabilities: { drop: ["NET_RAW"] } } },
      { name: "b", image: "x", securityContext: { capabilities: { drop: ["CHOWN", "NET_RAW"] } } },
      { name: "c", image: "x", securityContext: { capabilities: { add: ["NET_RAW"] } } },
    ]);
    expect(runControl(podDropNetRaw, fixed).map((v) => v.path)).toEqual([
      "spec.containers[2].securityContext.capabilities.drop",
    ]);
  });

  it("fixes in every kind without mutating the input", () => {
    expectFixes(podDropNetRaw, { containers: [{ name: "a", image: "x" }] });
  });
});
