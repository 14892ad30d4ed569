/**
 * Palisade's manifest reader against kubectl's own decoder (scripts/yaml-oracle): for every
 * generated stream and every fixture in the repository, Palisade reads exactly the documents
 * kubectl reads, or refuses the file naming a line. `npm test` runs a sample; `npm run
 * test:yaml` runs YAML_DIFF_RUNS=50000. YAML_DIFF_SEED replays a run (random explores new streams).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import { manifestText } from "./generate";
import { BUILD_TIMEOUT_MS, ensureOracleBuilt, judge, ROOT, runOracle, type Verdict } from "./oracle";

const RUNS = Number(process.env["YAML_DIFF_RUNS"] ?? 2000);
// A fixed seed by default, so CI judges the same streams on every run; YAML_DIFF_SEED=random
// explores new ones (a disagreement prints its seed and index to replay).
const SEED_TEXT = process.env["YAML_DIFF_SEED"] ?? "20261201";
const SEED = SEED_TEXT === "random" ? Date.now() % 2 ** 31 : Number(SEED_TEXT);
/** Texts per oracle process: one spawn checks thousands. */
const BATCH = 5000;

interface Tally {
  agree: number;
  bothRefuse: number;
  palisadeRefuses: number;
  disagreements: string[];
}

function tally(texts: readonly string[], label: (i: number) => string): Tally {
  const t: Tally = { agree: 0, bothRefuse: 0, palisadeRefuses: 0, disagreements: [] };
  for (let start = 0; start < texts.length; start += BATCH) {
    const batch = texts.slice(start, start + BATCH);
    const answers = runOracle(batch);
    batch.forEach((text, j) => {
      const answer = answers[j] as (typeof answers)[number];
      // The fast path must hold too: judge with it (the default) and without it.
      const verdicts: [string, Verdict][] = [
        ["fast path on", judge(text, answer, true)],
        ["fast path off", judge(text, answer, false)],
      ];
      for (const [mode, v] of verdicts) {
        if (v.outcome === "disagree") {
          t.disagreements.push(`${label(start + j)} (${mode}): ${JSON.stringify(text)}\n${v.why}`);
          return;
        }
      }
      const v = verdicts[0]?.[1] as Verdict;
      if (v.outcome === "agree") t.agree++;
      else if (v.outcome === "refused" && v.kubectlRefuses) t.bothRefuse++;
      else t.palisadeRefuses++;
    });
  }
  return t;
}

function summary(what: string, n: number, t: Tally): string {
  return `${what}: ${n} inputs — ${t.agree} read identically, ${t.bothRefuse} refused by both, ${t.palisadeRefuses} refused by Palisade only, ${t.disagreements.length} disagreements`;
}

/** Every manifest-like file in the repository (fixtures, examples, stacks), outside dependencies. */
function repositoryFixtures(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.name === "node_modules" || e.name === ".git" || e.name === ".tools" || e.name === "dist") continue;
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isFile() && /\.(ya?ml|json)$/i.test(e.name) && fs.statSync(full).size < 4 * 1024 * 1024)
        out.push(full);
    }
  };
  for (const d of ["test/fixtures", "examples", "stacks", "docs"]) {
    const full = path.join(ROOT, d);
    if (fs.existsSync(full)) walk(full);
  }
  return out.sort();
}

describe("Palisade reads manifests as kubectl does (differential against its decoder)", () => {
  beforeAll(() => ensureOracleBuilt(), BUILD_TIMEOUT_MS);

  it(
    `agrees on ${RUNS} generated streams (merge keys, YAML 1.1 scalars, tags, anchors, empty documents, JSON streams, BOM, CRLF)`,
    () => {
      const texts = fc.sample(manifestText, { numRuns: RUNS, seed: SEED });
      const started = Date.now();
      const t = tally(texts, (i) => `seed ${SEED} #${i}`);
      console.log(`${summary(`generated (seed ${SEED})`, texts.length, t)}; ${Date.now() - started} ms`);
      expect(t.disagreements.slice(0, 5)).toEqual([]);
      // A reader that refuses everything would pass: most streams kubectl reads must be read.
      expect(t.agree).toBeGreaterThan(t.palisadeRefuses * 3);
    },
    30 * 60_000,
  );

  it("agrees on every YAML and JSON fixture in the repository", () => {
    const files = repositoryFixtures();
    const texts = files.map((f) => fs.readFileSync(f, "utf8"));
    const t = tally(texts, (i) => path.relative(ROOT, files[i] as string));
    console.log(summary("repository fixtures", files.length, t));
    expect(files.length).toBeGreaterThan(50);
    expect(t.disagreements).toEqual([]);
  });
});
