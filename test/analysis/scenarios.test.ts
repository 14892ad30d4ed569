/**
 * The upstream network-policy e2e scenarios (test/fixtures/netpol-scenarios), each checked
 * against its hand-written truth table, by the reach analysis and by the cyclonus oracle.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { buildReachModel, decide, type Protocol } from "../../policypack/analysis/network";
import type { KubeObject } from "../../policypack/engine/types";
import { askOracle, ensureOracleBuilt, type OracleInput } from "./netpol-oracle";

const DIR = path.join(__dirname, "..", "fixtures", "netpol-scenarios");
const NAMESPACES = ["x", "y", "z"];
const PODS = ["a", "b", "c"];
const IDS = NAMESPACES.flatMap((ns) => PODS.map((p) => `${ns}/${p}`));

interface Rule {
  from: string;
  to: string;
  allowed: boolean;
}
interface Table {
  default: boolean;
  rules?: Rule[];
}
interface Scenario {
  description: string;
  oracle?: string;
  probes?: string[];
  policies: { metadata: Record<string, unknown>; spec: Record<string, unknown> }[];
  expect: Table | Record<string, Table>;
}

const PORTS = [80, 81].flatMap((port) =>
  (["TCP", "UDP", "SCTP"] as const).map((protocol) => ({
    name: `serve-${port}-${protocol.toLowerCase()}`,
    port,
    protocol,
  })),
);
const address = (ns: string, pod: string): string => `10.${NAMESPACES.indexOf(ns) + 1}.${PODS.indexOf(pod) + 1}.1`;

function world(s: Scenario): KubeObject[] {
  return [
    ...NAMESPACES.map((ns) => ({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns, labels: { ns } } })),
    ...NAMESPACES.flatMap((ns) =>
      PODS.map((pod) => ({
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: pod, namespace: ns, labels: { pod } },
        spec: {
          containers: [
            {
              name: "agnhost",
              image: "agnhost",
              ports: PORTS.map((p) => ({ name: p.name, containerPort: p.port, protocol: p.protocol })),
            },
          ],
        },
        status: { podIP: address(ns, pod) },
      })),
    ),
    ...s.policies.map((p) => ({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", ...p })),
  ];
}

const matches = (pattern: string, id: string): boolean =>
  pattern === "*" || pattern === id || (pattern.endsWith("/*") && id.startsWith(pattern.slice(0, -1)));

function expected(t: Table, from: string, to: string): boolean {
  let allowed = t.default;
  for (const r of t.rules ?? []) if (matches(r.from, from) && matches(r.to, to)) allowed = r.allowed;
  return allowed;
}

function render(cell: (from: string, to: string) => boolean): string {
  return [
    `from\\to ${IDS.join(" ")}`,
    ...IDS.map((f) => `${f.padEnd(7)} ${IDS.map((t) => (cell(f, t) ? "X" : ".").padEnd(3)).join(" ")}`),
  ].join("\n");
}

const files = fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith(".yaml"))
  .sort();

beforeAll(() => ensureOracleBuilt(), 15 * 60 * 1000);

test("there are scenarios", () => expect(files.length).toBeGreaterThanOrEqual(20));

describe.each(files)("%s", (file) => {
  const s = parse(fs.readFileSync(path.join(DIR, file), "utf8")) as Scenario;
  const probes = s.probes ?? ["TCP/80"];
  const tableFor = (probe: string): Table =>
    "default" in s.expect ? (s.expect as Table) : ((s.expect as Record<string, Table>)[probe] as Table);
  const objects = world(s);
  const model = buildReachModel(objects, { clusterDns: false, outside: false });
  const byId = new Map(model.endpoints.map((e) => [e.id, e]));

  test.each(probes)("analysis matches the truth table on %s", (probe) => {
    const [protocol, port] = probe.split("/") as [Protocol, string];
    const ours = (f: string, t: string): boolean =>
      decide(model, byId.get(f)!, byId.get(t)!, Number(port), protocol).verdict === "allowed";
    const want = (f: string, t: string): boolean => expected(tableFor(probe), f, t);
    expect(render(ours)).toBe(render(want));
  });

  // `oracle: skip` marks a scenario where cyclonus is known to differ from Kubernetes (the reason
  // is in the fixture). The difference itself is asserted, so the day cyclonus is fixed this test
  // says so and the exception can go, instead of a skipped test hiding it.
  const oracleAgrees = s.oracle !== "skip";
  test.each(probes)(`cyclonus ${oracleAgrees ? "matches" : "differs from"} the truth table on %s`, (probe) => {
    const [protocol, port] = probe.split("/") as [Protocol, string];
    const input: OracleInput = {
      namespaces: NAMESPACES.map((ns) => ({ name: ns, labels: { ns } })),
      pods: NAMESPACES.flatMap((ns) =>
        PODS.map((pod) => ({
          namespace: ns,
          name: pod,
          labels: { pod },
          ip: address(ns, pod),
          hostNetwork: false,
          ports: PORTS,
        })),
      ),
      policies: objects.filter((o) => o.kind === "NetworkPolicy"),
      queries: IDS.flatMap((f) => IDS.map((t) => ({ src: { pod: f }, dst: { pod: t }, port: Number(port), protocol }))),
    };
    const answers = askOracle(input);
    const theirs = (f: string, t: string): boolean => answers[IDS.indexOf(f) * IDS.length + IDS.indexOf(t)]!.allowed;
    const want = render((f, t) => expected(tableFor(probe), f, t));
    if (oracleAgrees) expect(render(theirs)).toBe(want);
    else expect(render(theirs)).not.toBe(want);
  });
});
