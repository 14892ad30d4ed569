import { podSysctlValues } from "../../../policypack/controls/pod-security/sysctl-values";
import { podSysctls, SAFE_SYSCTLS, safeSysctls } from "../../../policypack/controls/pod-security/sysctls";
import { expectPathsInEveryKind, messages } from "./support";

const spec = (...sysctls: unknown[]) => ({ securityContext: { sysctls }, containers: [{ name: "a", image: "x" }] });

describe("pod-sysctls", () => {
  it.each([
    [0, 5],
    [26, 5],
    [27, 6],
    [28, 6],
    [29, 10],
    [31, 10],
    [32, 12],
    [36, 12],
    [37, 14],
    [Infinity, 14],
  ])("the safe set at v1.%s has %i names", (version, size) => {
    expect(safeSysctls(version).size).toBe(size);
  });

  it.each(SAFE_SYSCTLS.map(([name, since]) => [name, since] as const))(
    "%s is safe from v1.%i, not before",
    (name, since) => {
      expectPathsInEveryKind(podSysctls, spec({ name, value: "1" }), [], { policyVersion: since });
      if (since > 0) {
        expectPathsInEveryKind(podSysctls, spec({ name, value: "1" }), ["spec.securityContext.sysctls[0].name"], {
          policyVersion: since - 1,
        });
      }
    },
  );

  it.each([
    ["kernel.msgmax"],
    ["net.core.somaxconn"],
    ["kernel.shm_rmid_forced.extra"],
    ["KERNEL.SHM_RMID_FORCED"],
    ["kernel/shm_rmid_forced"],
    [""],
  ])("forbids %j", (name) => {
    expectPathsInEveryKind(podSysctls, spec({ name: "kernel.shm_rmid_forced", value: "1" }, { name, value: "1" }), [
      "spec.securityContext.sysctls[1].name",
    ]);
  });

  it("forbids a sysctl without a name", () => {
    expectPathsInEveryKind(podSysctls, spec({ value: "1" }), ["spec.securityContext.sysctls[0].name"]);
  });

  it("names the sysctl", () => {
    expect(messages(podSysctls, spec({ name: "kernel.msgmax", value: "1" }))[0]).toMatch(
      /^forbidden sysctl "kernel.msgmax"/,
    );
  });
});

describe("pod-sysctl-values", () => {
  it.each([
    ["1", []],
    ["1024 65535", []],
    ["1+kernel.core_pattern=|/tmp/x", ["spec.securityContext.sysctls[0].value"]],
    ["a=b", ["spec.securityContext.sysctls[0].value"]],
    ["1\nkernel.x", ["spec.securityContext.sysctls[0].value"]],
  ] as const)("%j", (value, expected) => {
    expectPathsInEveryKind(podSysctlValues, spec({ name: "kernel.shm_rmid_forced", value }), expected);
  });

  it("is hardened, not PSS", () => {
    expect(podSysctlValues.level).toBe("hardened");
  });
});
