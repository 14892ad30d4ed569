import { podHostNetwork } from "../../../policypack/controls/pod-security/host-network";
import { inEveryKind, runControl } from "../../helpers/objects";

const base = { containers: [{ name: "app", image: "nginx" }] };

describe("pod-host-network", () => {
  it.each([
    ["unset", {}, []],
    ["false", { hostNetwork: false }, []],
    ["true", { hostNetwork: true }, ["hostNetwork"]],
  ] as const)("hostNetwork %s", (_name, extra, fields) => {
    for (const object of inEveryKind({ ...base, ...extra })) {
      const paths = runControl(podHostNetwork, object).map((v) => v.path);
      expect(paths.map((p) => p?.split(".").pop())).toEqual(fields);
    }
  });

  it("names the field under the template of a CronJob", () => {
    const cronJob = inEveryKind({ ...base, hostNetwork: true }).find((o) => o.kind === "CronJob");
    expect(runControl(podHostNetwork, cronJob!)[0]?.path).toBe("spec.jobTemplate.spec.template.spec.hostNetwork");
  });
});
