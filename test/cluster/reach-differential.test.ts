/**
 * The full differential of `palisade reach` against an independent NetworkPolicy implementation
 * (cyclonus v0.5.6's matcher, scripts/netpol-oracle): 250 generated worlds × 60 queries =
 * 15,000 (source, destination, port, protocol) queries, each compared on the verdict and on
 * both directions. Zero disagreements expected. The unit project runs a 1,000-query sample
 * (test/analysis/reach-differential.test.ts). It lives with the cluster suites because it needs
 * a Go-built tool, not because it needs a cluster.
 */
import { ensureOracleBuilt } from "../analysis/netpol-oracle";
import { runDifferential } from "../analysis/differential";

beforeAll(() => ensureOracleBuilt(), 15 * 60 * 1000);

test("reach agrees with cyclonus on 15,000 generated queries", () => {
  const seeds = Array.from({ length: 250 }, (_, i) => 20_000 + i);
  const started = Date.now();
  const run = runDifferential(seeds, 60);
  process.stdout.write(
    `[reach-differential] ${run.queries} queries (${run.allowed} allowed by the oracle), ${run.disagreements.length} disagreements, ${Date.now() - started} ms\n`,
  );
  expect(run.queries).toBeGreaterThanOrEqual(10_000);
  expect(run.disagreements.slice(0, 10)).toEqual([]);
});
