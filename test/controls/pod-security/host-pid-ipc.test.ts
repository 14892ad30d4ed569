import { podHostIpc } from "../../../policypack/controls/pod-security/host-ipc";
import { podHostPid } from "../../../policypack/controls/pod-security/host-pid";
import { runControl } from "../../helpers/objects";
import { expectPathsInEveryKind } from "./support";

const base = { containers: [{ name: "app", image: "nginx" }] };

describe.each([
  [podHostPid, "hostPID"],
  [podHostIpc, "hostIPC"],
] as const)("%s", (control, field) => {
  it.each([
    ["unset", {}, []],
    ["false", { [field]: false }, []],
    ["true", { [field]: true }, [`spec.${field}`]],
    ["a string is not true", { [field]: "true" }, []],
  ] as const)("%s", (_name, extra, expected) => {
    expectPathsInEveryKind(control, { ...base, ...extra }, expected);
  });

  it("ignores the other host namespaces", () => {
    expectPathsInEveryKind(
      control,
      { ...base, hostNetwork: true, hostPID: field === "hostIPC", hostIPC: field === "hostPID" },
      [],
    );
  });

  it("passes objects without a pod", () => {
    expect(runControl(control, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" } })).toEqual([]);
  });
});
