import { podAllowPrivilegeEscalation } from "../../../policypack/controls/pod-security/allow-privilege-escalation";
import { podRunAsNonRoot } from "../../../policypack/controls/pod-security/run-as-non-root";
import { podRunAsUser } from "../../../policypack/controls/pod-security/run-as-user";
import { pod, runControl } from "../../helpers/objects";
import { contextFor, expectFixes, expectPathsInEveryKind, messages, specOf } from "./support";

const c = (name: string, securityContext?: Record<string, unknown>) => ({
  name,
  image: "x",
  ...(securityContext ? { securityContext } : {}),
});

describe("pod-allow-privilege-escalation", () => {
  const P = "spec.containers[0].securityContext.allowPrivilegeEscalation";
  it.each([
    ["false", { containers: [c("a", { allowPrivilegeEscalation: false })] }, Infinity, []],
    ["unset", { containers: [c("a")] }, Infinity, [P]],
    ["true", { containers: [c("a", { allowPrivilegeEscalation: true })] }, Infinity, [P]],
    ["null", { containers: [c("a", { allowPrivilegeEscalation: null })] }, Infinity, [P]],
    ["Windows at v1.24", { os: { name: "windows" }, containers: [c("a")] }, 24, [P]],
    ["Windows at v1.25", { os: { name: "windows" }, containers: [c("a")] }, 25, []],
    ["linux os at v1.25", { os: { name: "linux" }, containers: [c("a")] }, 25, [P]],
    [
      "init and ephemeral containers",
      {
        initContainers: [c("i")],
        containers: [c("a", { allowPrivilegeEscalation: false })],
        ephemeralContainers: [c("e")],
      },
      Infinity,
      [
        "spec.initContainers[0].securityContext.allowPrivilegeEscalation",
        "spec.ephemeralContainers[0].securityContext.allowPrivilegeEscalation",
      ],
    ],
  ] as const)("%s", (_name, spec, policyVersion, expected) => {
    expectPathsInEveryKind(podAllowPrivilegeEscalation, spec, expected, { policyVersion });
  });

  it("exists from policy 1.8", () => {
    expect(podAllowPrivilegeEscalation.minPolicyVersion).toBe(8);
  });

  it("speaks PSA's language", () => {
    expect(messages(podAllowPrivilegeEscalation, { containers: [c("app")] })).toEqual([
      'container "app" must set securityContext.allowPrivilegeEscalation=false',
    ]);
  });

  it("fixes every container", () => {
    const fixed = expectFixes(podAllowPrivilegeEscalation, {
      initContainers: [c("i")],
      containers: [c("a", { allowPrivilegeEscalation: true })],
    });
    expect(specOf(fixed)).toEqual({
      initContainers: [c("i", { allowPrivilegeEscalation: false })],
      containers: [c("a", { allowPrivilegeEscalation: false })],
    });
  });

  it("leaves privileged and SYS_ADMIN containers alone (false would make the pod invalid)", () => {
    const object = pod({
      containers: [c("p", { privileged: true }), c("s", { capabilities: { add: ["SYS_ADMIN"] } }), c("ok")],
    });
    const fixed = podAllowPrivilegeEscalation.fix!(object, contextFor(podAllowPrivilegeEscalation, object));
    expect(runControl(podAllowPrivilegeEscalation, fixed).map((v) => v.path)).toEqual([
      "spec.containers[0].securityContext.allowPrivilegeEscalation",
      "spec.containers[1].securityContext.allowPrivilegeEscalation",
    ]);
  });
});

describe("pod-run-as-non-root", () => {
  const C0 = "spec.containers[0].securityContext.runAsNonRoot";
  const C1 = "spec.containers[1].securityContext.runAsNonRoot";
  const POD = "spec.securityContext.runAsNonRoot";
  it.each([
    ["pod true", { securityContext: { runAsNonRoot: true }, containers: [c("a"), c("b")] }, Infinity, []],
    [
      "every container true",
      { containers: [c("a", { runAsNonRoot: true }), c("b", { runAsNonRoot: true })] },
      Infinity,
      [],
    ],
    ["nothing set", { containers: [c("a"), c("b", { runAsNonRoot: true })] }, Infinity, [C0]],
    [
      "pod true, container false",
      { securityContext: { runAsNonRoot: true }, containers: [c("a"), c("b", { runAsNonRoot: false })] },
      Infinity,
      [C1],
    ],
    [
      "pod false, containers true",
      { securityContext: { runAsNonRoot: false }, containers: [c("a", { runAsNonRoot: true })] },
      Infinity,
      [POD],
    ],
    [
      "pod false, container unset",
      { securityContext: { runAsNonRoot: false }, containers: [c("a")] },
      Infinity,
      [POD, C0],
    ],
    ["runAsUser 1000 is not enough", { securityContext: { runAsUser: 1000 }, containers: [c("a")] }, Infinity, [C0]],
    ["Windows is not exempt", { os: { name: "windows" }, containers: [c("a")] }, Infinity, [C0]],
    ["hostUsers=false at v1.34", { hostUsers: false, containers: [c("a", { runAsNonRoot: false })] }, 34, [C0]],
    ["hostUsers=false at v1.35", { hostUsers: false, containers: [c("a", { runAsNonRoot: false })] }, 35, []],
    ["hostUsers=true at v1.35", { hostUsers: true, containers: [c("a")] }, 35, [C0]],
    ["no containers", { securityContext: {} }, Infinity, []],
  ] as const)("%s", (_name, spec, policyVersion, expected) => {
    expectPathsInEveryKind(podRunAsNonRoot, spec, expected, { policyVersion });
  });

  it("speaks PSA's language", () => {
    expect(
      messages(podRunAsNonRoot, {
        securityContext: { runAsNonRoot: false },
        containers: [c("a"), c("b", { runAsNonRoot: false })],
      }),
    ).toEqual([
      "pod must not set securityContext.runAsNonRoot=false",
      'pod or container "a" must set securityContext.runAsNonRoot=true',
      'container "b" must not set securityContext.runAsNonRoot=false',
    ]);
  });

  it("fixes at pod level and drops container-level false", () => {
    const fixed = expectFixes(podRunAsNonRoot, {
      securityContext: { runAsNonRoot: false, fsGroup: 2000 },
      containers: [c("a", { runAsNonRoot: false, runAsUser: 1000 }), c("b")],
    });
    expect(specOf(fixed)).toEqual({
      securityContext: { runAsNonRoot: true, fsGroup: 2000 },
      containers: [c("a", { runAsUser: 1000 }), c("b")],
    });
  });
});

describe("pod-run-as-user", () => {
  it.each([
    ["unset", { containers: [c("a")] }, Infinity, []],
    ["1000", { securityContext: { runAsUser: 1000 }, containers: [c("a", { runAsUser: 1 })] }, Infinity, []],
    [
      "pod 0",
      { securityContext: { runAsUser: 0 }, containers: [c("a")] },
      Infinity,
      ["spec.securityContext.runAsUser"],
    ],
    [
      "container 0 overriding pod 1000",
      { securityContext: { runAsUser: 1000 }, containers: [c("a", { runAsUser: 0 })] },
      Infinity,
      ["spec.containers[0].securityContext.runAsUser"],
    ],
    [
      "hostUsers=false at v1.34",
      { hostUsers: false, securityContext: { runAsUser: 0 }, containers: [c("a")] },
      34,
      ["spec.securityContext.runAsUser"],
    ],
    ["hostUsers=false at v1.35", { hostUsers: false, securityContext: { runAsUser: 0 }, containers: [c("a")] }, 35, []],
    [
      "init and ephemeral",
      {
        initContainers: [c("i", { runAsUser: 0 })],
        containers: [c("a")],
        ephemeralContainers: [c("e", { runAsUser: 0 })],
      },
      Infinity,
      ["spec.initContainers[0].securityContext.runAsUser", "spec.ephemeralContainers[0].securityContext.runAsUser"],
    ],
  ] as const)("%s", (_name, spec, policyVersion, expected) => {
    expectPathsInEveryKind(podRunAsUser, spec, expected, { policyVersion });
  });

  it("exists from policy 1.23", () => {
    expect(podRunAsUser.minPolicyVersion).toBe(23);
  });
});
