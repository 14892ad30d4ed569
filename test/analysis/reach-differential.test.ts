/**
 * A sample of the differential against cyclonus's matcher (about 1,000 queries). The full run,
 * ≥ 10,000 queries over more worlds, is test/cluster/reach-differential.test.ts.
 */
import { ensureOracleBuilt } from "./netpol-oracle";
import { runDifferential } from "./differential";

beforeAll(() => ensureOracleBuilt(), 15 * 60 * 1000);

test("reach agrees with cyclonus on 1,000 generated queries", () => {
  const seeds = Array.from({ length: 20 }, (_, i) => 1000 + i);
  const run = runDifferential(seeds, 50);
  expect(run.queries).toBe(1000);
  // Both answers must occur, or the sample says nothing.
  expect(run.allowed).toBeGreaterThan(100);
  expect(run.allowed).toBeLessThan(900);
  expect(run.disagreements.slice(0, 5)).toEqual([]);
});
