import { podAppArmor } from "../../../policypack/controls/pod-security/apparmor";
import { podSELinux } from "../../../policypack/controls/pod-security/selinux";
import { expectFixes, expectPathsInEveryKind, messages, specOf } from "./support";

const app = (securityContext?: Record<string, unknown>) => ({
  name: "app",
  image: "x",
  ...(securityContext ? { securityContext } : {}),
});
const KEY = "container.apparmor.security.beta.kubernetes.io/app";

describe("pod-apparmor", () => {
  it.each([
    ["nothing set", { containers: [app()] }, []],
    [
      "pod RuntimeDefault",
      { securityContext: { appArmorProfile: { type: "RuntimeDefault" } }, containers: [app()] },
      [],
    ],
    [
      "container Localhost",
      { containers: [app({ appArmorProfile: { type: "Localhost", localhostProfile: "p" } })] },
      [],
    ],
    [
      "pod Unconfined",
      { securityContext: { appArmorProfile: { type: "Unconfined" } }, containers: [app()] },
      ["spec.securityContext.appArmorProfile.type"],
    ],
    [
      "container Unconfined under a RuntimeDefault pod",
      {
        securityContext: { appArmorProfile: { type: "RuntimeDefault" } },
        containers: [app({ appArmorProfile: { type: "Unconfined" } })],
      },
      ["spec.containers[0].securityContext.appArmorProfile.type"],
    ],
    [
      "profile without a type",
      { containers: [app({ appArmorProfile: {} })] },
      ["spec.containers[0].securityContext.appArmorProfile"],
    ],
    [
      "lower-case runtimedefault",
      { containers: [app({ appArmorProfile: { type: "runtimedefault" } })] },
      ["spec.containers[0].securityContext.appArmorProfile.type"],
    ],
    [
      "ephemeral container",
      {
        containers: [app()],
        ephemeralContainers: [{ name: "d", image: "x", securityContext: { appArmorProfile: { type: "Unconfined" } } }],
      },
      ["spec.ephemeralContainers[0].securityContext.appArmorProfile.type"],
    ],
  ] as const)("field: %s", (_name, spec, expected) => {
    expectPathsInEveryKind(podAppArmor, spec, expected);
  });

  it.each([
    ["runtime/default", []],
    ["localhost/my-profile", []],
    ["", []],
    ["unconfined", [`metadata.annotations["${KEY}"]`]],
    ["localhost", [`metadata.annotations["${KEY}"]`]],
    ["RuntimeDefault", [`metadata.annotations["${KEY}"]`]],
  ] as const)("annotation %j", (value, expected) => {
    expectPathsInEveryKind(podAppArmor, { containers: [app()] }, expected, {}, { annotations: { [KEY]: value } });
  });

  it("reads annotations of containers the pod does not have, and ignores other annotations", () => {
    const annotations = {
      "container.apparmor.security.beta.kubernetes.io/ghost": "unconfined",
      "apparmor.example.com/app": "unconfined",
    };
    expectPathsInEveryKind(
      podAppArmor,
      { containers: [app()] },
      ['metadata.annotations["container.apparmor.security.beta.kubernetes.io/ghost"]'],
      {},
      { annotations },
    );
  });

  it("names the setter", () => {
    expect(messages(podAppArmor, { containers: [app({ appArmorProfile: { type: "Unconfined" } })] })).toEqual([
      'container "app" must not set AppArmor profile type to "Unconfined"',
    ]);
  });

  it("fixes fields and annotations back to the runtime default", () => {
    const fixed = expectFixes(
      podAppArmor,
      {
        securityContext: { appArmorProfile: { type: "Unconfined" }, runAsNonRoot: true },
        containers: [
          app({ appArmorProfile: { type: "Unconfined" } }),
          { name: "b", image: "x", securityContext: { appArmorProfile: { type: "Localhost", localhostProfile: "p" } } },
        ],
      },
      {},
      { annotations: { [KEY]: "unconfined", other: "kept" } },
    );
    expect(specOf(fixed)).toEqual({
      securityContext: { runAsNonRoot: true },
      containers: [
        app({}),
        { name: "b", image: "x", securityContext: { appArmorProfile: { type: "Localhost", localhostProfile: "p" } } },
      ],
    });
    expect(fixed.metadata?.annotations).toEqual({ [KEY]: "runtime/default", other: "kept" });
  });
});

describe("pod-selinux", () => {
  const podLevel = (seLinuxOptions: unknown) => ({ securityContext: { seLinuxOptions }, containers: [app()] });
  const ctrLevel = (seLinuxOptions: unknown) => ({ containers: [app({ seLinuxOptions })] });
  const POD = "spec.securityContext.seLinuxOptions";
  const CTR = "spec.containers[0].securityContext.seLinuxOptions";

  it.each([
    ["unset", { containers: [app()] }, []],
    ["empty options", podLevel({}), []],
    ["empty type", podLevel({ type: "" }), []],
    ["container_t", ctrLevel({ type: "container_t" }), []],
    ["container_init_t", ctrLevel({ type: "container_init_t" }), []],
    ["container_kvm_t", podLevel({ type: "container_kvm_t" }), []],
    ["level only", ctrLevel({ level: "s0:c1,c2" }), []],
    ["spc_t", ctrLevel({ type: "spc_t" }), [`${CTR}.type`]],
    ["unconfined_t", podLevel({ type: "unconfined_t" }), [`${POD}.type`]],
    ["user", podLevel({ user: "system_u" }), [`${POD}.user`]],
    ["role", ctrLevel({ role: "system_r" }), [`${CTR}.role`]],
    ["empty user and role", ctrLevel({ user: "", role: "" }), []],
    [
      "everything wrong",
      ctrLevel({ type: "spc_t", user: "u", role: "r" }),
      [`${CTR}.type`, `${CTR}.user`, `${CTR}.role`],
    ],
  ] as const)("%s", (_name, spec, expected) => {
    expectPathsInEveryKind(podSELinux, spec, expected);
  });

  it.each([
    [30, [`${POD}.type`]],
    [31, []],
    [Infinity, []],
  ] as const)("container_engine_t at policy v1.%s", (policyVersion, expected) => {
    expectPathsInEveryKind(podSELinux, podLevel({ type: "container_engine_t" }), expected, { policyVersion });
  });

  it("checks init containers", () => {
    expectPathsInEveryKind(
      podSELinux,
      {
        initContainers: [{ name: "i", image: "x", securityContext: { seLinuxOptions: { type: "spc_t" } } }],
        containers: [app()],
      },
      ["spec.initContainers[0].securityContext.seLinuxOptions.type"],
    );
  });
});
