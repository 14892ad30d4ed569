/** One differential run: a generated world, answered by the reach analysis and by the oracle. */
import {
  addressEndpoint,
  buildReachModel,
  decide,
  type Endpoint,
  type Verdict,
} from "../../policypack/analysis/network";
import { askOracle, type OracleAnswer, type OraclePeer } from "./netpol-oracle";
import { generateWorld } from "./netpol-generate";

export interface Disagreement {
  readonly seed: number;
  readonly query: string;
  readonly ours: { allowed: Verdict; egress: Verdict; ingress: Verdict };
  readonly oracle: OracleAnswer;
}

export interface RunSummary {
  readonly queries: number;
  readonly allowed: number;
  readonly disagreements: Disagreement[];
}

export function runDifferential(seeds: readonly number[], queriesPerWorld: number): RunSummary {
  let queries = 0;
  let allowed = 0;
  const disagreements: Disagreement[] = [];
  for (const seed of seeds) {
    const world = generateWorld(seed, queriesPerWorld);
    const model = buildReachModel(world.objects, { clusterDns: false, outside: false });
    const byId = new Map(model.endpoints.map((e) => [e.id, e]));
    const endpoint = (p: OraclePeer): Endpoint => {
      const e = p.pod !== undefined ? byId.get(p.pod) : addressEndpoint(p.ip ?? "");
      if (e === undefined) throw new Error(`seed ${seed}: no endpoint for ${JSON.stringify(p)}`);
      return e;
    };
    const answers = askOracle(world.oracle);
    world.oracle.queries.forEach((q, i) => {
      const oracle = answers[i] as OracleAnswer;
      const d = decide(model, endpoint(q.src), endpoint(q.dst), q.port, q.protocol);
      queries++;
      if (oracle.allowed) allowed++;
      const same = (v: Verdict, b: boolean): boolean => v === (b ? "allowed" : "denied");
      if (!same(d.verdict, oracle.allowed) || !same(d.egress, oracle.egress) || !same(d.ingress, oracle.ingress))
        disagreements.push({
          seed,
          query: `${JSON.stringify(q.src)} -> ${JSON.stringify(q.dst)} ${q.protocol}/${q.port}`,
          ours: { allowed: d.verdict, egress: d.egress, ingress: d.ingress },
          oracle,
        });
    });
  }
  return { queries, allowed, disagreements };
}
