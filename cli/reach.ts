/**
 * `palisade reach`: the connectivity the NetworkPolicies of a set of manifests imply, as a matrix
 * for people, JSON for machines, a Mermaid picture for reviews, and `--explain SRC DST[:PORT]`
 * for one connection with the rules that allow it. The analysis is policypack/analysis/network;
 * this file only loads, resolves names and prints. See docs/reach.md.
 */
import { describeSelector } from "../policypack/controls/network/selectors";
import {
  addressEndpoint,
  buildReachModel,
  decide,
  connection,
  describePorts,
  formatAddress,
  isAll,
  isEmpty,
  reachability,
  ReachInputError,
  PROTOCOLS,
  type ConnectionReach,
  type DirectionReach,
  type Endpoint,
  type PortSet,
  type Protocol,
  type ReachModel,
  type RuleMatch,
  type Verdict,
  type CompiledPeer,
} from "../policypack/analysis/network";
import { oneOf, parseArgs, UsageError } from "./args";
import { EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, readConfigOption, type Io } from "./check";
import { DEFAULT_MAX_FILE_BYTES, loadForAnalysis, maxFileBytesOption, namespaceOption } from "./load";

export const REACH_USAGE = `Usage: palisade reach [PATH…] [options]

Computes which workloads can reach which, and what outside, under the NetworkPolicies of a set
of manifests (files, directories searched for *.yaml, *.yml, *.json, or - for standard input).
Endpoints: every workload's pods, the cluster DNS, the internet, each CIDR a policy names, the
cloud metadata address (169.254.169.254).

Options:
  --format text|json|mermaid      output format (default: text)
  --explain SRC DST[:PORT[/PROTO]]
                                  why SRC may or may not reach DST: the rules on each side.
                                  SRC/DST: namespace/name, internet, metadata, dns, cidr:…, or an
                                  address; PORT: a number or the destination's port name
                                  (default: every port); PROTO: TCP (default), UDP or SCTP.
                                  Exit 0 when allowed, 1 when not.
  --pod-cidr CIDR[,CIDR…]         where pod addresses may lie (default: every private range)
  --node-cidr CIDR[,CIDR…]        where node addresses (hostNetwork pods) may lie (same default)
  --stand-in-pods                 give every declared namespace without workloads one stand-in pod
                                  group labelled as its tenant's pods (palisade.dev/tenant)
  --config FILE                   the palisade config file (defaultNamespace, podTemplatePaths)
  --namespace NS                  namespace of objects that set none (default: the config's,
                                  else "default"): where \`kubectl apply -n NS\` puts them
  --max-file-size BYTES           refuse larger files (default: ${DEFAULT_MAX_FILE_BYTES})

Exit status: 0 done, 1 --explain found the connection not allowed, 2 usage or input error.
`;

interface Explain {
  readonly src: string;
  readonly dst: string;
}

/** `--explain` takes two words; the shared parser takes one value per flag, so they are cut out first. */
function takeExplain(argv: readonly string[]): { rest: string[]; explain: Explain | undefined } {
  const i = argv.findIndex((a) => a === "--explain");
  if (i < 0) return { rest: [...argv], explain: undefined };
  const src = argv[i + 1];
  const dst = argv[i + 2];
  if (src === undefined || dst === undefined || src.startsWith("--") || dst.startsWith("--"))
    throw new UsageError("--explain needs SRC and DST[:PORT], e.g. --explain shop/web shop/db:5432");
  return { rest: [...argv.slice(0, i), ...argv.slice(i + 3)], explain: { src, dst } };
}

function cidrList(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

export async function runReach(argv: readonly string[], io: Io): Promise<number> {
  const { rest, explain } = takeExplain(argv);
  const args = parseArgs(rest, {
    values: ["--format", "--pod-cidr", "--node-cidr", "--max-file-size", "--config", "--namespace"],
    switches: ["--help", "-h", "--stand-in-pods"],
  });
  if (args.switches.has("--help") || args.switches.has("-h")) {
    io.stdout(REACH_USAGE);
    return EXIT_OK;
  }
  const format = oneOf("--format", args.values.get("--format"), ["text", "json", "mermaid"] as const, "text");
  const maxFileBytes = maxFileBytesOption(args.values.get("--max-file-size"));
  if (args.positional.length === 0) throw new UsageError("no input: give files, directories, or - for standard input");
  if (explain !== undefined && format === "mermaid") throw new UsageError("--explain prints text or json, not mermaid");
  const namespaceFlag = namespaceOption("--namespace", args.values.get("--namespace"));
  let config = readConfigOption(args.values.get("--config"), io);
  if (config === undefined) return EXIT_INPUT;
  if (namespaceFlag !== undefined) config = { ...config, defaultNamespace: namespaceFlag };

  const input = await loadForAnalysis(args.positional, {
    maxFileBytes,
    readStdin: io.readStdin,
    podTemplatePaths: config.podTemplatePaths,
    shapeChecked: (item, pod) => item.kind === "NetworkPolicy" || item.kind === "Namespace" || pod !== undefined,
  });
  const { objects, errors } = input;
  let model: ReachModel;
  try {
    model = buildReachModel(objects, {
      podCidrs: cidrList(args.values.get("--pod-cidr")),
      nodeCidrs: cidrList(args.values.get("--node-cidr")),
      standInPods: args.switches.has("--stand-in-pods"),
      stack: { defaultNamespace: config.defaultNamespace, podTemplatePaths: config.podTemplatePaths },
    });
  } catch (err) {
    if (err instanceof ReachInputError) throw new UsageError(err.message.replace(/^(pod|node)Cidrs/, "--$1-cidr"));
    throw err;
  }
  // A policy the API server would refuse is an input error: named by file, object and field.
  for (const p of model.problems) {
    errors.push(`${input.where(p.object)}: NetworkPolicy ${p.policy}: ${p.path}: ${p.message}`);
  }
  let code: number = EXIT_OK;
  if (explain !== undefined) code = runExplain(model, explain, format === "json" ? "json" : "text", io);
  else if (format === "json") io.stdout(`${JSON.stringify(reachJson(model, reachability(model)), null, 2)}\n`);
  else if (format === "mermaid") io.stdout(reachMermaid(model, reachability(model)));
  else io.stdout(reachText(model, reachability(model)));
  for (const e of errors) io.stderr(`palisade: ${e}\n`);
  return errors.length > 0 ? EXIT_INPUT : code;
}

// ---------------------------------------------------------------- naming endpoints

const ALIASES: Readonly<Record<string, string>> = { dns: "kube-system/kube-dns" };

function findEndpoint(model: ReachModel, text: string): Endpoint | undefined {
  const wanted = ALIASES[text] ?? text;
  const exact = model.endpoints.find((e) => e.id === wanted);
  if (exact !== undefined) return exact;
  // `ns/name` when ids carry the kind because two workloads share the name: unique matches only.
  const [ns, name] = wanted.split("/");
  if (name !== undefined && !wanted.includes("/", ns!.length + 1)) {
    const hits = model.endpoints.filter((e) => e.kind === "pods" && e.namespace === ns && e.name === name);
    if (hits.length === 1) return hits[0];
    if (hits.length > 1)
      throw new UsageError(`${JSON.stringify(text)} is ambiguous: ${hits.map((h) => h.id).join(", ")}`);
  }
  return addressEndpoint(wanted.replace(/^\[(.*)\]$/, "$1"));
}

interface Target {
  readonly endpoint: Endpoint;
  readonly port?: number;
  readonly protocol?: Protocol;
}

function parseTarget(model: ReachModel, text: string): Target {
  const whole = findEndpoint(model, text);
  if (whole !== undefined) return { endpoint: whole };
  const colon = text.lastIndexOf(":");
  const endpoint = colon > 0 ? findEndpoint(model, text.slice(0, colon)) : undefined;
  if (endpoint === undefined) throw new UsageError(`no endpoint ${JSON.stringify(text)} (${endpointHint(model)})`);
  const [portText = "", protoText] = text.slice(colon + 1).split("/");
  let protocol: Protocol | undefined;
  if (protoText !== undefined) {
    const p = protoText.toUpperCase();
    if (!(PROTOCOLS as readonly string[]).includes(p))
      throw new UsageError(`protocol ${JSON.stringify(protoText)} is not TCP, UDP or SCTP`);
    protocol = p as Protocol;
  }
  if (/^\d+$/.test(portText)) {
    const port = Number(portText);
    if (port < 1 || port > 65535) throw new UsageError(`port ${portText} is not between 1 and 65535`);
    return { endpoint, port, protocol: protocol ?? "TCP" };
  }
  // A port name: the destination's container port of that name (and protocol, when given).
  const named =
    endpoint.kind === "pods"
      ? endpoint.ports.filter((p) => p.name === portText && (protocol === undefined || p.protocol === protocol))
      : [];
  if (named.length === 0)
    throw new UsageError(`${endpoint.id} has no container port named ${JSON.stringify(portText)}`);
  return { endpoint, port: named[0]!.port, protocol: named[0]!.protocol };
}

function endpointHint(model: ReachModel): string {
  const ids = model.endpoints.map((e) => e.id);
  return `known: ${ids.slice(0, 8).join(", ")}${ids.length > 8 ? ", …" : ""}; or an IP address`;
}

// ---------------------------------------------------------------- explain

function describePeer(peer: CompiledPeer | undefined): string {
  if (peer === undefined) return "every peer (no from/to)";
  switch (peer.kind) {
    case "pods": {
      const pods = peer.pods === "all" ? "every pod" : `pods ${describeSelector(peer.pods)}`;
      const ns =
        peer.namespaces === "policy"
          ? "of the policy's namespace"
          : `in namespaces ${describeSelector(peer.namespaces)}`;
      return `${pods} ${ns}`;
    }
    case "ipBlock":
      return `ipBlock ${peer.cidr.text}${peer.except.length > 0 ? ` except ${peer.except.map((e) => e.text).join(", ")}` : ""}`;
    case "invalid":
      return "an invalid peer";
  }
}

function matchLine(m: RuleMatch): string {
  const where = m.peer === undefined ? m.rule.path : m.peer.path;
  const maybe = m.certainty === "maybe" ? " — only if the pod's address falls in the block" : "";
  return `${m.rule.policy.name} ${where}: ${describePeer(m.peer)}, ports ${describePorts(m.ports)}${maybe}`;
}

function sideText(side: string, d: DirectionReach, rules: readonly RuleMatch[], verdict: Verdict): string[] {
  if (d.open !== undefined) {
    const why = {
      outside: "outside the cluster: no NetworkPolicy applies",
      hostNetwork: "a hostNetwork pod: NetworkPolicy does not apply to it",
      unselected: `no NetworkPolicy selects it for ${d.direction}`,
    }[d.open];
    return [`  ${side}: open (${why})`];
  }
  const by = d.isolatedBy.map((p) => p.name).join(", ");
  if (rules.length === 0)
    return [
      `  ${side}: ${verdict === "denied" ? "denied" : verdict}: isolated by ${by}, and no rule of theirs allows it`,
    ];
  return [`  ${side}: ${verdict} by`, ...rules.map((m) => `    ${matchLine(m)}`)];
}

function runExplain(model: ReachModel, explain: Explain, format: "text" | "json", io: Io): number {
  const src = parseTarget(model, explain.src);
  if (src.port !== undefined) throw new UsageError(`SRC takes no port (got ${JSON.stringify(explain.src)})`);
  const dst = parseTarget(model, explain.dst);
  if (src.endpoint.kind === "outside" && dst.endpoint.kind === "outside")
    throw new UsageError("both ends are outside the cluster: NetworkPolicy says nothing about that");
  const header = `${src.endpoint.id} → ${dst.endpoint.id}`;
  if (dst.port === undefined) {
    const c = connection(model, src.endpoint, dst.endpoint);
    if (format === "json") io.stdout(`${JSON.stringify(connectionJson(c, true), null, 2)}\n`);
    else {
      const lines = [
        `${header}: ${isEmpty(c.sure) && isEmpty(c.maybe) ? "nothing allowed" : `allowed ${describePorts(c.sure)}`}`,
      ];
      if (!isEmpty(c.maybe))
        lines.push(`  maybe (ipBlock that could hold the pod's address): ${describePorts(c.maybe)}`);
      lines.push(
        ...sideText(
          `egress of ${src.endpoint.id}`,
          c.egress,
          c.egress.matches,
          c.egress.open ? "allowed" : isEmpty(c.egress.sure) ? "denied" : "allowed",
        ),
      );
      lines.push(
        ...sideText(
          `ingress of ${dst.endpoint.id}`,
          c.ingress,
          c.ingress.matches,
          c.ingress.open ? "allowed" : isEmpty(c.ingress.sure) ? "denied" : "allowed",
        ),
      );
      io.stdout(`${lines.join("\n")}\n`);
    }
    return isEmpty(c.sure) ? EXIT_FINDINGS : EXIT_OK;
  }
  const protocol = dst.protocol ?? "TCP";
  const d = decide(model, src.endpoint, dst.endpoint, dst.port, protocol);
  if (format === "json") {
    io.stdout(
      `${JSON.stringify(
        {
          from: src.endpoint.id,
          to: dst.endpoint.id,
          port: dst.port,
          protocol,
          verdict: d.verdict,
          egress: sideJson(d.connection.egress, d.egress, d.egressRules),
          ingress: sideJson(d.connection.ingress, d.ingress, d.ingressRules),
        },
        null,
        2,
      )}\n`,
    );
  } else {
    io.stdout(
      [
        `${header} ${protocol} ${dst.port}: ${d.verdict}`,
        ...sideText(`egress of ${src.endpoint.id}`, d.connection.egress, d.egressRules, d.egress),
        ...sideText(`ingress of ${dst.endpoint.id}`, d.connection.ingress, d.ingressRules, d.ingress),
      ].join("\n") + "\n",
    );
  }
  return d.verdict === "allowed" ? EXIT_OK : EXIT_FINDINGS;
}

// ---------------------------------------------------------------- JSON

type PortsJson = "all" | Partial<Record<Protocol, string[]>>;

function portsJson(set: PortSet): PortsJson {
  if (isAll(set)) return "all";
  const out: Partial<Record<Protocol, string[]>> = {};
  for (const p of PROTOCOLS) if (set[p].length > 0) out[p] = set[p].map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`));
  return out;
}

function ruleJson(m: RuleMatch): Record<string, unknown> {
  return {
    policy: m.rule.policy.name,
    path: m.peer?.path ?? m.rule.path,
    peer: describePeer(m.peer),
    ports: portsJson(m.ports),
    certainty: m.certainty,
  };
}

function sideJson(d: DirectionReach, verdict: Verdict, rules: readonly RuleMatch[]): Record<string, unknown> {
  return {
    verdict,
    open: d.open ?? null,
    isolatedBy: d.isolatedBy.map((p) => p.name),
    rules: rules.map(ruleJson),
  };
}

function connectionJson(c: ConnectionReach, withRules: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { from: c.src.id, to: c.dst.id, ports: portsJson(c.sure) };
  if (!isEmpty(c.maybe)) out["maybe"] = portsJson(c.maybe);
  if (withRules) {
    out["egress"] = sideJson(
      c.egress,
      c.egress.open ? "allowed" : isEmpty(c.egress.sure) ? "denied" : "allowed",
      c.egress.matches,
    );
    out["ingress"] = sideJson(
      c.ingress,
      c.ingress.open ? "allowed" : isEmpty(c.ingress.sure) ? "denied" : "allowed",
      c.ingress.matches,
    );
  }
  return out;
}

function endpointJson(e: Endpoint): Record<string, unknown> {
  if (e.kind === "outside")
    return {
      id: e.id,
      kind: "outside",
      class: e.class,
      ...(e.cidr ? { cidr: e.cidr } : {}),
      address: formatAddress(e.address),
    };
  return {
    id: e.id,
    kind: "pods",
    namespace: e.namespace,
    name: e.name,
    workloadKind: e.workloadKind,
    labels: e.labels,
    ports: e.ports,
    hostNetwork: e.hostNetwork,
    ...(e.addresses.length > 0 ? { addresses: e.addresses.map(formatAddress) } : {}),
    ...(e.synthetic ? { synthetic: true } : {}),
  };
}

export function reachJson(model: ReachModel, connections: readonly ConnectionReach[]): Record<string, unknown> {
  return {
    podCidrs: model.podCidrs.map((c) => c.text),
    nodeCidrs: model.nodeCidrs.map((c) => c.text),
    namespaces: [...model.namespaces.values()],
    endpoints: model.endpoints.map(endpointJson),
    connections: connections.map((c) => connectionJson(c, false)),
    problems: model.problems,
  };
}

// ---------------------------------------------------------------- text

const TEXT_MATRIX_LIMIT = 60;

function cell(c: ConnectionReach | undefined): string {
  if (c === undefined) return ".";
  if (isEmpty(c.sure)) return "?";
  return isAll(c.sure) ? "A" : "p";
}

export function reachText(model: ReachModel, connections: readonly ConnectionReach[]): string {
  const eps = model.endpoints;
  const pods = eps.filter((e) => e.kind === "pods").length;
  const lines = [
    `Reachability under NetworkPolicy (networking.k8s.io/v1): ${pods} pod groups, ${eps.length - pods} outside endpoints, ${connections.length} allowed connections`,
    "",
  ];
  const byPair = new Map<string, ConnectionReach>();
  for (const c of connections) byPair.set(`${c.src.id}\u0000${c.dst.id}`, c);
  if (eps.length <= TEXT_MATRIX_LIMIT) {
    const w = Math.max(...eps.map((e) => e.id.length));
    const num = String(eps.length).length;
    lines.push(
      `${"".padEnd(num + 1)}${"from \\ to".padEnd(w)}  ${eps.map((_, i) => String(i + 1).padStart(num)).join(" ")}`,
    );
    eps.forEach((src, i) => {
      const cells = eps.map((dst) =>
        (src.kind === "outside" && dst.kind === "outside"
          ? " "
          : cell(byPair.get(`${src.id}\u0000${dst.id}`))
        ).padStart(num),
      );
      lines.push(`${String(i + 1).padStart(num)} ${src.id.padEnd(w)}  ${cells.join(" ")}`);
    });
    lines.push(
      "",
      "A every port   p some ports (below)   ? only through an ipBlock that may hold the pod's address   . nothing",
    );
  }
  const partial = eps.length <= TEXT_MATRIX_LIMIT ? connections.filter((c) => !isAll(c.sure)) : connections;
  if (partial.length > 0) {
    lines.push("", eps.length <= TEXT_MATRIX_LIMIT ? "Some ports:" : "Allowed connections:");
    for (const c of partial) {
      const maybe = isEmpty(c.maybe) ? "" : `  (maybe ${describePorts(c.maybe)})`;
      lines.push(`  ${c.src.id} → ${c.dst.id}: ${isEmpty(c.sure) ? "none for sure" : describePorts(c.sure)}${maybe}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

// ---------------------------------------------------------------- Mermaid

function mermaidLabel(text: string): string {
  return text.replace(/"/g, "#quot;");
}

export function reachMermaid(model: ReachModel, connections: readonly ConnectionReach[]): string {
  const ids = new Map<Endpoint, string>();
  model.endpoints.forEach((e, i) => ids.set(e, `e${i}`));
  const lines = ["flowchart LR"];
  const groups = new Map<string, Endpoint[]>();
  for (const e of model.endpoints) {
    const g = e.kind === "pods" ? `ns: ${e.namespace}` : "outside";
    groups.set(g, [...(groups.get(g) ?? []), e]);
  }
  let n = 0;
  for (const [g, members] of groups) {
    lines.push(`  subgraph g${n++}["${mermaidLabel(g)}"]`);
    for (const e of members) {
      const label =
        e.kind === "outside" ? e.id : e.synthetic ? `${e.name.replace(/^\((.*)\)$/, "$1")} (stand-in)` : e.name;
      lines.push(
        e.kind === "pods"
          ? `    ${ids.get(e)}["${mermaidLabel(label)}"]`
          : `    ${ids.get(e)}(("${mermaidLabel(label)}"))`,
      );
    }
    lines.push("  end");
  }
  for (const c of connections) {
    const sure = !isEmpty(c.sure);
    const maybe = isEmpty(c.maybe) ? "" : `maybe ${describePorts(c.maybe)}`;
    const label = sure ? describePorts(c.sure) + (maybe === "" ? "" : ` (${maybe})`) : maybe;
    lines.push(`  ${ids.get(c.src)} ${sure ? "-->" : "-.->"}|"${mermaidLabel(label)}"| ${ids.get(c.dst)}`);
  }
  return `${lines.join("\n")}\n`;
}
