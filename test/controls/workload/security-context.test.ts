import { podHighUidGid } from "../../../policypack/controls/workload/high-uid-gid";
import { podNonRootGroups } from "../../../policypack/controls/workload/non-root-groups";
import { podReadOnlyRootFilesystem } from "../../../policypack/controls/workload/read-only-root-filesystem";
import { podSecurityContextSet } from "../../../policypack/controls/workload/security-context-set";
import { podShareProcessNamespace } from "../../../policypack/controls/workload/share-process-namespace";
import { podUserNamespace } from "../../../policypack/controls/workload/user-namespace";
import { inEveryKind, pod, runControl } from "../../helpers/objects";
import { specRelativePaths } from "./paths";

type Spec = Record<string, unknown>;

const all = (sc: Spec | undefined): Spec => ({
  initContainers: [{ name: "init", image: "a:1", ...(sc ? { securityContext: sc } : {}) }],
  containers: [{ name: "app", image: "a:1", ...(sc ? { securityContext: sc } : {}) }],
  ephemeralContainers: [{ name: "debug", image: "a:1", ...(sc ? { securityContext: sc } : {}) }],
});

describe("pod-read-only-root-filesystem", () => {
  const every = ["initContainers[0]", "containers[0]", "ephemeralContainers[0]"].map(
    (p) => `${p}.securityContext.readOnlyRootFilesystem`,
  );
  it.each([
    ["true", { readOnlyRootFilesystem: true }, []],
    ["false", { readOnlyRootFilesystem: false }, every],
    ["unset", undefined, every],
    ["a string", { readOnlyRootFilesystem: "true" }, every],
  ])("%s", (_name, sc, expected) => {
    expect(specRelativePaths(podReadOnlyRootFilesystem, all(sc))).toEqual(expected);
  });

  it("reports only the containers that miss it", () => {
    const spec = { containers: [{ name: "a", securityContext: { readOnlyRootFilesystem: true } }, { name: "b" }] };
    expect(specRelativePaths(podReadOnlyRootFilesystem, spec)).toEqual([
      "containers[1].securityContext.readOnlyRootFilesystem",
    ]);
  });

  it("exempts Windows pods, whose API forbids the field", () => {
    expect(specRelativePaths(podReadOnlyRootFilesystem, { ...all(undefined), os: { name: "windows" } })).toEqual([]);
    expect(specRelativePaths(podReadOnlyRootFilesystem, { ...all(undefined), os: { name: "linux" } })).toHaveLength(3);
  });

  it("names the container", () => {
    expect(runControl(podReadOnlyRootFilesystem, pod(all(undefined)))[1]?.message).toBe(
      'container "app" must set securityContext.readOnlyRootFilesystem=true',
    );
  });
});

describe("pod-non-root-groups", () => {
  it.each([
    ["all unset", {}, undefined, []],
    ["group 1", { runAsGroup: 1, fsGroup: 1, supplementalGroups: [1, 2] }, { runAsGroup: 1 }, []],
    ["pod runAsGroup 0", { runAsGroup: 0 }, undefined, ["securityContext.runAsGroup"]],
    ["fsGroup 0", { fsGroup: 0 }, undefined, ["securityContext.fsGroup"]],
    [
      "supplementalGroups with 0",
      { supplementalGroups: [5, 0, 7, 0] },
      undefined,
      ["securityContext.supplementalGroups[1]", "securityContext.supplementalGroups[3]"],
    ],
    [
      "container runAsGroup 0",
      {},
      { runAsGroup: 0 },
      [
        "initContainers[0].securityContext.runAsGroup",
        "containers[0].securityContext.runAsGroup",
        "ephemeralContainers[0].securityContext.runAsGroup",
      ],
    ],
  ] as const)("%s", (_name, podSc, ctrSc, expected) => {
    expect(specRelativePaths(podNonRootGroups, { ...all(ctrSc), securityContext: podSc })).toEqual(expected);
  });

  it("ignores non-numbers", () => {
    expect(
      specRelativePaths(podNonRootGroups, {
        securityContext: { runAsGroup: "0", supplementalGroups: "0" },
        ...all({ runAsGroup: null }),
      }),
    ).toEqual([]);
  });
});

describe("pod-security-context-set", () => {
  it.each([
    ["both set", { runAsNonRoot: true }, { allowPrivilegeEscalation: false }, []],
    ["pod unset", undefined, { allowPrivilegeEscalation: false }, ["securityContext"]],
    ["pod empty", {}, { allowPrivilegeEscalation: false }, ["securityContext"]],
    ["pod only nulls", { runAsUser: null }, { allowPrivilegeEscalation: false }, ["securityContext"]],
    [
      "containers empty",
      { runAsNonRoot: true },
      {},
      ["initContainers[0].securityContext", "containers[0].securityContext", "ephemeralContainers[0].securityContext"],
    ],
    ["container false is still set", { runAsNonRoot: false }, { privileged: false }, []],
  ] as const)("%s", (_name, podSc, ctrSc, expected) => {
    const spec = { ...all(ctrSc), ...(podSc !== undefined ? { securityContext: podSc } : {}) };
    expect(specRelativePaths(podSecurityContextSet, spec)).toEqual(expected);
  });

  it("treats a non-mapping securityContext as unset", () => {
    expect(
      specRelativePaths(podSecurityContextSet, {
        securityContext: "x",
        containers: [{ name: "a", securityContext: [1] }],
      }),
    ).toEqual(["securityContext", "containers[0].securityContext"]);
  });
});

describe("pod-share-process-namespace", () => {
  it.each([
    ["unset", {}, []],
    ["false", { shareProcessNamespace: false }, []],
    ["a string", { shareProcessNamespace: "true" }, []],
    ["true", { shareProcessNamespace: true }, ["shareProcessNamespace"]],
  ] as const)("%s", (_name, extra, expected) => {
    expect(specRelativePaths(podShareProcessNamespace, { ...all(undefined), ...extra })).toEqual(expected);
  });

  it("offers no fix: a pod that shares its PID namespace usually needs to", () => {
    expect(podShareProcessNamespace.fix).toBeUndefined();
  });
});

describe("pod-high-uid-gid", () => {
  const one = (podSc: Spec | undefined, ctrSc: Spec | undefined): Spec => ({
    ...(podSc ? { securityContext: podSc } : {}),
    containers: [{ name: "app", image: "a:1", ...(ctrSc ? { securityContext: ctrSc } : {}) }],
  });

  it.each([
    ["pod-level at the minimum", { runAsUser: 10000, runAsGroup: 10000 }, undefined, []],
    [
      "pod-level just below",
      { runAsUser: 9999, runAsGroup: 9999 },
      undefined,
      ["securityContext.runAsUser", "securityContext.runAsGroup"],
    ],
    [
      "container-level overrides a low pod value",
      { runAsUser: 0, runAsGroup: 0 },
      { runAsUser: 10001, runAsGroup: 10001 },
      [],
    ],
    [
      "container-level below",
      { runAsUser: 10001, runAsGroup: 10001 },
      { runAsUser: 1000 },
      ["containers[0].securityContext.runAsUser"],
    ],
    [
      "unset everywhere",
      undefined,
      undefined,
      ["containers[0].securityContext.runAsUser", "containers[0].securityContext.runAsGroup"],
    ],
    [
      "root",
      undefined,
      { runAsUser: 0, runAsGroup: 0 },
      ["containers[0].securityContext.runAsUser", "containers[0].securityContext.runAsGroup"],
    ],
  ] as const)("%s", (_name, podSc, ctrSc, expected) => {
    expect(specRelativePaths(podHighUidGid, one(podSc, ctrSc))).toEqual(expected);
  });

  it("takes the threshold from config", () => {
    const spec = one({ runAsUser: 1000, runAsGroup: 1000 }, undefined);
    expect(specRelativePaths(podHighUidGid, spec, { minimumId: 1000 })).toEqual([]);
    expect(specRelativePaths(podHighUidGid, spec, { minimumId: 1001 })).toHaveLength(2);
  });

  it("walks init and ephemeral containers, each inheriting the pod value", () => {
    expect(
      specRelativePaths(podHighUidGid, { ...all({ runAsGroup: 20000 }), securityContext: { runAsUser: 20000 } }),
    ).toEqual([]);
    expect(specRelativePaths(podHighUidGid, all({ runAsUser: 20000 }))).toEqual([
      "initContainers[0].securityContext.runAsGroup",
      "containers[0].securityContext.runAsGroup",
      "ephemeralContainers[0].securityContext.runAsGroup",
    ]);
  });

  it.each([
    ["user namespaces", { hostUsers: false }],
    ["Windows", { os: { name: "windows" } }],
  ])("exempts %s", (_name, extra) => {
    expect(specRelativePaths(podHighUidGid, { ...one(undefined, { runAsUser: 0 }), ...extra })).toEqual([]);
  });

  it("is opinionated, hence low", () => {
    expect(podHighUidGid.severity).toBe("low");
  });
});

describe("pod-user-namespace", () => {
  it.each([
    ["false", { hostUsers: false }, []],
    ["true", { hostUsers: true }, ["hostUsers"]],
    ["unset", {}, ["hostUsers"]],
    ["Windows", { os: { name: "windows" } }, []],
  ] as const)("hostUsers %s", (_name, extra, expected) => {
    expect(specRelativePaths(podUserNamespace, { ...all(undefined), ...extra })).toEqual(expected);
  });

  it("is optional (needs node support)", () => {
    expect(podUserNamespace.optional).toBe(true);
  });
});

describe("odd shapes", () => {
  const controls = [
    podReadOnlyRootFilesystem,
    podNonRootGroups,
    podSecurityContextSet,
    podShareProcessNamespace,
    podHighUidGid,
    podUserNamespace,
  ];
  it.each([
    { containers: "x", securityContext: 5 },
    { containers: [null, 1, { securityContext: "x" }], securityContext: { supplementalGroups: [null, "0", {}] } },
    { os: "windows" },
  ])("never throw on %j", (spec) => {
    for (const control of controls)
      for (const object of inEveryKind(spec)) expect(() => runControl(control, object)).not.toThrow();
  });
});
