import { namespacePrivilegedAllowlist } from "../../../policypack/controls/namespace/privileged-allowlist";
import { parseVersion, psaLabelProblems } from "../../../policypack/controls/namespace/psa";
import { namespacePsaLabels } from "../../../policypack/controls/namespace/psa-labels";
import { namespacePsaAuditWarn } from "../../../policypack/controls/namespace/psa-audit-warn";
import { runControl } from "../../helpers/objects";
import { namespace } from "./stack-run";

const P = "pod-security.kubernetes.io/";
const good = {
  [`${P}enforce`]: "restricted",
  [`${P}enforce-version`]: "v1.33",
  [`${P}audit`]: "restricted",
  [`${P}warn`]: "restricted",
};
const path = (k: string) => `metadata.labels["${P}${k}"]`;

describe("parseVersion (PSA's)", () => {
  it.each([
    ["latest", "latest"],
    ["v1.0", 0],
    ["v1.33", 33],
    ["1.33", undefined],
    ["v1.033", undefined],
    ["v2.1", undefined],
    ["v1.", undefined],
    [33, undefined],
  ])("%j → %j", (v, expected) => expect(parseVersion(v)).toBe(expected));
});

describe("namespace-psa-audit-warn", () => {
  it.each<[string, Record<string, string | null>, string[]]>([
    ["restricted, pinned", good, []],
    ["audit baseline", { ...good, [`${P}audit`]: "baseline" }, [path("audit")]],
    ["warn missing", { ...good, [`${P}warn`]: null }, [path("warn")]],
    ["no labels", {}, [path("audit"), path("warn")]],
  ])("%s", (_n, labels, expected) => {
    const clean = Object.fromEntries(Object.entries(labels).filter(([, v]) => v !== null));
    expect(runControl(namespacePsaAuditWarn, namespace("shop", clean)).map((v) => v.path)).toEqual(expected);
  });

  it("is below namespace-psa-labels: a missing audit/warn label hides nothing from enforcement", () => {
    expect([namespacePsaAuditWarn.severity, namespacePsaLabels.severity]).toEqual(["low", "high"]);
  });

  it("says what the warn label adds beside enforce", () => {
    const [v] = runControl(namespacePsaAuditWarn, namespace("shop", { ...good, [`${P}warn`]: null }));
    expect(v?.message).toMatch(/enforce judges Pods only/);
  });

  it("leaves allowlisted privileged namespaces alone", () => {
    expect(runControl(namespacePsaAuditWarn, namespace("kube-system"))).toEqual([]);
  });
});

describe("namespace-psa-labels", () => {
  it.each<[string, Record<string, string | null>, string[]]>([
    ["restricted, pinned", good, []],
    ["enforce baseline", { ...good, [`${P}enforce`]: "baseline" }, [path("enforce")]],
    ["enforce privileged", { ...good, [`${P}enforce`]: "privileged" }, [path("enforce")]],
    ["enforce misspelt", { ...good, [`${P}enforce`]: "Restricted" }, [path("enforce")]],
    ["enforce null", { ...good, [`${P}enforce`]: null }, [path("enforce")]],
    ["version latest", { ...good, [`${P}enforce-version`]: "latest" }, [path("enforce-version")]],
    ["version without v", { ...good, [`${P}enforce-version`]: "1.33" }, [path("enforce-version")]],
    ["oldest version v1.0", { ...good, [`${P}enforce-version`]: "v1.0" }, []],
    ["audit baseline: namespace-psa-audit-warn's", { ...good, [`${P}audit`]: "baseline" }, []],
    ["warn missing: namespace-psa-audit-warn's", { ...good, [`${P}warn`]: null }, []],
    ["no labels", {}, [path("enforce"), path("enforce-version")]],
  ])("%s", (_n, labels, expected) => {
    const clean = Object.fromEntries(Object.entries(labels).filter(([, v]) => v !== null));
    expect(runControl(namespacePsaLabels, namespace("shop", clean)).map((v) => v.path)).toEqual(expected);
  });

  it("accepts baseline only when configured; audit/warn at restricted are namespace-psa-audit-warn's", () => {
    const baseline = namespace("shop", { ...good, [`${P}enforce`]: "baseline", [`${P}warn`]: "baseline" });
    expect(runControl(namespacePsaLabels, baseline, { config: { level: "baseline" } })).toEqual([]);
    expect(runControl(namespacePsaAuditWarn, baseline).map((v) => v.path)).toEqual([path("warn")]);
    const privileged = namespace("shop", { ...good, [`${P}enforce`]: "privileged" });
    expect(runControl(namespacePsaLabels, privileged, { config: { level: "baseline" } })).toHaveLength(1);
  });

  it("leaves allowlisted privileged namespaces alone", () => {
    expect(runControl(namespacePsaLabels, namespace("kube-system"))).toEqual([]);
    expect(
      runControl(namespacePsaLabels, namespace("cilium"), { config: { privilegedNamespaces: ["cilium"] } }),
    ).toEqual([]);
  });

  it("says why a missing version matters", () => {
    const problems = psaLabelProblems({ ...good, [`${P}enforce-version`]: undefined }, "restricted");
    expect(problems).toEqual([
      expect.objectContaining({
        key: `${P}enforce-version`,
        missing: true,
        message: expect.stringContaining('means "latest"'),
      }),
    ]);
  });

  it("does not crash on odd shapes", () => {
    expect(
      runControl(namespacePsaLabels, {
        apiVersion: "v1",
        kind: "Namespace",
        metadata: { name: "x", labels: "y" } as never,
      }),
    ).toHaveLength(2);
    expect(runControl(namespacePsaLabels, { apiVersion: "v1", kind: "Namespace" })).toHaveLength(2);
    expect(runControl(namespacePsaAuditWarn, { apiVersion: "v1", kind: "Namespace" })).toHaveLength(2);
  });
});

describe("namespace-privileged-allowlist", () => {
  it.each<[string, string, string | undefined, Record<string, unknown>, string[]]>([
    ["kube-system", "kube-system", "privileged", {}, []],
    ["application", "shop", "privileged", {}, [path("enforce")]],
    ["restricted application", "shop", "restricted", {}, []],
    ["unset: not this control's concern", "shop", undefined, {}, []],
    ["configured", "cilium", "privileged", { privilegedNamespaces: ["cilium"] }, []],
    [
      "kube-system not configured any more",
      "kube-system",
      "privileged",
      { privilegedNamespaces: ["cilium"] },
      [path("enforce")],
    ],
  ])("%s", (_n, name, level, config, expected) => {
    const ns = namespace(name, level === undefined ? {} : { [`${P}enforce`]: level });
    expect(runControl(namespacePrivilegedAllowlist, ns, { config }).map((v) => v.path)).toEqual(expected);
  });
});
