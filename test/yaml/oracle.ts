/**
 * The differential oracle: kubectl's own YAML/JSON stream decoder (scripts/yaml-oracle, built by
 * scripts/setup-yaml-oracle into .tools/), and the judgement that holds Palisade's reader to it:
 * for every input Palisade reads exactly the documents the oracle gives, or refuses the file
 * with an error naming a line. Never a third outcome.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { parseDocuments, type ParseError } from "../../policypack/engine/parse";

export const ROOT = path.resolve(__dirname, "..", "..");
export const SETUP_SCRIPT = path.join(ROOT, "scripts", "setup-yaml-oracle");
export const ORACLE_BIN = path.join(ROOT, ".tools", "yaml-oracle", "yaml-oracle");
/** A cold build downloads apimachinery from the Go module proxy and compiles it. */
export const BUILD_TIMEOUT_MS = 10 * 60_000;

/** Builds the oracle when it is missing or stale (the script's stamp decides). */
export function ensureOracleBuilt(): void {
  const check = spawnSync(SETUP_SCRIPT, ["--check"], { encoding: "utf8" });
  if (check.status === 0) return;
  process.stderr.write("[yaml-oracle] missing or stale: running scripts/setup-yaml-oracle\n");
  const build = spawnSync(SETUP_SCRIPT, [], { stdio: ["ignore", "inherit", "inherit"], timeout: BUILD_TIMEOUT_MS });
  if (build.status !== 0)
    throw new Error(
      `scripts/setup-yaml-oracle failed (exit ${build.status ?? build.signal}); run it by hand to see why`,
    );
}

export type OracleAnswer = { readonly docs: unknown[] } | { readonly error: string };

/** kubectl's reading of each text, all in one oracle process. */
export function runOracle(texts: readonly string[]): OracleAnswer[] {
  const parts: Buffer[] = [];
  for (const t of texts) {
    const b = Buffer.from(t, "utf8");
    parts.push(Buffer.from(`${b.length}\n`), b);
  }
  const res = spawnSync(ORACLE_BIN, [], { input: Buffer.concat(parts), maxBuffer: 1 << 30 });
  if (res.status !== 0) throw new Error(`yaml-oracle failed (exit ${res.status ?? res.signal}): ${String(res.stderr)}`);
  const lines = res.stdout.toString("utf8").split("\n");
  lines.pop();
  if (lines.length !== texts.length) throw new Error(`yaml-oracle answered ${lines.length} of ${texts.length} inputs`);
  return lines.map((l) => {
    const r = JSON.parse(l) as { docs: unknown[] | null; error?: string };
    return r.error !== undefined ? { error: r.error } : { docs: r.docs ?? [] };
  });
}

/** Deep equality of JSON values; numbers by value (a JS number is what both sides become). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (typeof a === "number" && typeof b === "number") return a === b;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return a === b;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => sameJson(x, bb[i]));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  const rb = b as Record<string, unknown>;
  return ka.every(
    (k) => Object.prototype.hasOwnProperty.call(rb, k) && sameJson((a as Record<string, unknown>)[k], rb[k]),
  );
}

export type Verdict =
  | { readonly outcome: "agree"; readonly docs: number }
  | { readonly outcome: "refused"; readonly errors: readonly ParseError[]; readonly kubectlRefuses: boolean }
  | { readonly outcome: "disagree"; readonly why: string };

/**
 * Palisade against the oracle on one text: the same documents, or a refusal whose every error
 * names a line and says something. (Both refusing is agreement: the file is an input error.)
 */
export function judge(text: string, oracle: OracleAnswer, fast: boolean): Verdict {
  const { documents, errors } = parseDocuments(text, "gen.yaml", { fast });
  if (errors.length > 0) {
    const bad = errors.find((e) => e.line < 1 || e.message.trim() === "");
    if (bad !== undefined)
      return { outcome: "disagree", why: `refusal without a line or message: ${JSON.stringify(bad)}` };
    return { outcome: "refused", errors, kubectlRefuses: "error" in oracle };
  }
  if ("error" in oracle)
    return {
      outcome: "disagree",
      why: `kubectl refuses (${oracle.error}) but Palisade read ${documents.length} document(s)`,
    };
  const mine = documents.map((d) => d.value);
  if (mine.length !== oracle.docs.length || !mine.every((v, i) => sameJson(v, oracle.docs[i])))
    return {
      outcome: "disagree",
      why: `kubectl reads ${JSON.stringify(oracle.docs)}\nPalisade reads ${JSON.stringify(mine)}`,
    };
  return { outcome: "agree", docs: mine.length };
}
