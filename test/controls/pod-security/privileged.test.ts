import { podPrivileged } from "../../../policypack/controls/pod-security/privileged";
import { expectFixes, expectPathsInEveryKind, messages, specOf } from "./support";

const ctr = (name: string, securityContext?: unknown) => ({
  name,
  image: "x",
  ...(securityContext !== undefined ? { securityContext } : {}),
});

describe("pod-privileged", () => {
  it.each([
    ["unset", { containers: [ctr("app")] }, []],
    ["false", { containers: [ctr("app", { privileged: false })] }, []],
    ["null", { containers: [ctr("app", { privileged: null })] }, []],
    ["true", { containers: [ctr("app", { privileged: true })] }, ["spec.containers[0].securityContext.privileged"]],
    [
      "init and ephemeral containers",
      {
        initContainers: [ctr("init", { privileged: true })],
        containers: [ctr("app")],
        ephemeralContainers: [ctr("debug", { privileged: true })],
      },
      ["spec.initContainers[0].securityContext.privileged", "spec.ephemeralContainers[0].securityContext.privileged"],
    ],
    ["a pod-level privileged is not a field", { securityContext: { privileged: true }, containers: [ctr("app")] }, []],
  ] as const)("%s", (_name, spec, expected) => {
    expectPathsInEveryKind(podPrivileged, spec, expected);
  });

  it("names the container", () => {
    expect(messages(podPrivileged, { containers: [ctr("web", { privileged: true })] })).toEqual([
      'container "web" must not set securityContext.privileged=true',
    ]);
  });

  it("fixes by setting privileged=false and touches nothing else", () => {
    const fixed = expectFixes(podPrivileged, {
      containers: [ctr("app", { privileged: true, runAsUser: 1000 }), ctr("other")],
    });
    expect(specOf(fixed)["containers"]).toEqual([ctr("app", { privileged: false, runAsUser: 1000 }), ctr("other")]);
  });
});
