import { podWindowsHostProcess } from "../../../policypack/controls/pod-security/windows-host-process";
import { expectPathsInEveryKind, messages } from "./support";

const ctr = (hostProcess?: unknown) => ({
  name: "a",
  image: "x",
  securityContext: { windowsOptions: { hostProcess } },
});

describe("pod-windows-host-process", () => {
  it.each([
    ["unset", { containers: [{ name: "a", image: "x" }] }, []],
    ["false", { containers: [ctr(false)] }, []],
    [
      "pod true",
      { securityContext: { windowsOptions: { hostProcess: true } }, containers: [ctr()] },
      ["spec.securityContext.windowsOptions.hostProcess"],
    ],
    ["container true", { containers: [ctr(true)] }, ["spec.containers[0].securityContext.windowsOptions.hostProcess"]],
    [
      "init and ephemeral",
      { initContainers: [ctr(true)], containers: [ctr(false)], ephemeralContainers: [ctr(true)] },
      [
        "spec.initContainers[0].securityContext.windowsOptions.hostProcess",
        "spec.ephemeralContainers[0].securityContext.windowsOptions.hostProcess",
      ],
    ],
  ] as const)("%s", (_name, spec, expected) => {
    expectPathsInEveryKind(podWindowsHostProcess, spec, expected);
  });

  it("names the setter", () => {
    expect(messages(podWindowsHostProcess, { containers: [ctr(true)] })).toEqual([
      'container "a" must not set securityContext.windowsOptions.hostProcess=true',
    ]);
  });
});
