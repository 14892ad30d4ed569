/**
 * The upgrade analysis (policypack/analysis/upgrade): every removal in the shared table, Pod
 * Security drift between every pair of adjacent policy versions where a check changed, and the
 * pin rules. Fixtures: test/fixtures/upgrade/{removed,drift}/ (the drift ones are also sent to a
 * real kube-apiserver by test/cluster/upgrade-drift.test.ts).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { analyzeUpgrade, DEPRECATED_APIS, oldestPin, type UpgradeReport } from "../../policypack/analysis/upgrade";
import { upgradeReadiness } from "../../policypack/controls/namespace/upgrade-readiness";
import { defaultEnforcement } from "../../policypack/enforcement";
import { evaluate } from "../../policypack/engine/evaluate";
import { parseManifests } from "../../policypack/engine/parse";
import { StackIndex } from "../../policypack/engine/stack";
import type { KubeObject } from "../../policypack/engine/types";
import { podSecurityControls } from "../../policypack/controls/pod-security";
import { SAFE_SYSCTLS } from "../../policypack/controls/pod-security/sysctls";
import { FIXTURES } from "../helpers/fixtures";

const DIR = path.join(FIXTURES, "upgrade");

interface UpgradeFixture {
  readonly name: string;
  readonly file: string;
  readonly objects: KubeObject[];
  readonly headers: ReadonlyMap<string, string>;
}

function loadUpgradeFixtures(sub: "removed" | "drift"): UpgradeFixture[] {
  const dir = path.join(DIR, sub);
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => {
      const file = path.join(dir, f);
      const text = fs.readFileSync(file, "utf8");
      const parsed = parseManifests(text, file);
      if (parsed.errors.length > 0) throw new Error(`${file}: ${parsed.errors.map((e) => e.message).join("; ")}`);
      const headers = new Map<string, string>();
      for (const line of text.split("\n")) {
        if (!line.startsWith("#")) break;
        const m = /^#\s*([a-z-]+):\s*(.*)$/.exec(line);
        if (m) headers.set(m[1]!, m[2]!);
      }
      return { name: f.replace(/\.yaml$/, ""), file, objects: parsed.objects.map((o) => o.object), headers };
    });
}

const minor = (text: string | undefined): number => Number(/^v1\.(\d+)$/.exec(text ?? "")?.[1] ?? NaN);

function analyze(objects: readonly KubeObject[], to: number, from?: number): UpgradeReport {
  return analyzeUpgrade(new StackIndex(objects), { to, ...(from !== undefined ? { from } : {}) });
}

const ns = (name: string, labels: Record<string, string>): KubeObject => ({
  apiVersion: "v1",
  kind: "Namespace",
  metadata: { name, labels },
});

const probePod = (namespace: string): KubeObject => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "web", namespace },
  spec: {
    containers: [{ name: "web", image: "web:1", livenessProbe: { httpGet: { host: "10.0.0.1", port: 80 } } }],
  },
});

describe("API removals: one fixture per entry of the shared table", () => {
  const fixtures = loadUpgradeFixtures("removed");

  it("covers every entry of the table", () => {
    const covered = new Set(fixtures.flatMap((f) => f.objects.map((o) => `${String(o.apiVersion)}/${String(o.kind)}`)));
    const missing = DEPRECATED_APIS.flatMap((api) => api.kinds.map((k) => `${api.apiVersion}/${k}`)).filter(
      (k) => !covered.has(k),
    );
    expect(missing).toEqual([]);
    expect(fixtures.length).toBe(DEPRECATED_APIS.length);
  });

  it.each(fixtures.map((f) => [f.name, f] as const))("%s", (_name, fixture) => {
    const removedIn = minor(fixture.headers.get("removed-in"));
    const at = analyze(fixture.objects, removedIn);
    expect(at.apis.map((a) => a.status)).toEqual(fixture.objects.map(() => "removed"));
    expect(at.breaking).toBe(fixture.objects.length);
    for (const a of at.apis) {
      expect(a.removedIn).toBe(removedIn);
      expect(a.message).toContain(`removed in v1.${removedIn}`);
      expect(a.replacement).not.toBe(a.apiVersion);
    }
    // The minor before: still served; deprecated once a replacement is served, never breaking.
    const before = analyze(fixture.objects, removedIn - 1);
    expect(before.apis.every((a) => a.status === "deprecated")).toBe(true);
    expect(before.breaking).toBe(0);
  });

  it("says where fields moved (autoscaling/v2beta1 → v2 metrics, Ingress backends)", () => {
    const hpa: KubeObject = {
      apiVersion: "autoscaling/v2beta1",
      kind: "HorizontalPodAutoscaler",
      metadata: { name: "h" },
    };
    const [item] = analyze([hpa], 35).apis;
    expect(item?.replacement).toBe("autoscaling/v2");
    expect(item?.changes).toMatch(/targetAverageUtilization is metrics\[\*\]\.resource\.target\.averageUtilization/);
    const ing: KubeObject = { apiVersion: "extensions/v1beta1", kind: "Ingress", metadata: { name: "i" } };
    expect(analyze([ing], 22).apis[0]?.message).toMatch(/serviceName\/servicePort are backend\.service\.name/);
  });

  it("names the fields an object sets in the old shape, and where they go", () => {
    const hpa: KubeObject = {
      apiVersion: "autoscaling/v2beta1",
      kind: "HorizontalPodAutoscaler",
      metadata: { name: "h" },
      spec: {
        metrics: [
          { type: "Resource", resource: { name: "cpu", targetAverageUtilization: 70 } },
          { type: "External", external: { metricName: "queue", targetValue: 10 } },
        ],
      },
    };
    expect(analyze([hpa], 25).apis[0]?.moved).toEqual([
      {
        path: "spec.metrics[0].resource.targetAverageUtilization",
        to: "resource.target.averageUtilization (target.type: Utilization)",
      },
      { path: "spec.metrics[1].external.metricName", to: "external.metric.name" },
      { path: "spec.metrics[1].external.targetValue", to: "external.target.value" },
    ]);
    const ingress: KubeObject = {
      apiVersion: "networking.k8s.io/v1beta1",
      kind: "Ingress",
      metadata: { name: "i" },
      spec: { rules: [{ http: { paths: [{ path: "/", backend: { serviceName: "web", servicePort: 80 } }] } }] },
    };
    const [item] = analyze([ingress], 22).apis;
    expect(item?.moved.map((m) => m.path)).toEqual([
      "spec.rules[0].http.paths[0].backend.serviceName",
      "spec.rules[0].http.paths[0].backend.servicePort",
    ]);
    expect(item?.message).toContain("spec.rules[0].http.paths[0].backend.serviceName moves to backend.service.name");
    // A v1 Ingress of the same shape is nobody's business here.
    expect(analyze([{ ...ingress, apiVersion: "networking.k8s.io/v1" }], 22).apis).toEqual([]);
  });

  it("advises the newest replacement the target serves (flowcontrol v1beta3 at 1.27, v1 at 1.29)", () => {
    const fs1: KubeObject = { apiVersion: "flowcontrol.apiserver.k8s.io/v1beta1", kind: "FlowSchema", metadata: {} };
    expect(analyze([fs1], 27).apis[0]?.replacement).toBe("flowcontrol.apiserver.k8s.io/v1beta3");
    expect(analyze([fs1], 29).apis[0]?.replacement).toBe("flowcontrol.apiserver.k8s.io/v1");
  });

  it("leaves served, current versions alone", () => {
    const objects: KubeObject[] = [
      { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d" } },
      { apiVersion: "batch/v1beta1", kind: "CronJob", metadata: { name: "c" } },
    ];
    // batch/v1 arrives in 1.21: at 1.20 v1beta1 is the only choice.
    expect(analyze(objects, 20).apis).toEqual([]);
  });
});

describe("Pod Security drift: every adjacent pair of policy versions where a check changed", () => {
  const fixtures = loadUpgradeFixtures("drift");

  it("has a fixture for every version at which a pod-security check changes", () => {
    // The change points: each control's first version, the versions the controls themselves test
    // (seccomp 19, Windows 25, SELinux 31, user namespaces 35) and the sysctl safe set's steps.
    const points = new Set<number>([
      ...podSecurityControls.flatMap((c) => (c.minPolicyVersion ? [c.minPolicyVersion] : [])),
      ...SAFE_SYSCTLS.map(([, since]) => since).filter((v) => v > 0),
      19,
      25,
      31,
      35,
    ]);
    const covered = new Set(fixtures.map((f) => minor(f.headers.get("to"))));
    expect([...points].filter((p) => !covered.has(p)).sort((a, b) => a - b)).toEqual([]);
  });

  it.each(fixtures.map((f) => [f.name, f] as const))("%s", (_name, fixture) => {
    const to = minor(fixture.headers.get("to"));
    const expected = fixture.headers.get("expect");
    const report = analyze(fixture.objects, to);
    expect(report.drift.map((d) => d.verdict)).toEqual([expected]);
    const [d] = report.drift;
    expect(d?.trigger).toBe("raise-pin");
    expect(d?.from).toBe(to - 1);
    expect(d?.breaking).toBe(false);
    expect(d?.checks.length).toBeGreaterThan(0);
    // Adjacent versions only differ there: one minor earlier nothing drifts.
    const pinned = fixture.objects.map((o) =>
      o.kind === "Namespace"
        ? ns(String(o.metadata?.name), {
            ...(o.metadata?.labels as Record<string, string>),
            "pod-security.kubernetes.io/enforce-version": `v1.${to - 2}`,
          })
        : o,
    );
    expect(analyze(pinned, to - 1).drift).toEqual([]);
  });

  it("judges pod templates too, and groups modes that judge alike", () => {
    const objects: KubeObject[] = [
      ns("shop", {
        "pod-security.kubernetes.io/enforce": "baseline",
        "pod-security.kubernetes.io/enforce-version": "v1.33",
        "pod-security.kubernetes.io/warn": "baseline",
        "pod-security.kubernetes.io/warn-version": "v1.33",
      }),
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "web", namespace: "shop" },
        spec: { template: { spec: probePod("shop").spec } },
      },
    ];
    const [d, ...rest] = analyze(objects, 34).drift;
    expect(rest).toEqual([]);
    expect(d?.modes).toEqual(["enforce", "warn"]);
    expect(d?.resource.kind).toBe("Deployment");
    expect(d?.checks).toEqual(["pod-host-probes"]);
  });

  it("a floating namespace drifts at the upgrade itself: breaking under enforce", () => {
    const objects = [ns("shop", { "pod-security.kubernetes.io/enforce": "baseline" }), probePod("shop")];
    const report = analyze(objects, 34, 33);
    expect(report.drift).toHaveLength(1);
    expect(report.drift[0]).toMatchObject({ trigger: "upgrade", verdict: "newly-rejected", breaking: true });
    expect(report.breaking).toBe(1);
    // Warn only: it changes what users see, it breaks nothing.
    const warned = analyze([ns("shop", { "pod-security.kubernetes.io/warn": "baseline" }), probePod("shop")], 34, 33);
    expect(warned.drift[0]).toMatchObject({ modes: ["warn"], breaking: false });
    expect(warned.breaking).toBe(0);
  });

  it("takes --from's default from the oldest pin", () => {
    const objects = [
      ns("a", {
        "pod-security.kubernetes.io/enforce": "baseline",
        "pod-security.kubernetes.io/enforce-version": "v1.30",
      }),
      ns("b", {
        "pod-security.kubernetes.io/audit": "restricted",
        "pod-security.kubernetes.io/audit-version": "v1.28",
      }),
      ns("c", { "pod-security.kubernetes.io/enforce": "baseline" }),
      probePod("c"),
    ];
    expect(oldestPin(new StackIndex(objects))).toBe(28);
    const report = analyze(objects, 34);
    expect(report.from).toBe(28);
    expect(report.drift.map((d) => [d.namespace, d.from, d.trigger])).toEqual([["c", 28, "upgrade"]]);
  });

  it("notes pods of namespaces the input does not declare instead of guessing their labels", () => {
    const report = analyze([probePod("elsewhere")], 34, 33);
    expect(report.drift).toEqual([]);
    expect(report.notes).toEqual([expect.stringContaining('namespace "elsewhere" is not declared')]);
  });
});

describe("pins", () => {
  const kinds = (r: UpgradeReport) => r.pins.map((p) => `${p.namespace}:${p.mode ?? "-"}:${p.kind}`);

  it("a pin more than one minor behind the target lags; one behind does not", () => {
    const objects = [
      ns("old", {
        "pod-security.kubernetes.io/enforce": "restricted",
        "pod-security.kubernetes.io/enforce-version": "v1.32",
      }),
      ns("recent", {
        "pod-security.kubernetes.io/enforce": "restricted",
        "pod-security.kubernetes.io/enforce-version": "v1.33",
      }),
      ns("current", {
        "pod-security.kubernetes.io/enforce": "restricted",
        "pod-security.kubernetes.io/enforce-version": "v1.34",
      }),
    ];
    const report = analyze(objects, 34);
    expect(kinds(report)).toEqual(["old:enforce:lagging"]);
    expect(report.pins[0]?.path).toBe('metadata.labels["pod-security.kubernetes.io/enforce-version"]');
    expect(report.pins[0]?.message).toContain("2 minors behind v1.34");
  });

  it("audit and warn pins count as well", () => {
    const objects = [
      ns("a", {
        "pod-security.kubernetes.io/enforce": "baseline",
        "pod-security.kubernetes.io/enforce-version": "v1.34",
        "pod-security.kubernetes.io/audit": "restricted",
        "pod-security.kubernetes.io/audit-version": "v1.25",
        "pod-security.kubernetes.io/warn": "restricted",
      }),
    ];
    expect(kinds(analyze(objects, 34))).toEqual(["a:audit:lagging", "a:warn:unpinned"]);
  });

  it("unpinned (version unset or latest) and unlabelled namespaces float with the cluster", () => {
    const objects = [
      ns("unset", { "pod-security.kubernetes.io/enforce": "baseline" }),
      ns("latest", {
        "pod-security.kubernetes.io/enforce": "restricted",
        "pod-security.kubernetes.io/enforce-version": "latest",
      }),
      ns("bare", {}),
      // Privileged has no checks: its version changes nothing.
      ns("priv", { "pod-security.kubernetes.io/enforce": "privileged" }),
    ];
    expect(kinds(analyze(objects, 34))).toEqual([
      "unset:enforce:unpinned",
      "latest:enforce:unpinned",
      "bare:-:unlabelled",
    ]);
  });

  it("reads the labels a namespace ends up with after its patches", () => {
    const patch: KubeObject = ns("shop", { "pod-security.kubernetes.io/enforce-version": "v1.34" });
    const objects = [
      ns("shop", {
        "pod-security.kubernetes.io/enforce": "baseline",
        "pod-security.kubernetes.io/enforce-version": "v1.20",
      }),
      patch,
    ];
    const report = analyzeUpgrade(new StackIndex(objects, { isPatch: (o) => o === patch }), { to: 34 });
    expect(report.pins).toEqual([]);
  });
});

describe("the upgrade-readiness stack control", () => {
  const run = (objects: KubeObject[], settings: Record<string, string>, psaVersion?: string) =>
    evaluate(objects, {
      controls: [upgradeReadiness],
      config: { ...(psaVersion !== undefined ? { psaVersion } : {}), controls: { "upgrade-readiness": settings } },
    });

  it("is advisory once given a target, and off without one", () => {
    expect(defaultEnforcement(upgradeReadiness)).toBe("disabled");
    const objects = [ns("shop", { "pod-security.kubernetes.io/enforce": "baseline" }), probePod("shop")];
    const r = run(objects, { targetVersion: "v1.34" }, "v1.33");
    expect(r.findings.map((f) => [f.resource.kind, f.enforcement])).toEqual([
      ["Pod", "advisory"],
      ["Namespace", "advisory"],
    ]);
    expect(r.findings[0]?.message).toMatch(
      /fails baseline:v1\.34 at the upgrade from v1\.33 \(enforce\): pod-host-probes/,
    );
  });

  it("judges floating namespaces from fromVersion, else the oldest pin, else psaVersion", () => {
    const objects = [ns("shop", { "pod-security.kubernetes.io/enforce": "baseline" }), probePod("shop")];
    const drift = (settings: Record<string, string>, psa?: string) =>
      run(objects, settings, psa).findings.filter((f) => f.resource.kind === "Pod").length;
    expect(drift({ targetVersion: "v1.34" })).toBe(0); // nothing to compare with
    expect(drift({ targetVersion: "v1.34" }, "v1.33")).toBe(1);
    expect(drift({ targetVersion: "v1.34", fromVersion: "v1.33" })).toBe(1);
    expect(drift({ targetVersion: "v1.34", fromVersion: "v1.34" })).toBe(0);
  });

  it("an unreadable targetVersion fails closed, naming the setting", () => {
    const r = run([ns("shop", {})], { targetVersion: "next" });
    expect(r.findings.map((f) => f.internalError)).toEqual([true]);
    expect(r.warnings.join("\n")).toContain("controls.upgrade-readiness.targetVersion must be v1.N");
  });
});
