import fc from "fast-check";
import { containerCpuLimit } from "../../../policypack/controls/workload/cpu-limit";
import { podEphemeralStorageBounded } from "../../../policypack/controls/workload/ephemeral-storage";
import { containerMemoryLimit } from "../../../policypack/controls/workload/memory-limit";
import { containerResourceRequests } from "../../../policypack/controls/workload/resource-requests";
import { quantitySet } from "../../../policypack/controls/workload/resources";
import { inEveryKind, runControl } from "../../helpers/objects";
import { specRelativePaths } from "./paths";

type Resources = Record<string, Record<string, unknown>> | undefined;

/** An init, a regular and an ephemeral container with the same resources (ephemeral ones may set none). */
function spec(resources: Resources, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const c = (name: string) => ({ name, image: "a:1", ...(resources ? { resources } : {}) });
  return { initContainers: [c("init")], containers: [c("app")], ephemeralContainers: [c("debug")], ...extra };
}
const both = (field: string) => [`initContainers[0].resources.${field}`, `containers[0].resources.${field}`];

describe("quantitySet", () => {
  it.each([
    ["100m", true],
    ["1", true],
    [1, true],
    ["0.5Gi", true],
    ["1e3", true],
    ["0", false],
    ["0Mi", false],
    ["0.0", false],
    [0, false],
    ["", false],
    ["  ", false],
    [null, false],
    [undefined, false],
    [{}, false],
    ["garbage", true],
  ])("%j → %s", (value, expected) => {
    expect(quantitySet(value)).toBe(expected);
  });

  it("any positive number is set", () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-9, max: 1e12, noNaN: true }), (n) => quantitySet(n) && quantitySet(`${n}`)),
    );
  });
});

describe("container-resource-requests", () => {
  it.each([
    ["requests", { requests: { cpu: "100m", memory: "64Mi" } }, {}, []],
    ["limits imply requests", { limits: { cpu: "100m", memory: "64Mi" } }, {}, []],
    ["mixed", { requests: { cpu: "100m" }, limits: { memory: "64Mi" } }, {}, []],
    [
      "none",
      undefined,
      {},
      [
        "initContainers[0].resources.requests.cpu",
        "initContainers[0].resources.requests.memory",
        "containers[0].resources.requests.cpu",
        "containers[0].resources.requests.memory",
      ],
    ],
    ["zero cpu", { requests: { cpu: "0", memory: "64Mi" } }, {}, both("requests.cpu")],
    ["memory missing", { requests: { cpu: "1" } }, {}, both("requests.memory")],
    ["pod-level requests", undefined, { resources: { requests: { cpu: "1", memory: "1Gi" } } }, []],
    ["pod-level cpu only", undefined, { resources: { limits: { cpu: "1" } } }, both("requests.memory")],
  ] as const)("%s", (_name, resources, extra, expected) => {
    expect(specRelativePaths(containerResourceRequests, spec(resources as Resources, extra))).toEqual(expected);
  });

  it("never asks ephemeral containers, which may not set resources", () => {
    expect(specRelativePaths(containerResourceRequests, { ephemeralContainers: [{ name: "debug" }] })).toEqual([]);
  });
});

describe("container-memory-limit", () => {
  it.each([
    ["set", { limits: { memory: "128Mi" } }, {}, []],
    ["request only", { requests: { memory: "128Mi" } }, {}, both("limits.memory")],
    ["zero", { limits: { memory: 0 } }, {}, both("limits.memory")],
    ["cpu only", { limits: { cpu: "1" } }, {}, both("limits.memory")],
    ["pod-level", undefined, { resources: { limits: { memory: "1Gi" } } }, []],
    ["unset", undefined, {}, both("limits.memory")],
  ] as const)("%s", (_name, resources, extra, expected) => {
    expect(specRelativePaths(containerMemoryLimit, spec(resources as Resources, extra))).toEqual(expected);
  });
});

describe("container-cpu-limit", () => {
  it.each([
    ["set", { limits: { cpu: "500m" } }, {}, []],
    ["request only", { requests: { cpu: "500m" } }, {}, both("limits.cpu")],
    ["zero", { limits: { cpu: "0m" } }, {}, both("limits.cpu")],
    ["pod-level", undefined, { resources: { limits: { cpu: "2" } } }, []],
  ] as const)("%s", (_name, resources, extra, expected) => {
    expect(specRelativePaths(containerCpuLimit, spec(resources as Resources, extra))).toEqual(expected);
  });

  it("is contested, hence low, and says so", () => {
    expect(containerCpuLimit.severity).toBe("low");
    expect(containerCpuLimit.remediation).toMatch(/contested/);
  });
});

describe("pod-ephemeral-storage-bounded", () => {
  const withVolumes = (volumes: unknown[], resources?: Resources, extra: Record<string, unknown> = {}) =>
    spec(resources, { volumes, ...extra });

  it.each([
    ["no emptyDir", [{ name: "cfg", configMap: { name: "x" } }], undefined, []],
    ["disk emptyDir with sizeLimit", [{ name: "s", emptyDir: { sizeLimit: "1Gi" } }], undefined, []],
    ["disk emptyDir without", [{ name: "s", emptyDir: {} }], undefined, ["volumes[0].emptyDir.sizeLimit"]],
    ["disk emptyDir null", [{ name: "s", emptyDir: null }], undefined, []],
    [
      "disk emptyDir, zero sizeLimit",
      [{ name: "s", emptyDir: { sizeLimit: "0" } }],
      undefined,
      ["volumes[0].emptyDir.sizeLimit"],
    ],
    [
      "disk emptyDir, containers limited",
      [{ name: "s", emptyDir: {} }],
      { limits: { "ephemeral-storage": "2Gi" } },
      [],
    ],
    [
      "memory emptyDir with sizeLimit",
      [{ name: "m", emptyDir: { medium: "Memory", sizeLimit: "64Mi" } }],
      undefined,
      [],
    ],
    [
      "memory emptyDir, containers limited",
      [{ name: "m", emptyDir: { medium: "Memory" } }],
      { limits: { "ephemeral-storage": "2Gi" } },
      ["volumes[0].emptyDir.sizeLimit"],
    ],
  ] as const)("%s", (_name, volumes, resources, expected) => {
    expect(specRelativePaths(podEphemeralStorageBounded, withVolumes([...volumes], resources as Resources))).toEqual(
      expected,
    );
  });

  it("counts a pod-level ephemeral-storage limit", () => {
    const s = withVolumes([{ name: "s", emptyDir: {} }], undefined, {
      resources: { limits: { "ephemeral-storage": "1Gi" } },
    });
    expect(specRelativePaths(podEphemeralStorageBounded, s)).toEqual([]);
  });

  it("does not count an ephemeral container's limit (it may not set one)", () => {
    const s = {
      containers: [{ name: "a" }],
      ephemeralContainers: [{ name: "d", resources: { limits: { "ephemeral-storage": "1Gi" } } }],
      volumes: [{ name: "s", emptyDir: {} }],
    };
    expect(specRelativePaths(podEphemeralStorageBounded, s)).toEqual(["volumes[0].emptyDir.sizeLimit"]);
  });

  it("requires per-container limits when configured", () => {
    const config = { requireContainerLimits: true };
    expect(specRelativePaths(podEphemeralStorageBounded, spec(undefined), config)).toEqual(
      both("limits.ephemeral-storage"),
    );
    expect(
      specRelativePaths(podEphemeralStorageBounded, spec({ limits: { "ephemeral-storage": "1Gi" } }), config),
    ).toEqual([]);
  });
});

describe("odd shapes", () => {
  const controls = [containerResourceRequests, containerMemoryLimit, containerCpuLimit, podEphemeralStorageBounded];
  it.each([
    { containers: [{ name: "a", resources: "big" }], volumes: "x" },
    {
      containers: [{ name: "a", resources: { requests: [1], limits: null } }],
      volumes: [null, { emptyDir: 1 }],
      resources: 5,
    },
  ])("never throw on %j", (s) => {
    for (const control of controls)
      for (const object of inEveryKind(s)) expect(() => runControl(control, object)).not.toThrow();
  });
});
