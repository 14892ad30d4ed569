/**
 * The regression corpus of issue 12: realistic installs written in the shape such projects ship
 * (test/fixtures/realistic/<set>/install.yaml, with the config.yaml a platform team would write),
 * each with the findings a reviewer went through and accepted (expected.yaml): per object, the
 * controls that fail it and the controls it is exempted from. The comparison is exact, so a new
 * false or noisy finding fails here as surely as a lost true one. Run at the default level
 * (hardened), the way `palisade check` runs.
 *
 * To review a change of findings: `node bin/palisade.js check test/fixtures/realistic/<set>/install.yaml
 * --config test/fixtures/realistic/<set>/config.yaml`, then edit expected.yaml by hand, with the reason.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { catalog } from "../../policypack/controls";
import { validateConfig } from "../../policypack/engine/config";
import { evaluate } from "../../policypack/engine/evaluate";
import { parseManifests } from "../../policypack/engine/parse";
import type { Finding } from "../../policypack/engine/types";
import { FIXTURES } from "../helpers/fixtures";

const CORPUS = path.join(FIXTURES, "realistic");
const NOW = new Date("2026-06-01T00:00:00Z");

interface Expectation {
  /** "Kind/namespace/name" (or "Kind/name") → control ids that fail it. */
  readonly findings?: Readonly<Record<string, readonly string[]>>;
  /** "Kind/namespace/name" → control ids whose findings an exemption covers. */
  readonly exempted?: Readonly<Record<string, readonly string[]>>;
}

function objectKey(f: Finding): string {
  const r = f.resource;
  return [r.kind, r.namespace, r.name].filter((x) => x !== undefined && x !== "").join("/");
}

/** Object → sorted unique control ids, objects sorted: the readable shape of expected.yaml. */
function table(findings: readonly Finding[]): Record<string, string[]> {
  const out = new Map<string, Set<string>>();
  for (const f of findings) {
    const key = objectKey(f);
    let set = out.get(key);
    if (set === undefined) out.set(key, (set = new Set()));
    set.add(f.control);
  }
  return Object.fromEntries([...out.keys()].sort().map((k) => [k, [...(out.get(k) ?? [])].sort()]));
}

function normalise(t: Readonly<Record<string, readonly string[]>> | undefined): Record<string, string[]> {
  return Object.fromEntries(
    Object.keys(t ?? {})
      .sort()
      .map((k) => [k, [...(t?.[k] ?? [])].sort()]),
  );
}

const sets = fs
  .readdirSync(CORPUS, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

it("holds the five sets of issue 12", () => {
  expect(sets).toEqual(["database-operator", "gitops-controller", "ingress-controller", "metrics-addon", "node-agent"]);
});

describe.each(sets)("%s", (set) => {
  const dir = path.join(CORPUS, set);
  const read = (file: string): string | undefined =>
    fs.existsSync(path.join(dir, file)) ? fs.readFileSync(path.join(dir, file), "utf8") : undefined;

  const manifest = parseManifests(read("install.yaml") ?? "", path.join(dir, "install.yaml"));
  const configText = read("config.yaml");
  const { config, errors } = validateConfig(configText === undefined ? {} : parseYaml(configText), catalog);
  const expected = (parseYaml(read("expected.yaml") ?? "{}") ?? {}) as Expectation;
  const result = evaluate(
    manifest.objects.map((o) => o.object),
    { controls: catalog, config, now: NOW },
  );

  it("parses, and its config is valid", () => {
    expect(manifest.errors).toEqual([]);
    expect(errors).toEqual([]);
    expect(result.findings.filter((f) => f.control === "invalid-input" || f.internalError === true)).toEqual([]);
  });

  it("yields exactly the reviewed findings", () => {
    expect(table(result.findings.filter((f) => f.exempted === undefined))).toEqual(normalise(expected.findings));
  });

  it("yields exactly the reviewed exemptions, each with its reason", () => {
    const exempted = result.findings.filter((f) => f.exempted !== undefined);
    expect(table(exempted)).toEqual(normalise(expected.exempted));
    for (const f of exempted) expect(f.exempted?.reason ?? "").not.toBe("");
  });
});
