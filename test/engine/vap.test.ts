import * as fc from "fast-check";
import { catalog } from "../../policypack/controls";
import { resourceControl, stackControl } from "../../policypack/controls/define";
import type { Control } from "../../policypack/engine/control";
import {
  exportVap,
  celString,
  EXEMPTION_VARIABLE,
  PARAMS_KIND,
  POD_VARIABLES,
  VapExportError,
} from "../../policypack/engine/vap";
import type { KubeObject } from "../../policypack/engine/types";

const meta = {
  family: "workload" as const,
  severity: "high" as const,
  references: { catalog: "TEST-1" },
  remediation: "fix it",
};

const plain = resourceControl({
  ...meta,
  id: "t-plain",
  title: "Plain",
  level: "baseline",
  kinds: ["Service"],
  cel: { validations: [{ expression: "!has(object.spec.externalIPs)" }] },
  check: () => [],
});
const withConfig = resourceControl({
  ...meta,
  id: "t-config",
  title: "Configurable",
  level: "hardened",
  kinds: ["Deployment", "Pod"],
  config: { limit: { type: "number", description: "a limit", default: 3 } },
  cel: { validations: [{ expression: "size(variables.containers) <= params.spec.limit", message: "too many" }] },
  check: () => [],
});
const twin = resourceControl({
  ...meta,
  id: "t-restricted",
  title: "Restricted twin",
  level: "restricted",
  kinds: ["Service"],
  overrides: ["t-plain"],
  cel: { validations: [{ expression: "true" }] },
  check: () => [],
});
const noCel = resourceControl({
  ...meta,
  id: "t-nocel",
  title: "No CEL",
  level: "baseline",
  kinds: ["Service"],
  cel: { unsupported: "needs the secret's value" },
  check: () => [],
});
const optional = resourceControl({
  ...meta,
  id: "t-optional",
  title: "Optional",
  level: "baseline",
  kinds: ["Service"],
  optional: true,
  cel: { validations: [{ expression: "true" }] },
  check: () => [],
});
const stack = stackControl({
  ...meta,
  id: "t-stack",
  title: "Stack",
  level: "baseline",
  kinds: ["Namespace"],
  checkStack: () => [],
});
const controls: Control[] = [plain, withConfig, twin, noCel, optional, stack];

const byKind = (objects: readonly KubeObject[], kind: string): KubeObject[] => objects.filter((o) => o.kind === kind);
const spec = (o: KubeObject | undefined): Record<string, unknown> => (o?.["spec"] ?? {}) as Record<string, unknown>;

describe("exportVap", () => {
  it("exports the controls up to the level, and says why each other one is left out", () => {
    const out = exportVap({ controls, level: "baseline" });
    expect(out.exported).toEqual(["t-plain"]);
    expect(out.notExported).toEqual([
      { id: "t-nocel", reason: "needs the secret's value" },
      { id: "t-optional", reason: "optional and not enabled in the config" },
      { id: "t-stack", reason: expect.stringContaining("stack control") },
    ]);
  });

  it("a restricted twin replaces the baseline control it overrides", () => {
    const out = exportVap({ controls, level: "restricted" });
    expect(out.exported).toEqual(["t-restricted"]);
    expect(out.notExported).toContainEqual({ id: "t-plain", reason: expect.stringContaining("overridden") });
  });

  it("orders the objects for installation: CRD, policies, parameters, bindings", () => {
    const out = exportVap({ controls, level: "hardened" });
    expect(out.objects.map((o) => o.kind)).toEqual([
      "CustomResourceDefinition",
      "ValidatingAdmissionPolicy",
      "ValidatingAdmissionPolicy",
      PARAMS_KIND,
      "ValidatingAdmissionPolicyBinding",
      "ValidatingAdmissionPolicyBinding",
    ]);
  });

  it("gives configurable controls a paramKind, their effective settings and a paramRef that denies when missing", () => {
    const out = exportVap({ controls, level: "hardened", config: { controls: { "t-config": { limit: 5 } } } });
    const policy = byKind(out.objects, "ValidatingAdmissionPolicy").find(
      (o) => o.metadata?.name === "palisade-t-config",
    );
    expect(spec(policy)["paramKind"]).toEqual({ apiVersion: "palisade.dev/v1alpha1", kind: PARAMS_KIND });
    expect(byKind(out.objects, PARAMS_KIND)).toEqual([expect.objectContaining({ spec: { limit: 5 } })]);
    const binding = byKind(out.objects, "ValidatingAdmissionPolicyBinding").find(
      (o) => o.metadata?.name === "palisade-t-config",
    );
    expect(spec(binding)["paramRef"]).toEqual({ name: "t-config", parameterNotFoundAction: "Deny" });
    const plainBinding = byKind(out.objects, "ValidatingAdmissionPolicyBinding").find(
      (o) => o.metadata?.name === "palisade-t-plain",
    );
    expect(spec(plainBinding)["paramRef"]).toBeUndefined();
  });

  it("gives pod controls the pod variables, and matches every served resource of their kinds", () => {
    const out = exportVap({ controls, level: "hardened" });
    const policy = byKind(out.objects, "ValidatingAdmissionPolicy").find(
      (o) => o.metadata?.name === "palisade-t-config",
    );
    const s = spec(policy);
    expect((s["variables"] as { name: string }[]).map((v) => v.name)).toEqual(POD_VARIABLES.map((v) => v.name));
    expect((s["matchConstraints"] as { resourceRules: unknown[] }).resourceRules).toEqual([
      { apiGroups: ["apps"], apiVersions: ["*"], operations: ["CREATE", "UPDATE"], resources: ["deployments"] },
      {
        apiGroups: [""],
        apiVersions: ["*"],
        operations: ["CREATE", "UPDATE"],
        resources: ["pods", "pods/ephemeralcontainers"],
      },
    ]);
    expect(s["validations"]).toEqual([{ expression: expect.any(String), message: "too many", reason: "Forbidden" }]);
    expect(s["failurePolicy"]).toBe("Fail");
  });

  it("sets each binding's actions by its control's enforcement, the config's enforcement overriding, --action forcing one", () => {
    const actionsOf = (out: ReturnType<typeof exportVap>): Record<string, unknown> =>
      Object.fromEntries(
        byKind(out.objects, "ValidatingAdmissionPolicyBinding").map((b) => [
          b.metadata?.name,
          spec(b)["validationActions"],
        ]),
      );
    // t-plain is baseline (mandatory); t-config is a hardened workload control (advisory).
    const byEnforcement = exportVap({ controls: [plain, withConfig], level: "hardened" });
    expect(actionsOf(byEnforcement)).toEqual({
      "palisade-t-plain": ["Deny", "Audit"],
      "palisade-t-config": ["Warn", "Audit"],
    });
    expect(byEnforcement.enforcement).toEqual({ "t-plain": "mandatory", "t-config": "advisory" });
    const configured = exportVap({
      controls: [plain, withConfig],
      level: "hardened",
      config: {
        controls: { "t-plain": { enforcement: "advisory" }, "t-config": { enforcementLevel: "remediate" } },
      },
    });
    expect(actionsOf(configured)).toEqual({
      "palisade-t-plain": ["Warn", "Audit"],
      "palisade-t-config": ["Deny", "Audit"],
    });
    const disabled = exportVap({
      controls,
      level: "baseline",
      config: { controls: { "t-plain": { enforcement: "disabled" } } },
    });
    expect(disabled.exported).toEqual([]);
    expect(disabled.notExported).toContainEqual({ id: "t-plain", reason: "disabled in the config" });
    for (const [action, expected] of [
      ["Warn", ["Warn", "Audit"]],
      ["Audit", ["Audit"]],
      ["Deny", ["Deny", "Audit"]],
    ] as const) {
      const out = exportVap({ controls: [plain, withConfig], level: "hardened", action });
      for (const b of byKind(out.objects, "ValidatingAdmissionPolicyBinding"))
        expect(spec(b)["validationActions"]).toEqual(expected);
    }
  });

  it("an optional control turned on by a setting gets the enforcement of its level", () => {
    const out = exportVap({
      controls: [optional],
      level: "baseline",
      config: { controls: { "t-optional": { enabled: true } } },
    });
    expect(out.enforcement).toEqual({ "t-optional": "mandatory" });
  });

  const policyOf = (out: ReturnType<typeof exportVap>, name = "palisade-t-plain"): Record<string, unknown> =>
    spec(byKind(out.objects, "ValidatingAdmissionPolicy").find((p) => p.metadata?.name === name));
  const variable = (s: Record<string, unknown>): string | undefined =>
    (s["variables"] as { name: string; expression: string }[] | undefined)?.find((v) => v.name === EXEMPTION_VARIABLE)
      ?.expression;

  it("never honours an exemption annotation on the judged object by default: no condition, no variable reads it", () => {
    const out = exportVap({ controls, level: "hardened" });
    for (const p of byKind(out.objects, "ValidatingAdmissionPolicy")) {
      const text = JSON.stringify(spec(p));
      expect(text).not.toContain("palisade.dev/exempt");
      expect((spec(p)["matchConditions"] as { name: string }[]).map((c) => c.name)).not.toContain(
        "palisade-annotation-exemption",
      );
      expect(spec(p)["auditAnnotations"]).toBeUndefined();
    }
  });

  it("carries config exemptions into the validations (not a silent skip) and records each use in an audit annotation", () => {
    const out = exportVap({
      controls,
      level: "baseline",
      now: new Date("2030-06-01T12:00:00Z"),
      config: {
        exemptions: [
          { controls: ["t-plain"], namespaces: ["team-*"], kinds: ["Service"], reason: "legacy" },
          { controls: ["*"], names: ["a?c"], reason: "all" },
          { controls: ["t-plain"], namespaces: ["x"], reason: "grace period", until: "2030-06-30" },
          { controls: ["t-plain"], namespaces: ["y"], reason: "lapsed", until: "2030-05-31" },
          { controls: ["other"], reason: "not this one" },
        ],
      },
    });
    const s = policyOf(out);
    expect((s["matchConditions"] as { name: string }[]).map((c) => c.name)).toEqual(["palisade-not-control-plane"]);
    const exemption = variable(s) ?? "";
    expect(exemption).toContain('"^team-.*$"');
    expect(exemption).toContain('request.kind.kind in ["Service"]');
    expect(exemption).toContain('"^a.c$"');
    expect(exemption).toContain("config exemptions[0]: legacy");
    expect(exemption).toContain("config exemptions[2] (until 2030-06-30): grace period");
    expect(exemption).not.toContain("lapsed");
    expect(exemption).not.toContain("not this one");
    expect(s["validations"]).toEqual([
      {
        expression: `variables.${EXEMPTION_VARIABLE} != '' || (!has(object.spec.externalIPs))`,
        message: "Plain",
        reason: "Forbidden",
      },
    ]);
    expect(s["auditAnnotations"]).toEqual([
      {
        key: "exempted",
        valueExpression: `variables.${EXEMPTION_VARIABLE} != '' && variables.palisadeViolated ? variables.${EXEMPTION_VARIABLE} : ''`,
      },
    ]);
    expect((s["variables"] as { name: string; expression: string }[]).at(-1)).toEqual({
      name: "palisadeViolated",
      expression: "!((!has(object.spec.externalIPs)))",
    });
    expect(out.warnings).toEqual([
      expect.stringContaining("exemptions[2] lapses after 2030-06-30"),
      "exemptions[3] lapsed on 2030-05-31: left out, the objects it covered are judged",
    ]);
  });

  it("keeps every audit annotation expression within the API server's 5 KiB limit, whatever the control", () => {
    const out = exportVap({
      controls: catalog,
      level: "hardened",
      annotationExemptionsFrom: ["group:platform-admins"],
      config: { exemptions: [{ controls: ["*"], namespaces: ["infra"], reason: "node agents" }] },
    });
    for (const p of byKind(out.objects, "ValidatingAdmissionPolicy"))
      for (const a of (spec(p)["auditAnnotations"] ?? []) as { valueExpression: string }[])
        expect([p.metadata?.name, Buffer.byteLength(a.valueExpression) <= 5 * 1024]).toEqual([p.metadata?.name, true]);
  });

  it("honours annotations only in requests of the trusted requesters, with a reason and without an end date", () => {
    const out = exportVap({
      controls,
      level: "baseline",
      annotationExemptionsFrom: ["group:platform-admins", "user:ops"],
    });
    const exemption = variable(policyOf(out)) ?? "";
    expect(exemption).toContain('request.userInfo.username in ["ops"]');
    expect(exemption).toContain('request.userInfo.groups.exists(g, g in ["platform-admins"])');
    expect(exemption).toContain('"palisade.dev/exempt-reason"');
    expect(exemption).toContain('!("palisade.dev/exempt-until" in object.metadata.annotations)');
    expect(exemption).toContain('x.trim() == "t-plain"');
    expect(exemption).toContain("request.userInfo.username");
    // The config can name them too; a malformed requester is refused.
    const fromConfig = exportVap({
      controls,
      level: "baseline",
      config: { admission: { annotationExemptionsFrom: ["user:ops"] } },
    });
    expect(variable(policyOf(fromConfig))).toContain('request.userInfo.username in ["ops"]');
    expect(() => exportVap({ controls, level: "baseline", annotationExemptionsFrom: ["ops"] })).toThrow(VapExportError);
  });

  it("refuses a pinned Pod Security version: the CEL is written for the newest", () => {
    expect(() => exportVap({ controls, config: { psaVersion: "v1.30" } })).toThrow(VapExportError);
    expect(() => exportVap({ controls, config: { psaVersion: "latest" } })).not.toThrow();
  });

  it("never judges the control plane's own writes, and leaves the export's own objects alone", () => {
    const labels = resourceControl({ ...plain, id: "t-crd", kinds: ["CustomResourceDefinition", "Service"] });
    const out = exportVap({ controls: [labels], level: "baseline" });
    const conditions = spec(byKind(out.objects, "ValidatingAdmissionPolicy")[0])["matchConditions"] as {
      name: string;
      expression: string;
    }[];
    const trust = conditions.find((c) => c.name === "palisade-not-control-plane")?.expression ?? "";
    expect(trust).toContain('"system:serviceaccount:kube-system:replicaset-controller"');
    expect(trust).toContain('"system:kube-controller-manager"');
    // No longer every service account of kube-system: an operator installed there is judged.
    expect(trust).not.toContain("startsWith('system:serviceaccount:kube-system:')");
    // A kubelet only for its own mirror pods.
    expect(trust).toContain("'system:node:' + object.spec.nodeName == request.userInfo.username");
    expect(conditions.find((c) => c.name === "palisade-own-objects")?.expression).toContain(
      "controlparameters.palisade.dev",
    );
    const servicesOnly = exportVap({ controls: [plain], level: "baseline" });
    const plainConditions = spec(byKind(servicesOnly.objects, "ValidatingAdmissionPolicy")[0])["matchConditions"] as {
      name: string;
    }[];
    expect(plainConditions.map((c) => c.name)).not.toContain("palisade-own-objects");
  });

  it("labels every exported object so it passes recommended-labels itself", () => {
    for (const o of exportVap({ controls, level: "hardened" }).objects)
      for (const key of [
        "app.kubernetes.io/name",
        "app.kubernetes.io/instance",
        "app.kubernetes.io/part-of",
        "app.kubernetes.io/managed-by",
      ])
        expect(o.metadata?.labels?.[key]).toBeTruthy();
  });

  it("turns off a control disabled in the config", () => {
    const out = exportVap({ controls, level: "baseline", config: { controls: { "t-plain": { enabled: false } } } });
    expect(out.exported).toEqual([]);
    expect(out.notExported).toContainEqual({ id: "t-plain", reason: "disabled in the config" });
  });

  it("celString makes a CEL literal of any string", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const lit = celString(s);
        expect(lit.startsWith('"') && lit.endsWith('"')).toBe(true);
        expect(JSON.parse(lit)).toBe(s);
      }),
    );
  });
});

describe("the catalog's CEL", () => {
  it("every exported policy of the whole catalog has a unique name and at least one validation", () => {
    const out = exportVap({ controls: catalog, level: "hardened" });
    const names = out.objects.map((o) => `${o.kind}/${o.metadata?.name}`);
    expect(new Set(names).size).toBe(names.length);
    for (const p of byKind(out.objects, "ValidatingAdmissionPolicy"))
      expect((spec(p)["validations"] as unknown[]).length).toBeGreaterThan(0);
    expect(out.exported.length + out.notExported.length).toBe(catalog.length);
  });

  it("every resource control says whether it has a CEL form", () => {
    const missing = catalog.filter((c) => c.scope === "resource" && c.cel === undefined).map((c) => c.id);
    expect(missing).toEqual([]);
  });
});
