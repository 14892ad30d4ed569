import fc from "fast-check";
import { podControlPlaneScheduling } from "../../../policypack/controls/workload/control-plane-scheduling";
import { podHostAliases } from "../../../policypack/controls/workload/host-aliases";
import { podRuntimeClassAllowlist } from "../../../policypack/controls/workload/runtime-class";
import { podSystemPriorityClass } from "../../../policypack/controls/workload/system-priority-class";
import { inEveryKind, pod, runControl } from "../../helpers/objects";
import { specRelativePaths } from "./paths";

const containers = [{ name: "app", image: "a:1" }];
const CP = "node-role.kubernetes.io/control-plane";
const MASTER = "node-role.kubernetes.io/master";

describe("pod-runtime-class-allowlist", () => {
  it.each([
    ["gvisor", undefined, []],
    ["kata-qemu", undefined, []],
    ["runc", undefined, ["runtimeClassName"]],
    ["", undefined, ["runtimeClassName"]],
    [undefined, undefined, ["runtimeClassName"]],
    ["Gvisor", undefined, ["runtimeClassName"]],
    ["my-sandbox", { runtimeClasses: ["my-sandbox"] }, []],
    ["gvisor", { runtimeClasses: ["my-sandbox"] }, ["runtimeClassName"]],
    ["gvisor", { runtimeClasses: [] }, ["runtimeClassName"]],
  ] as const)("%j with %j", (name, config, expected) => {
    const spec = { containers, ...(name !== undefined ? { runtimeClassName: name } : {}) };
    expect(specRelativePaths(podRuntimeClassAllowlist, spec, config)).toEqual(expected);
  });

  it("is optional", () => {
    expect(podRuntimeClassAllowlist.optional).toBe(true);
  });
});

describe("pod-host-aliases", () => {
  it.each([
    ["unset", undefined, []],
    ["empty", [], []],
    ["one entry", [{ ip: "10.0.0.1", hostnames: ["db"] }], ["hostAliases"]],
    ["not a list", "x", []],
  ] as const)("%s", (_name, aliases, expected) => {
    const spec = { containers, ...(aliases !== undefined ? { hostAliases: aliases } : {}) };
    expect(specRelativePaths(podHostAliases, spec)).toEqual(expected);
  });

  it("counts the entries", () => {
    const v = runControl(podHostAliases, pod({ containers, hostAliases: [{ ip: "1.1.1.1" }, { ip: "2.2.2.2" }] }));
    expect(v[0]?.message).toContain("2 entries");
  });
});

describe("pod-control-plane-scheduling", () => {
  it.each([
    ["control-plane key", { key: CP, operator: "Exists", effect: "NoSchedule" }, true],
    ["master key", { key: MASTER, operator: "Exists" }, true],
    ["master key, Equal", { key: MASTER, operator: "Equal", value: "true", effect: "NoSchedule" }, true],
    ["master key, NoExecute", { key: MASTER, operator: "Exists", effect: "NoExecute" }, true],
    ["catch-all", { operator: "Exists" }, true],
    ["catch-all with empty key", { key: "", operator: "Exists", effect: "" }, true],
    ["catch-all NoSchedule", { operator: "Exists", effect: "NoSchedule" }, true],
    ["catch-all NoExecute only", { operator: "Exists", effect: "NoExecute" }, false],
    ["catch-all PreferNoSchedule only", { operator: "Exists", effect: "PreferNoSchedule" }, false],
    ["another key", { key: "dedicated", operator: "Equal", value: "gpu", effect: "NoSchedule" }, false],
    ["a look-alike key", { key: "node-role.kubernetes.io/worker", operator: "Exists" }, false],
    ["Equal without key (invalid)", { operator: "Equal", value: "x" }, false],
  ])("toleration: %s", (_name, toleration, flagged) => {
    const spec = { containers, tolerations: [{ key: "ok", operator: "Exists" }, toleration] };
    expect(specRelativePaths(podControlPlaneScheduling, spec)).toEqual(flagged ? ["tolerations[1]"] : []);
  });

  it("flags any toleration naming a control-plane key, and none naming another key", () => {
    const otherKey = fc.string({ minLength: 1 }).filter((k) => k !== CP && k !== MASTER);
    const effect = fc.constantFrom(undefined, "", "NoSchedule", "NoExecute", "PreferNoSchedule");
    const operator = fc.constantFrom(undefined, "Equal", "Exists");
    fc.assert(
      fc.property(fc.constantFrom(CP, MASTER), otherKey, effect, operator, (cpKey, key, e, op) => {
        const t = (k: string) => ({
          key: k,
          ...(op ? { operator: op } : {}),
          ...(e !== undefined ? { effect: e } : {}),
        });
        expect(runControl(podControlPlaneScheduling, pod({ containers, tolerations: [t(cpKey)] }))).toHaveLength(1);
        expect(runControl(podControlPlaneScheduling, pod({ containers, tolerations: [t(key)] }))).toHaveLength(0);
      }),
    );
  });

  it.each([
    [{ [CP]: "" }, [`nodeSelector["${CP}"]`]],
    [{ [MASTER]: "true", "kubernetes.io/os": "linux" }, [`nodeSelector["${MASTER}"]`]],
    [{ "kubernetes.io/os": "linux" }, []],
  ])("nodeSelector %j", (selector, expected) => {
    expect(specRelativePaths(podControlPlaneScheduling, { containers, nodeSelector: selector })).toEqual(expected);
  });

  it.each([
    ["In", true],
    ["Exists", true],
    ["NotIn", false],
    ["DoesNotExist", false],
    ["Gt", false],
  ])("node affinity operator %s", (operator, flagged) => {
    const expression = { key: CP, operator, ...(operator === "In" || operator === "NotIn" ? { values: [""] } : {}) };
    const required = {
      containers,
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              { matchExpressions: [{ key: "zone", operator: "Exists" }] },
              { matchExpressions: [expression] },
            ],
          },
        },
      },
    };
    expect(specRelativePaths(podControlPlaneScheduling, required)).toEqual(
      flagged
        ? [
            "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[1].matchExpressions[0]",
          ]
        : [],
    );
    const preferred = {
      containers,
      affinity: {
        nodeAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 1, preference: { matchExpressions: [expression] } },
          ],
        },
      },
    };
    expect(specRelativePaths(podControlPlaneScheduling, preferred)).toEqual(
      flagged
        ? ["affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference.matchExpressions[0]"]
        : [],
    );
  });

  it.each([
    { containers, tolerations: "x", nodeSelector: [CP], affinity: 3 },
    {
      containers,
      tolerations: [null, 1, { key: 5 }],
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [null, { matchExpressions: [null] }] },
        },
      },
    },
  ])("never throws on %j", (spec) => {
    for (const object of inEveryKind(spec)) expect(() => runControl(podControlPlaneScheduling, object)).not.toThrow();
  });
});

describe("pod-system-priority-class", () => {
  const spec = (name: string | undefined) => ({
    containers,
    ...(name !== undefined ? { priorityClassName: name } : {}),
  });

  it.each([
    ["system-cluster-critical", "app", undefined, true],
    ["system-node-critical", "app", undefined, true],
    ["system-node-critical", "kube-system", undefined, false],
    ["system-cluster-critical", "platform", { allowedNamespaces: ["platform"] }, false],
    ["system-cluster-critical", "kube-system", { allowedNamespaces: [] }, true],
    ["tenant-high", "app", undefined, false],
    ["tenant-high", "app", { restrictedClasses: ["tenant-high"] }, true],
    [undefined, "app", undefined, false],
  ] as const)("%j in %s with %j", (name, namespace, config, flagged) => {
    for (const object of inEveryKind(spec(name))) {
      const inNs = { ...object, metadata: { ...object.metadata, namespace } };
      const v = runControl(podSystemPriorityClass, inNs, { config });
      expect(v.map((x) => x.path?.endsWith("priorityClassName"))).toEqual(flagged ? [true] : []);
    }
  });

  it("does not allow objects without a namespace", () => {
    const object = pod(spec("system-node-critical"));
    delete object.metadata!.namespace;
    expect(runControl(podSystemPriorityClass, object)).toHaveLength(1);
  });
});
