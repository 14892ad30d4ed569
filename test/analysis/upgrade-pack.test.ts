/**
 * upgrade-readiness through the CrossGuard pack (the harness drives policies as the policy server
 * does): off until the pack's config names a target, then advisory, so `pulumi preview` warns
 * before a cluster upgrade without blocking it.
 */
import * as path from "node:path";
import { buildPolicies } from "../../policypack/policies";
import { parseManifests } from "../../policypack/engine/parse";
import { analyzeStack, typeOf } from "../policypack/harness";
import { FIXTURES } from "../helpers/fixtures";
import * as fs from "node:fs";

const policies = buildPolicies({ now: () => new Date("2026-06-01T00:00:00Z") }).filter(
  (p) => p.name === "upgrade-readiness",
);
const file = path.join(FIXTURES, "upgrade", "examples", "cluster.yaml");
const resources = parseManifests(fs.readFileSync(file, "utf8"), file).objects.map(({ object }) => ({
  type: typeOf(object),
  props: object,
}));

it("is one stack policy, off without a target", async () => {
  expect(policies).toHaveLength(1);
  expect(await analyzeStack(policies, resources)).toEqual([]);
});

it("warns (advisory) about what breaks or drifts at the target", async () => {
  const d = await analyzeStack(policies, resources, {
    "upgrade-readiness": { targetVersion: "v1.34", fromVersion: "v1.33" },
  });
  expect(new Set(d.map((x) => x.enforcementLevel))).toEqual(new Set(["advisory"]));
  const messages = d.map((x) => x.message).join("\n");
  expect(messages).toContain("autoscaling/v2beta2 HorizontalPodAutoscaler is not served by v1.34");
  expect(messages).toContain("fails baseline:v1.34 at the upgrade from v1.33 (enforce): pod-host-probes");
  expect(messages).toContain("is 4 minors behind v1.34");
  expect(d.every((x) => x.urn !== undefined)).toBe(true);
});

it("blocks when the platform team makes it mandatory", async () => {
  const d = await analyzeStack(policies, resources, {
    "upgrade-readiness": { enforcementLevel: "mandatory", targetVersion: "v1.34" },
  });
  expect(d.length).toBeGreaterThan(0);
  expect(new Set(d.map((x) => x.enforcementLevel))).toEqual(new Set(["mandatory"]));
});
