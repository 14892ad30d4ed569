import { namespacePsaDeclared } from "../../../policypack/controls/namespace/psa-declared";
import { namespacePsaNoDowngrade } from "../../../policypack/controls/namespace/psa-no-downgrade";
import type { KubeObject } from "../../../policypack/engine/types";
import { deployment, namespace, runStack, summary } from "./stack-run";

const P = "pod-security.kubernetes.io/";
const good = {
  [`${P}enforce`]: "restricted",
  [`${P}enforce-version`]: "v1.33",
  [`${P}audit`]: "restricted",
  [`${P}warn`]: "restricted",
};
const path = (k: string) => `metadata.labels["${P}${k}"]`;

describe("namespace-psa-declared", () => {
  it("reports a workload namespace the set does not declare, on a synthesized Namespace", () => {
    const out = runStack(namespacePsaDeclared, [
      deployment("web", "shop"),
      deployment("api", "shop"),
      namespace("other", good),
    ]);
    expect(out).toEqual([
      {
        message:
          'namespace "shop" holds workloads but is not declared in this set: declare it (or patch it) with the pod-security.kubernetes.io labels',
        object: { apiVersion: "v1", kind: "Namespace", metadata: { name: "shop" } },
      },
    ]);
  });

  it.each<[string, KubeObject[]]>([
    ["declared with labels", [namespace("shop", good), deployment("web", "shop")]],
    // Label values of a declared Namespace are namespace-psa-labels' findings, not this control's.
    ["declared without labels", [namespace("shop"), deployment("web", "shop")]],
    ["kube-system is exempt", [deployment("coredns", "kube-system")]],
    ["no workloads", [namespace("empty")]],
  ])("%s: no finding", (_n, objects) => expect(runStack(namespacePsaDeclared, objects)).toEqual([]));

  it("treats an unset namespace as the default namespace", () => {
    expect(summary(runStack(namespacePsaDeclared, [deployment("web", undefined)]))).toEqual(["Namespace/default"]);
  });

  it("requires a patch-only namespace's patches to set the labels", () => {
    const first = namespace("default", { [`${P}enforce`]: "restricted", [`${P}audit`]: "restricted" });
    const second = namespace("default", { [`${P}warn`]: "restricted" });
    const out = runStack(namespacePsaDeclared, [first, second, deployment("web", "default")], {
      patches: [first, second],
    });
    expect(summary(out)).toEqual([`Namespace/default ${path("enforce-version")}`]);
    expect(out[0]?.object).toBe(second);
    const complete = namespace("default", good);
    expect(runStack(namespacePsaDeclared, [complete, deployment("web", "default")], { patches: [complete] })).toEqual(
      [],
    );
  });

  it("leaves wrong values on patches to namespace-psa-labels", () => {
    const patch = namespace("default", { ...good, [`${P}enforce`]: "baseline" });
    expect(runStack(namespacePsaDeclared, [patch, deployment("web", "default")], { patches: [patch] })).toEqual([]);
  });

  it("allows baseline as the minimum when configured", () => {
    const patch = namespace("default", { [`${P}enforce`]: "baseline" });
    const out = runStack(namespacePsaDeclared, [patch, deployment("web", "default")], {
      patches: [patch],
      config: { level: "baseline" },
    });
    expect(summary(out)).toEqual([
      // audit and warn only report: namespace-psa-audit-warn's, on declared Namespaces.
      `Namespace/default ${path("enforce-version")}`,
    ]);
  });
});

describe("namespace-psa-no-downgrade", () => {
  it.each<[string, Array<Record<string, string | null>>, boolean[], string[]]>([
    ["one document", [good], [false], []],
    ["raise", [{ [`${P}enforce`]: "baseline" }, good], [false, false], []],
    ["patch that re-states", [good, { [`${P}enforce`]: "restricted" }], [false, true], []],
    ["patch leaving enforce alone", [good, { team: "a" }], [false, true], []],
    ["patch lowering enforce", [good, { [`${P}enforce`]: "baseline" }], [false, true], [path("enforce")]],
    ["patch to privileged", [good, { [`${P}enforce`]: "privileged" }], [false, true], [path("enforce")]],
    ["patch removing enforce", [good, { [`${P}enforce`]: null }], [false, true], [path("enforce")]],
    ["later full document without it", [good, {}], [false, false], [path("enforce")]],
    [
      "patch lowering the version",
      [good, { [`${P}enforce-version`]: "v1.25" }],
      [false, true],
      [path("enforce-version")],
    ],
    ["patch raising the version", [good, { [`${P}enforce-version`]: "v1.34" }], [false, true], []],
    ["pinned to latest is not lower", [good, { [`${P}enforce-version`]: "latest" }], [false, true], []],
    ["an invalid level is restricted to PSA", [good, { [`${P}enforce`]: "strict" }], [false, true], []],
    [
      "lowering from an invalid level",
      [{ [`${P}enforce`]: "strict" }, { [`${P}enforce`]: "baseline" }],
      [false, true],
      [path("enforce")],
    ],
    [
      "each document against the one before",
      [{ [`${P}enforce`]: "baseline" }, { [`${P}enforce`]: "restricted" }, { [`${P}enforce`]: "baseline" }],
      [false, true, true],
      [path("enforce")],
    ],
  ])("%s", (_n, labelSets, patchFlags, expected) => {
    const docs = labelSets.map((l) => namespace("shop", l));
    const patches = docs.filter((_d, i) => patchFlags[i]);
    const out = runStack(namespacePsaNoDowngrade, docs, { patches });
    expect(out.map((v) => v.path)).toEqual(expected);
    for (const v of out) expect(v.object).toBe(docs[docs.length - 1]);
  });

  it("names the levels", () => {
    const docs = [namespace("shop", good), namespace("shop", { [`${P}enforce`]: "baseline" })];
    expect(runStack(namespacePsaNoDowngrade, docs, { patches: [docs[1]!] })[0]?.message).toBe(
      'lowers pod-security.kubernetes.io/enforce of namespace "shop" from "restricted" to "baseline"',
    );
  });
});
