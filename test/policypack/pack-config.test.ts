/** `palisade export pack-config`: the config file as --policy-pack-config, accepted by every policy's schema. */
import { catalog } from "../../policypack/controls";
import type { PalisadeConfig } from "../../policypack/engine/config";
import { packConfigFrom } from "../../policypack/pack-config";
import { buildPolicies } from "../../policypack/policies";
import { fixturesFor } from "../helpers/fixtures";
import { analyzeResource, typeOf, type PackConfig } from "./harness";

const policies = buildPolicies({ now: () => new Date("2026-06-01T00:00:00Z") });

const CONFIG: PalisadeConfig = {
  psaVersion: "v1.33",
  controls: {
    "container-probes": { enforcement: "mandatory" },
    "image-registry-allowlist": { registries: ["registry.example.com/"] },
    "plaintext-credentials": { enabled: false },
    "pod-privileged": { enforcementLevel: "remediate" },
  },
  exemptions: [
    { controls: ["pod-host-path"], namespaces: ["monitoring"], reason: "node metrics", until: "2027-01-01" },
    { controls: ["*"], names: ["legacy-*"], reason: "being retired" },
  ],
};

describe("packConfigFrom", () => {
  const out = packConfigFrom(CONFIG, catalog);

  it("carries enforcement, settings, exemptions and psaVersion to the policies they concern", () => {
    expect(out["container-probes"]).toEqual(
      expect.objectContaining({
        enforcementLevel: "mandatory",
        exemptions: [{ names: ["legacy-*"], reason: "being retired" }],
      }),
    );
    expect(out["image-registry-allowlist"]).toEqual(expect.objectContaining({ registries: ["registry.example.com/"] }));
    expect(out["plaintext-credentials"]?.["enforcementLevel"]).toBe("disabled");
    expect(out["pod-privileged"]?.["enforcementLevel"]).toBe("remediate");
    expect(out["pod-host-path"]).toEqual({
      exemptions: [
        { namespaces: ["monitoring"], reason: "node metrics", until: "2027-01-01" },
        { names: ["legacy-*"], reason: "being retired" },
      ],
      psaVersion: "v1.33",
    });
    expect(out["rbac-bind"]?.["psaVersion"]).toBeUndefined();
  });

  it("names only real policies, with only the keys each policy's schema declares", () => {
    for (const [name, settings] of Object.entries(out)) {
      const policy = policies.find((p) => p.name === name) as
        { configSchema?: { properties: Record<string, unknown> } } | undefined;
      expect(policy).toBeDefined();
      for (const key of Object.keys(settings).filter((k) => k !== "enforcementLevel"))
        expect([name, key, key in (policy?.configSchema?.properties ?? {})]).toEqual([name, key, true]);
    }
  });

  it("drives the pack as the config drives the CLI: an optional control turned on by its setting judges", async () => {
    const fixture = fixturesFor("image-registry-allowlist").find((f) => f.name === "fail.outside")!;
    const own = policies.filter((p) => p.name === "image-registry-allowlist");
    const d = [];
    for (const object of fixture.objects)
      d.push(...(await analyzeResource(own, { type: typeOf(object), props: object }, out as PackConfig)));
    expect(d.length).toBeGreaterThan(0);
  });
});
