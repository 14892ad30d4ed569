/**
 * Every control, every fixture: a pass fixture yields no finding of the control, a fail
 * fixture yields at least one (and exactly the expected paths when the fixture says so).
 * Each control must have both kinds of fixture.
 */
import { catalog } from "../../policypack/controls";
import { evaluate } from "../../policypack/engine/evaluate";
import { fixturesFor } from "../helpers/fixtures";

const NOW = new Date("2026-06-01T00:00:00Z");

describe.each(catalog.map((c) => [c.id, c] as const))("%s", (id, control) => {
  const fixtures = fixturesFor(id);

  it("has at least one passing and one failing fixture", () => {
    expect(fixtures.filter((f) => f.kind === "pass").length).toBeGreaterThanOrEqual(1);
    expect(fixtures.filter((f) => f.kind === "fail").length).toBeGreaterThanOrEqual(1);
  });

  const cases = fixtures.map((f) => [f.name, f] as const);
  if (cases.length === 0) return;
  it.each(cases)("%s", (_name, fixture) => {
    // Optional controls are turned on for their own fixtures.
    const config = control.optional
      ? {
          ...fixture.config,
          controls: { ...fixture.config.controls, [id]: { enabled: true, ...fixture.config.controls?.[id] } },
        }
      : fixture.config;
    const result = evaluate(fixture.objects, { controls: [control], config, level: "hardened", now: NOW });
    expect(result.findings.filter((f) => f.control === "invalid-input" || f.internalError === true)).toEqual([]);
    const own = result.findings.filter((f) => f.control === id && f.exempted === undefined);
    if (fixture.kind === "pass") {
      expect(own.map((f) => `${f.path ?? ""}: ${f.message}`)).toEqual([]);
    } else {
      expect(own.length).toBeGreaterThan(0);
      if (fixture.expectPaths !== undefined) {
        expect(own.map((f) => f.path ?? "").sort()).toEqual([...fixture.expectPaths].sort());
      }
    }
  });
});
