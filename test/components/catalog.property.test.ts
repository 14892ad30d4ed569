/**
 * The components' promise, as properties over many generated argument sets: a SecureNamespace
 * and a HardenedWorkload deployed in it pass the whole catalog at level hardened, every emitted
 * object is valid against the Kubernetes OpenAPI schema of its kind, and nothing is exempted
 * except what the arguments ask for (the deploy preset's documented rbac-create-pods exemption).
 */
import fc from "fast-check";
import { hardenedWorkload, secureNamespace, type SecureNamespaceArgs } from "../../components/manifests";
import { catalog } from "../../policypack/controls";
import { evaluate } from "../../policypack/engine/evaluate";
import type { PalisadeConfig } from "../../policypack/engine/config";
import type { Finding } from "../../policypack/engine/types";
import { scenario } from "./arbitraries";
import { schemaErrors } from "./schema";

const RUNS = 200;

function show(findings: readonly Finding[]): string {
  return findings
    .map((f) => `${f.control} ${f.resource.kind}/${f.resource.name} ${f.path ?? ""}: ${f.message}`)
    .join("\n");
}

/** The only exemptions the generated arguments ask for: the deploy preset's. */
function expectedExemptions(args: SecureNamespaceArgs): string[] {
  const deploy = (args.access ?? []).some((g) => g.role === "deploy");
  return deploy ? ["rbac-create-pods Role/palisade-deploy"] : [];
}

describe("SecureNamespace + HardenedWorkload against the catalog", () => {
  it(`have no unexempted finding at level hardened (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const objects = [...secureNamespace(s.namespace), ...hardenedWorkload(s.workload), ...s.extra];
        const result = evaluate(objects, { controls: catalog, level: "hardened" });
        const failing = result.findings.filter((f) => f.exempted === undefined);
        if (failing.length > 0) throw new Error(`findings:\n${show(failing)}`);
        const exempted = [
          ...new Set(result.findings.map((f) => `${f.control} ${f.resource.kind}/${f.resource.name ?? ""}`)),
        ];
        expect(exempted).toEqual(expectedExemptions(s.namespace));
        expect(result.warnings).toEqual([]);
        expect(result.skipped).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it(`pass with the optional labelling controls on too (${RUNS} runs)`, () => {
    // recommended-labels and namespace-tenant-boundary are off by default; the components satisfy them anyway.
    const config: PalisadeConfig = {
      controls: { "recommended-labels": { enabled: true }, "namespace-tenant-boundary": { enabled: true } },
    };
    fc.assert(
      fc.property(scenario, (s) => {
        const objects = [...secureNamespace(s.namespace), ...hardenedWorkload(s.workload)];
        const labelled = evaluate(objects, { controls: catalog, level: "hardened", config }).findings.filter(
          (f) => f.exempted === undefined && ["recommended-labels", "namespace-tenant-boundary"].includes(f.control),
        );
        if (labelled.length > 0) throw new Error(`findings:\n${show(labelled)}`);
      }),
      { numRuns: RUNS },
    );
  });

  it(`emit only objects valid against the Kubernetes OpenAPI schema (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const objects = [...secureNamespace(s.namespace), ...hardenedWorkload(s.workload)];
        const errors = objects.map(schemaErrors).filter((e): e is string => e !== undefined);
        if (errors.length > 0) throw new Error(errors.join("\n"));
      }),
      { numRuns: RUNS },
    );
  });

  it(`emit names unique per kind and namespace, all in the declared namespace (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const objects = [...secureNamespace(s.namespace), ...hardenedWorkload(s.workload)];
        const keys = objects.map((o) => `${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`);
        expect(new Set(keys).size).toBe(keys.length);
        for (const o of objects) {
          if (o.kind === "Namespace") expect(o.metadata.namespace).toBeUndefined();
          else expect(o.metadata.namespace).toBe(s.namespace.name);
          expect(o.metadata.labels["app.kubernetes.io/managed-by"]).toBe("palisade");
        }
        expect(objects.some((o) => o.kind === "ClusterRoleBinding" || o.kind === "ClusterRole")).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });
});
