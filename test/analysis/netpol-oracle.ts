/**
 * The independent NetworkPolicy implementation the reach analysis is compared with: cyclonus's
 * matcher behind scripts/netpol-oracle, built into .tools/netpol-oracle by
 * scripts/setup-netpol-oracle (run here when the binary is missing or stale, so a clean clone's
 * tests work; the first build downloads modules for about three minutes).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");
const SETUP = path.join(ROOT, "scripts", "setup-netpol-oracle");
export const ORACLE_BIN = path.join(ROOT, ".tools", "netpol-oracle", "netpol-oracle");
const BUILD_TIMEOUT_MS = 15 * 60 * 1000;

export function ensureOracleBuilt(): void {
  const check = spawnSync(SETUP, ["--check"], { encoding: "utf8" });
  if (check.status === 0) return;
  process.stderr.write("[netpol-oracle] missing or stale: running scripts/setup-netpol-oracle\n");
  const build = spawnSync(SETUP, [], { stdio: ["ignore", "inherit", "inherit"], timeout: BUILD_TIMEOUT_MS });
  if (build.status !== 0 || !fs.existsSync(ORACLE_BIN))
    throw new Error(
      `scripts/setup-netpol-oracle failed (exit ${build.status ?? build.signal}); run it by hand to see why`,
    );
}

export interface OraclePeer {
  readonly pod?: string;
  readonly ip?: string;
}

export interface OracleQuery {
  readonly src: OraclePeer;
  readonly dst: OraclePeer;
  readonly port: number;
  readonly protocol: "TCP" | "UDP" | "SCTP";
}

export interface OracleInput {
  readonly namespaces: readonly { name: string; labels: Record<string, string> }[];
  readonly pods: readonly {
    namespace: string;
    name: string;
    labels: Record<string, string>;
    ip: string;
    hostNetwork: boolean;
    ports: readonly { name: string; port: number; protocol: string }[];
  }[];
  readonly policies: readonly unknown[];
  readonly queries: readonly OracleQuery[];
}

export interface OracleAnswer {
  readonly allowed: boolean;
  readonly ingress: boolean;
  readonly egress: boolean;
}

export function askOracle(input: OracleInput): OracleAnswer[] {
  const run = spawnSync(ORACLE_BIN, [], { input: JSON.stringify(input), encoding: "utf8", maxBuffer: 256 << 20 });
  if (run.status !== 0) throw new Error(`netpol-oracle failed (exit ${run.status ?? run.signal}): ${run.stderr}`);
  const out = JSON.parse(run.stdout) as { answers: OracleAnswer[] };
  if (out.answers.length !== input.queries.length)
    throw new Error(`netpol-oracle answered ${out.answers.length} of ${input.queries.length} queries`);
  return out.answers;
}
