/** The engine's contract, independent of any one control. */
import fc from "fast-check";
import { catalog } from "../../policypack/controls";
import type { ResourceControl, StackControl } from "../../policypack/engine/control";
import { evaluate, isEnabled } from "../../policypack/engine/evaluate";
import type { KubeObject } from "../../policypack/engine/types";
import { resourceControl, stackControl } from "../../policypack/controls/define";
import { pod } from "../helpers/objects";

const NOW = new Date("2026-06-01T00:00:00Z");

const flagHostPid: ResourceControl = resourceControl({
  id: "t-host-pid",
  title: "t",
  family: "pod-security",
  level: "baseline",
  severity: "high",
  references: { catalog: "T-1" },
  remediation: "r",
  kinds: ["Pod", "Deployment"],
  check: (_o, ctx) =>
    ctx.pod?.spec["hostPID"] === true ? [{ message: "hostPID", path: `${ctx.pod.specPath}.hostPID` }] : [],
});
const restrictedTwin: ResourceControl = {
  ...flagHostPid,
  id: "t-restricted",
  level: "restricted",
  overrides: ["t-host-pid"],
  minPolicyVersion: 30,
};
const hardenedAll: ResourceControl = {
  ...flagHostPid,
  id: "t-hardened",
  level: "hardened",
  check: () => [{ message: "always" }],
};
const throwing: ResourceControl = {
  ...flagHostPid,
  id: "t-throws",
  check: () => {
    throw new Error("boom");
  },
};
const perNamespace: StackControl = stackControl({
  id: "t-stack",
  title: "t",
  family: "namespace",
  level: "hardened",
  severity: "low",
  references: { catalog: "T-2" },
  remediation: "r",
  kinds: ["Namespace"],
  checkStack: (stack) =>
    [...stack.workloadNamespaces].map((ns) => ({
      message: `ns ${ns}`,
      object: stack.namespaces.get(ns) ?? { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } },
    })),
});

const bad = pod({ hostPID: true, containers: [{ name: "c", image: "x" }] });

describe("levels", () => {
  it("nest: baseline ⊂ restricted ⊂ hardened", () => {
    const controls = [flagHostPid, hardenedAll];
    const ids = (level: "baseline" | "restricted" | "hardened") =>
      evaluate([bad], { controls, level, now: NOW }).findings.map((f) => f.control);
    expect(ids("baseline")).toEqual(["t-host-pid"]);
    expect(ids("restricted")).toEqual(["t-host-pid"]);
    expect(ids("hardened").sort()).toEqual(["t-hardened", "t-host-pid"]);
  });

  it("a Restricted override replaces its Baseline twin only from its policy version", () => {
    const controls = [flagHostPid, restrictedTwin];
    const run = (psaVersion: string, level: "baseline" | "restricted") =>
      evaluate([bad], { controls, level, config: { psaVersion }, now: NOW }).findings.map((f) => f.control);
    expect(run("latest", "restricted")).toEqual(["t-restricted"]);
    expect(run("v1.29", "restricted")).toEqual(["t-host-pid"]);
    expect(run("latest", "baseline")).toEqual(["t-host-pid"]);
  });

  it("the namespace's enforce-version label decides the policy version of objects in it", () => {
    const ns: KubeObject = {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: "app", labels: { "pod-security.kubernetes.io/enforce-version": "v1.29" } },
    };
    const findings = evaluate([ns, bad], {
      controls: [flagHostPid, restrictedTwin],
      level: "restricted",
      now: NOW,
    }).findings;
    expect(findings.map((f) => f.control)).toEqual(["t-host-pid"]);
  });
});

describe("objects", () => {
  it("flattens Lists and passes over custom resources, saying so", () => {
    const list: KubeObject = {
      apiVersion: "v1",
      kind: "List",
      items: [bad, { apiVersion: "v1", kind: "List", items: [bad] }],
    };
    const cr: KubeObject = { apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" } };
    const lease: KubeObject = {
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      metadata: { name: "l", namespace: "a" },
    };
    const job: KubeObject = { apiVersion: "example.com/v1", kind: "Job", metadata: { name: "not-batch" } };
    const r = evaluate([list, cr, lease, job], { controls: [flagHostPid], now: NOW });
    expect(r.summary).toEqual(expect.objectContaining({ objects: 5, evaluated: 2, skipped: 3 }));
    expect(r.skipped.map((s) => [s.resource.kind, s.reason])).toEqual([
      ["Widget", expect.stringMatching(/custom resource/)],
      ["Lease", expect.stringMatching(/no control inspects kind Lease/)],
      ["Job", expect.stringMatching(/custom resource/)],
    ]);
  });

  it("custom pod-bearing kinds are checked through podTemplatePaths", () => {
    const rollout: KubeObject = {
      apiVersion: "argoproj.io/v1alpha1",
      kind: "Rollout",
      metadata: { name: "r", namespace: "a" },
      spec: { template: { spec: { hostPID: true, containers: [] } } },
    };
    const r = evaluate([rollout], {
      controls: [flagHostPid],
      config: { podTemplatePaths: { "argoproj.io/v1alpha1/Rollout": "spec.template" } },
      now: NOW,
    });
    expect(r.findings.map((f) => f.path)).toEqual(["spec.template.spec.hostPID"]);
  });

  it("a control that throws fails closed for that object; the others still run", () => {
    const r = evaluate([bad], { controls: [throwing, flagHostPid], now: NOW });
    expect(r.findings).toEqual([
      expect.objectContaining({ control: "t-throws", internalError: true, message: expect.stringMatching(/boom/) }),
      expect.objectContaining({ control: "t-host-pid" }),
    ]);
    expect(r.summary.failing).toBe(2);
  });

  it("wrong field types are invalid-input findings, and no control runs on that object", () => {
    const broken = pod({ hostPID: "yes", containers: [{ name: "c", securityContext: "nope" }] });
    const r = evaluate([broken], { controls: [flagHostPid], now: NOW });
    expect(r.findings.map((f) => [f.control, f.path])).toEqual([
      ["invalid-input", "spec.containers[0].securityContext"],
      ["invalid-input", "spec.hostPID"],
    ]);
  });

  it("never throws, whatever the JSON", () => {
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: "small" },
        fc.constant(null),
        fc.boolean(),
        fc.integer(),
        fc.string(),
        fc.array(tie("value"), { maxLength: 3 }),
        fc.dictionary(
          fc.constantFrom("spec", "containers", "template", "securityContext", "metadata", "x"),
          tie("value"),
          { maxKeys: 4 },
        ),
      ),
    })).value;
    const kinds = fc.constantFrom(
      "Pod",
      "Deployment",
      "CronJob",
      "Role",
      "NetworkPolicy",
      "Namespace",
      "Service",
      "List",
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            apiVersion: fc.constantFrom(
              "v1",
              "apps/v1",
              "batch/v1",
              "rbac.authorization.k8s.io/v1",
              "networking.k8s.io/v1",
            ),
            kind: kinds,
            metadata: json,
            spec: json,
            rules: json,
            items: json,
          }),
          { maxLength: 4 },
        ),
        (objects) => {
          const r = evaluate(objects as KubeObject[], { controls: catalog, now: NOW });
          expect(r.findings.filter((f) => f.internalError)).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("exemptions", () => {
  const exempt = (annotations: Record<string, string>) => pod({ hostPID: true, containers: [] }, { annotations });

  it("an annotation with a reason exempts, and the finding stays in the report", () => {
    const r = evaluate(
      [exempt({ "palisade.dev/exempt": "t-host-pid, t-hardened", "palisade.dev/exempt-reason": "debug pod" })],
      { controls: [flagHostPid], now: NOW },
    );
    expect(r.findings).toEqual([
      expect.objectContaining({ control: "t-host-pid", exempted: { source: "annotation", reason: "debug pod" } }),
    ]);
    expect(r.summary).toEqual(expect.objectContaining({ failing: 0, exempted: 1 }));
  });

  it("until a date, after which it lapses", () => {
    const a = { "palisade.dev/exempt": "t-host-pid", "palisade.dev/exempt-reason": "r" };
    expect(
      evaluate([exempt({ ...a, "palisade.dev/exempt-until": "2026-06-01" })], { controls: [flagHostPid], now: NOW })
        .summary.failing,
    ).toBe(0);
    const lapsed = evaluate([exempt({ ...a, "palisade.dev/exempt-until": "2026-05-31" })], {
      controls: [flagHostPid],
      now: NOW,
    });
    expect(lapsed.summary.failing).toBe(1);
    expect(lapsed.warnings).toEqual([expect.stringMatching(/lapsed on 2026-05-31/)]);
  });

  it("without a reason, or with a bad date, it is ignored with a warning; unknown ids are warned about", () => {
    const r = evaluate(
      [
        exempt({ "palisade.dev/exempt": "t-host-pid,no-such" }),
        exempt({
          "palisade.dev/exempt": "t-host-pid",
          "palisade.dev/exempt-reason": "r",
          "palisade.dev/exempt-until": "tomorrow",
        }),
      ],
      { controls: [flagHostPid], now: NOW },
    );
    expect(r.summary.failing).toBe(2);
    expect(r.warnings).toEqual([
      expect.stringMatching(/exempt-reason is required/),
      expect.stringMatching(/names no control "no-such"/),
      expect.stringMatching(/exempt-until must be a date/),
    ]);
  });

  it("config exemptions match namespace, name and kind patterns", () => {
    const config = {
      exemptions: [
        {
          controls: ["t-host-pid"],
          namespaces: ["a?p"],
          names: ["p*"],
          kinds: ["Pod"],
          reason: "legacy",
          until: "2027-01-01",
        },
      ],
    };
    const r = evaluate([bad], { controls: [flagHostPid], config, now: NOW });
    expect(r.findings[0]!.exempted).toEqual({ source: "config", reason: "legacy", until: "2027-01-01" });
    const other = evaluate([bad], {
      controls: [flagHostPid],
      config: { exemptions: [{ ...config.exemptions[0]!, names: ["q*"] }] },
      now: NOW,
    });
    expect(other.findings[0]!.exempted).toBeUndefined();
  });

  it("stack findings are exempted through the object they name", () => {
    const ns: KubeObject = {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: {
        name: "app",
        annotations: { "palisade.dev/exempt": "t-stack", "palisade.dev/exempt-reason": "sandbox" },
      },
    };
    const r = evaluate([ns, bad, pod({ containers: [] }, { namespace: "other" })], {
      controls: [perNamespace],
      now: NOW,
    });
    expect(r.findings.map((f) => [f.message, f.exempted?.reason])).toEqual([
      ["ns app", "sandbox"],
      ["ns other", undefined],
    ]);
  });
});

describe("exemptions across levels", () => {
  const twinWithMore: ResourceControl = {
    ...restrictedTwin,
    check: (o, ctx) => [
      ...(flagHostPid.check(o, ctx) as { message: string; path?: string }[]),
      { message: "also hostIPC", path: `${ctx.pod?.specPath ?? "spec"}.hostIPC` },
    ],
  };
  const annotated = pod(
    { hostPID: true, containers: [] },
    { annotations: { "palisade.dev/exempt": "t-host-pid", "palisade.dev/exempt-reason": "node agent" } },
  );

  it("exempting a baseline control covers the restricted control that supersedes it, for the same field only", () => {
    const r = evaluate([annotated], { controls: [flagHostPid, twinWithMore], level: "restricted", now: NOW });
    expect(r.findings.map((f) => [f.control, f.path, f.exempted])).toEqual([
      ["t-restricted", "spec.hostPID", { source: "annotation", reason: "node agent", via: "t-host-pid" }],
      ["t-restricted", "spec.hostIPC", undefined],
    ]);
    expect(r.warnings).toEqual([]);
  });

  it("a config exemption of the baseline control carries over the same way", () => {
    const r = evaluate([bad], {
      controls: [flagHostPid, twinWithMore],
      level: "restricted",
      now: NOW,
      config: { exemptions: [{ controls: ["t-host-pid"], names: ["p*"], reason: "legacy" }] },
    });
    expect(r.findings.map((f) => f.exempted?.via)).toEqual(["t-host-pid", undefined]);
  });

  it("an exemption that matches nothing at the level is reported as unused", () => {
    const clean = pod(
      { containers: [] },
      { annotations: { "palisade.dev/exempt": "t-host-pid", "palisade.dev/exempt-reason": "just in case" } },
    );
    const r = evaluate([clean], {
      controls: [flagHostPid],
      now: NOW,
      config: {
        exemptions: [
          { controls: ["t-host-pid"], namespaces: ["nowhere"], reason: "stale" },
          { controls: ["t-host-pid"], namespaces: ["x"], reason: "old", until: "2026-05-01" },
        ],
      },
    });
    expect(r.warnings).toEqual([
      expect.stringMatching(/palisade.dev\/exempt names t-host-pid, which reports nothing on it at level hardened/),
      "exemptions[0] (stale) matched no finding at level hardened: remove it, or check its patterns",
      "exemptions[1] (old) lapsed on 2026-05-01: the findings it covered are reported again",
    ]);
  });

  // hardened adds hostPath hygiene (a sensitive host directory is its own finding, exempted on its own).
  it("the README's exemption example holds at every level with the real catalog", () => {
    const agent = pod(
      {
        hostNetwork: true,
        volumes: [{ name: "cni-bin", hostPath: { path: "/opt/cni/bin" } }],
        containers: [
          {
            name: "c",
            image: "registry.example.com/cni@sha256:" + "a".repeat(64),
            volumeMounts: [{ name: "cni-bin", mountPath: "/host/opt/cni/bin", readOnly: true }],
          },
        ],
      },
      {
        annotations: {
          "palisade.dev/exempt": "pod-host-network,pod-host-path",
          "palisade.dev/exempt-reason": "CNI agent: needs the host network",
        },
      },
    );
    for (const level of ["baseline", "restricted", "hardened"] as const) {
      const r = evaluate([agent], { controls: catalog, level, now: NOW });
      const onTheFields = r.findings.filter(
        (f) => f.path === "spec.hostNetwork" || (f.path ?? "").startsWith("spec.volumes[0].hostPath"),
      );
      expect(onTheFields.length).toBeGreaterThan(0);
      expect(onTheFields.filter((f) => f.exempted === undefined).map((f) => [level, f.control, f.path])).toEqual([]);
    }
  });
});

describe("optional controls", () => {
  const optional = { ...flagHostPid, optional: true };
  it("are off by default, on with enabled: true or with any setting", () => {
    expect(isEnabled(optional, {})).toBe(false);
    expect(isEnabled(optional, { controls: { "t-host-pid": { enabled: true } } })).toBe(true);
    expect(isEnabled(optional, { controls: { "t-host-pid": { registries: ["r.io/"] } } })).toBe(true);
    expect(isEnabled(optional, { controls: { "t-host-pid": { registries: ["r.io/"], enabled: false } } })).toBe(false);
    expect(isEnabled(flagHostPid, { controls: { "t-host-pid": { enabled: false } } })).toBe(false);
  });
});
