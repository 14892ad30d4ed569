/**
 * Family-wide properties: catalog metadata, PSS levels only on PSS checks, and checks and fixes
 * that never throw, whatever shape the manifest has.
 */
import fc from "fast-check";
import { catalog } from "../../../policypack/controls";
import { podSecurityControls } from "../../../policypack/controls/pod-security";
import type { ResourceControl } from "../../../policypack/engine/control";
import { POD_KINDS } from "../../../policypack/engine/pod";
import type { KubeObject } from "../../../policypack/engine/types";
import { inEveryKind, pod, runControl } from "../../helpers/objects";
import { contextFor } from "./support";

const controls = podSecurityControls.filter((c): c is ResourceControl => c.scope === "resource");

describe("pod-security family", () => {
  it("has resource controls only, with unique kebab-case ids", () => {
    expect(controls.length).toBe(podSecurityControls.length);
    const ids = controls.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^pod-[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it("covers every row POD-001 … POD-023, in catalog order", () => {
    const rows = controls.map((c) => c.references.catalog);
    expect([...new Set(rows)]).toEqual(Array.from({ length: 23 }, (_, i) => `POD-${String(i + 1).padStart(3, "0")}`));
  });

  it("gives PSS levels exactly to the PSS checks", () => {
    for (const c of controls) {
      if (c.level === "hardened") expect([c.id, c.references.pss]).toEqual([c.id, undefined]);
      else expect([c.id, c.references.pss, c.minPolicyVersion]).toEqual([c.id, expect.any(String), expect.any(Number)]);
    }
  });

  it("overrides only Baseline controls of the family, from a Restricted control", () => {
    const byId = new Map(controls.map((c) => [c.id, c]));
    for (const c of controls) {
      for (const o of c.overrides ?? []) {
        expect(c.level).toBe("restricted");
        expect(byId.get(o)?.level).toBe("baseline");
      }
    }
  });

  it("inspects every pod-bearing kind", () => {
    for (const c of controls) expect(c.kinds).toEqual(POD_KINDS);
  });

  const odd = fc.oneof(
    fc.constant(null),
    fc.constant("x"),
    fc.constant(7),
    fc.constant(true),
    fc.constant([]),
    fc.constant([null, 1, "a", {}]),
    fc.constant({}),
  );
  const oddPodSpec = fc.record(
    {
      containers: fc.oneof(
        odd,
        fc.array(
          fc.oneof(
            odd,
            fc.record(
              {
                name: odd,
                securityContext: fc.oneof(
                  odd,
                  fc.dictionary(
                    fc.constantFrom(
                      "capabilities",
                      "seccompProfile",
                      "appArmorProfile",
                      "seLinuxOptions",
                      "windowsOptions",
                      "procMount",
                      "runAsUser",
                      "privileged",
                    ),
                    odd,
                  ),
                ),
                ports: odd,
                volumeMounts: odd,
                livenessProbe: odd,
                lifecycle: odd,
              },
              { requiredKeys: [] },
            ),
          ),
        ),
      ),
      initContainers: odd,
      securityContext: fc.oneof(
        odd,
        fc.dictionary(
          fc.constantFrom(
            "sysctls",
            "seccompProfile",
            "runAsNonRoot",
            "seLinuxOptions",
            "windowsOptions",
            "appArmorProfile",
          ),
          odd,
        ),
      ),
      volumes: fc.oneof(
        odd,
        fc.array(fc.oneof(odd, fc.dictionary(fc.constantFrom("name", "hostPath", "nfs", "configMap"), odd))),
      ),
      os: odd,
      hostUsers: odd,
    },
    { requiredKeys: [] },
  );

  it("never throws on odd shapes, in check or fix, at any version", () => {
    fc.assert(
      fc.property(oddPodSpec, odd, fc.constantFrom(0, 18, 19, 25, 35, Infinity), (spec, annotations, policyVersion) => {
        for (const object of inEveryKind(spec as Record<string, unknown>, { annotations })) {
          for (const control of controls) {
            expect(() => runControl(control, object, { policyVersion })).not.toThrow();
            if (control.fix)
              expect(() => control.fix!(object, contextFor(control, object, { policyVersion }))).not.toThrow();
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it("applies no check below its minimum policy version, even when run directly", () => {
    const worst = pod({
      containers: [
        {
          name: "app",
          image: "x",
          securityContext: { runAsUser: 0, procMount: "Unmasked" },
          livenessProbe: { httpGet: { host: "10.0.0.1", port: 80 } },
        },
      ],
    });
    const versioned = controls.filter((c) => (c.minPolicyVersion ?? 0) > 0);
    expect(versioned.length).toBeGreaterThanOrEqual(6);
    for (const control of versioned) {
      const min = control.minPolicyVersion!;
      expect([control.id, runControl(control, worst, { policyVersion: min - 1 })]).toEqual([control.id, []]);
      expect([control.id, runControl(control, worst, { policyVersion: min }).length > 0]).toEqual([control.id, true]);
    }
  });

  it("passes objects that carry no pod", () => {
    const objects: KubeObject[] = [
      { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: { a: "b" } },
      { apiVersion: "v1", kind: "Pod" },
      { apiVersion: "example.com/v1", kind: "Deployment", spec: { template: { spec: { hostPID: true } } } },
    ];
    for (const object of objects) for (const control of controls) expect(runControl(control, object)).toEqual([]);
  });

  it("fixes return the object itself when there is nothing to fix", () => {
    const object: KubeObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" } };
    for (const control of controls)
      if (control.fix) expect(control.fix(object, contextFor(control, object))).toBe(object);
  });
});

describe("overrides (issue 12)", () => {
  it("a Restricted control that replaces a Baseline one reports at no lower severity", () => {
    const rank = ["low", "medium", "high", "critical"];
    const byId = new Map(catalog.map((c) => [c.id, c]));
    for (const c of catalog)
      for (const o of c.overrides ?? []) {
        const replaced = byId.get(o);
        expect([c.id, rank.indexOf(c.severity) >= rank.indexOf(replaced?.severity ?? "critical")]).toEqual([
          c.id,
          true,
        ]);
      }
  });
});
