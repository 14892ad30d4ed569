/**
 * The CrossGuard adapter, driven the way the policy server drives it (see harness.ts):
 * every fixture of every control gives the same verdict through the pack as through the engine.
 */
import { catalog } from "../../policypack/controls";
import { defaultEnforcement, enforcementByRank } from "../../policypack/enforcement";
import { buildPolicies, EXEMPTIONS_POLICY, pathIsSet } from "../../policypack/policies";
import { parseTypeToken } from "../../policypack/type-tokens";
import { fixturesFor, type Fixture } from "../helpers/fixtures";
import { analyzeResource, analyzeStack, typeOf, type PackConfig } from "./harness";

const NOW = () => new Date("2026-06-01T00:00:00Z");
const policies = buildPolicies({ now: NOW });

/** The fixture's Palisade config as the pack's per-policy config. */
function packConfig(id: string, fixture: Fixture): PackConfig {
  const settings: Record<string, unknown> = { ...(fixture.config.controls?.[id] ?? {}) };
  delete settings["enabled"];
  if (fixture.config.psaVersion !== undefined) settings["psaVersion"] = fixture.config.psaVersion;
  const exemptions = (fixture.config.exemptions ?? []).filter(
    (e) => e.controls.includes(id) || e.controls.includes("*"),
  );
  if (exemptions.length > 0) settings["exemptions"] = exemptions.map(({ controls: _c, ...rest }) => rest);
  return { [id]: { enforcementLevel: "mandatory", ...settings } };
}

describe("the policy list", () => {
  it("has one policy per control, named by its id, plus the exemptions audit policy", () => {
    expect(policies.map((p) => p.name)).toEqual([...catalog.map((c) => c.id), EXEMPTIONS_POLICY]);
  });

  it.each(catalog.map((c) => [c.id, c] as const))("%s carries metadata and its default enforcement", (id, control) => {
    const p = policies.find((x) => x.name === id)!;
    expect(p.description).toContain(control.title);
    expect(p.severity).toBe(control.severity);
    expect(p.remediationSteps).toBe(control.remediation);
    // An optional control's policy carries the level it has once a setting turns it on.
    expect(p.enforcementLevel).toBe(control.optional ? enforcementByRank(control) : defaultEnforcement(control));
    expect("validateStack" in p).toBe(control.scope === "stack");
  });

  it("enforces the Pod Security Standards and critical/high RBAC by default, advises on the rest, leaves optional ones off", () => {
    for (const c of catalog) {
      const expected = c.optional
        ? "disabled"
        : c.level !== "hardened" || (c.family === "rbac" && ["critical", "high"].includes(c.severity))
          ? "mandatory"
          : "advisory";
      expect([c.id, defaultEnforcement(c)]).toEqual([c.id, expected]);
    }
  });
});

describe.each(catalog.filter((c) => !c.optional).map((c) => [c.id, c] as const))(
  "%s through the pack",
  (id, control) => {
    // A fixture that sets defaultNamespace (kubectl's context namespace) has no pack equivalent:
    // under Pulumi an object without a namespace lands where its provider says.
    const fixtures = fixturesFor(id).filter((f) => f.config.defaultNamespace === undefined);
    if (fixtures.length === 0) return;
    it.each(fixtures.map((f) => [f.name, f] as const))("%s", async (_name, fixture) => {
      const config = packConfig(id, fixture);
      const own = policies.filter((p) => p.name === id);
      let diagnostics;
      if (control.scope === "resource") {
        diagnostics = [];
        for (const object of fixture.objects)
          diagnostics.push(...(await analyzeResource(own, { type: typeOf(object), props: object }, config)));
      } else {
        diagnostics = await analyzeStack(
          own,
          fixture.objects.map((o) => ({ type: typeOf(o), props: o })),
          config,
        );
      }
      expect(diagnostics.filter((d) => /internal error|can't run/.test(d.message))).toEqual([]);
      if (fixture.kind === "pass") expect(diagnostics).toEqual([]);
      else expect(diagnostics.length).toBeGreaterThan(0);
    });
  },
);

describe("optional controls in the pack behave as in the CLI", () => {
  const id = "image-registry-allowlist";
  const own = policies.filter((p) => p.name === id);
  const fixture = fixturesFor(id).find((f) => f.name === "fail.outside")!;
  const settings = { ...(fixture.config.controls?.[id] ?? {}) };
  const run = async (config: PackConfig) => {
    const out = [];
    for (const object of fixture.objects)
      out.push(...(await analyzeResource(own, { type: typeOf(object), props: object }, config)));
    return out;
  };

  it("a setting alone turns the control on, at the level it has by rank (no enforcementLevel needed)", async () => {
    const d = await run({ [id]: settings });
    expect(d.length).toBeGreaterThan(0);
    expect(new Set(d.map((x) => x.enforcementLevel))).toEqual(new Set(["advisory"]));
  });

  it("without a setting it judges nothing; enabled: false keeps it off despite settings", async () => {
    expect(await run({})).toEqual([]);
    expect(await run({ [id]: { ...settings, enabled: false } })).toEqual([]);
  });

  it("its settings carry no schema default, so the CLI cannot fill one in and turn it on", () => {
    const schema = (own[0] as { configSchema?: { properties: Record<string, { default?: unknown }> } }).configSchema;
    expect(schema?.properties["registries"]?.default).toBeUndefined();
    expect(schema?.properties["enabled"]).toEqual(expect.objectContaining({ type: "boolean" }));
  });
});

describe("type tokens", () => {
  it.each([
    ["kubernetes:core/v1:Pod", { apiVersion: "v1", kind: "Pod", patch: false }],
    ["kubernetes:apps/v1:Deployment", { apiVersion: "apps/v1", kind: "Deployment", patch: false }],
    ["kubernetes:core/v1:NamespacePatch", { apiVersion: "v1", kind: "Namespace", patch: true }],
    [
      "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
      { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", patch: false },
    ],
  ])("%s", (token, expected) => expect(parseTypeToken(token)).toEqual(expected));

  it.each([
    "kubernetes:yaml/v2:ConfigGroup",
    "kubernetes:helm.sh/v4:Chart",
    "kubernetes:core/v1:PodList",
    "aws:s3/bucket:Bucket",
    "pulumi:providers:kubernetes",
  ])("%s is not a Kubernetes object", (token) => expect(parseTypeToken(token)).toBeUndefined());
});

describe("pathIsSet", () => {
  const o = { a: { b: [{ c: 1 }], labels: { "x.io/y": "z" } } };
  it.each([
    ["a.b[0].c", true],
    ["a.b[1].c", false],
    ['a.labels["x.io/y"]', true],
    ['a.labels["x.io/q"]', false],
    ["a.q", false],
  ])("%s → %s", (p, expected) => expect(pathIsSet(o, p)).toBe(expected));
});
