/**
 * `palisade access`: who can do what under the RBAC objects of a set of manifests, and who can
 * become whom. A summary for people (subjects × namespaces, escalation paths to
 * cluster-admin-equivalent), `--subject` for one subject's permissions with their chains,
 * `--who-can` and `--can-i` for one request, JSON for machines. The analysis is
 * policypack/analysis/access; this file only loads, parses names and prints. See docs/access.md.
 */
import {
  ACCESS_KINDS,
  buildAccessModel,
  buildEscalationGraph,
  CLUSTER_ADMIN,
  describeChain,
  parseSubjectKey,
  subjectKey,
  identityOf,
  type AccessDecision,
  type AccessModel,
  type EffectivePermission,
  type EscalationEdge,
  type EscalationGraph,
  type SubjectRef,
  type WhoCanQuery,
} from "../policypack/analysis/access";
import { oneOf, parseArgs, UsageError } from "./args";
import { EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, readConfigOption, type Io } from "./check";
import { DEFAULT_MAX_FILE_BYTES, loadForAnalysis, maxFileBytesOption, namespaceOption } from "./load";

export const ACCESS_USAGE = `Usage: palisade access [PATH…] [options]

Computes who can do what under the RBAC objects of a set of manifests (files, directories
searched for *.yaml, *.yml, *.json, or - for standard input), as the API server's RBAC
authorizer decides: RoleBindings, ClusterRoleBindings, aggregated ClusterRoles, and the roles
and bindings every API server creates at start-up. Subjects: every User, Group and
ServiceAccount the set names, the ServiceAccounts its pods run as, and the groups their tokens
carry (system:serviceaccounts, system:serviceaccounts:<ns>, system:authenticated).

Options:
  --subject KIND:NAME             one subject's permissions, each with its binding → role → rule,
                                  and whom it can become: User:alice, Group:devs,
                                  ServiceAccount:NAMESPACE/NAME
  --who-can VERB RESOURCE[/SUB]   which subjects may make this request (-n for a namespace,
                                  else a cluster-wide request). RESOURCE: plural, with its API
                                  group when not a well-known one: deployments.apps, pods/exec
  --can-i VERB RESOURCE[/SUB]     with --subject: may it? Exit 0 yes, 1 no
  -n, --namespace NS              the namespace of --who-can / --can-i
  --name NAME                     the object name of --who-can / --can-i (resourceNames)
  --no-bootstrap                  leave out the API server's bootstrap roles and bindings
  --config FILE                   the palisade config file: its defaultNamespace is where objects
                                  that set no namespace land (default: "default")
  --format text|json              output format (default: text)
  --max-file-size BYTES           refuse larger files (default: ${DEFAULT_MAX_FILE_BYTES})

Exit status: 0 done, 1 --can-i not allowed, 2 usage or input error.
`;

/** The kinds the analysis reads: their field types are checked like palisade check does. */
const READ_KINDS = new Set(ACCESS_KINDS);

/**
 * API groups of well-known resources, so `--who-can create deployments` needs no `.apps`
 * (kubectl reads the server's discovery; a manifest set has none).
 */
const KNOWN_GROUPS: Readonly<Record<string, string>> = {
  pods: "",
  services: "",
  secrets: "",
  configmaps: "",
  serviceaccounts: "",
  namespaces: "",
  nodes: "",
  persistentvolumes: "",
  persistentvolumeclaims: "",
  endpoints: "",
  events: "",
  replicationcontrollers: "",
  resourcequotas: "",
  limitranges: "",
  users: "",
  groups: "",
  deployments: "apps",
  replicasets: "apps",
  statefulsets: "apps",
  daemonsets: "apps",
  controllerrevisions: "apps",
  jobs: "batch",
  cronjobs: "batch",
  roles: "rbac.authorization.k8s.io",
  clusterroles: "rbac.authorization.k8s.io",
  rolebindings: "rbac.authorization.k8s.io",
  clusterrolebindings: "rbac.authorization.k8s.io",
  networkpolicies: "networking.k8s.io",
  ingresses: "networking.k8s.io",
  horizontalpodautoscalers: "autoscaling",
  poddisruptionbudgets: "policy",
  leases: "coordination.k8s.io",
  endpointslices: "discovery.k8s.io",
  customresourcedefinitions: "apiextensions.k8s.io",
  validatingwebhookconfigurations: "admissionregistration.k8s.io",
  mutatingwebhookconfigurations: "admissionregistration.k8s.io",
  validatingadmissionpolicies: "admissionregistration.k8s.io",
  validatingadmissionpolicybindings: "admissionregistration.k8s.io",
  certificatesigningrequests: "certificates.k8s.io",
  selfsubjectaccessreviews: "authorization.k8s.io",
  subjectaccessreviews: "authorization.k8s.io",
  tokenreviews: "authentication.k8s.io",
  storageclasses: "storage.k8s.io",
};

interface Query {
  readonly verb: string;
  readonly text: string;
}

/** A flag that takes two words (VERB RESOURCE); the shared parser takes one value per flag. */
function takePair(argv: readonly string[], flag: string): { rest: string[]; pair: Query | undefined } {
  const i = argv.findIndex((a) => a === flag);
  if (i < 0) return { rest: [...argv], pair: undefined };
  const verb = argv[i + 1];
  const text = argv[i + 2];
  if (verb === undefined || text === undefined || verb.startsWith("-") || text.startsWith("-"))
    throw new UsageError(`${flag} needs VERB and RESOURCE, e.g. ${flag} create deployments.apps`);
  return { rest: [...argv.slice(0, i), ...argv.slice(i + 3)], pair: { verb, text } };
}

/** `pods/exec`, `deployments.apps`, `deployments.apps/scale`, `*`. */
export function parseResource(text: string): { apiGroup: string; resource: string; subresource?: string } {
  const slash = text.indexOf("/");
  const head = slash < 0 ? text : text.slice(0, slash);
  const subresource = slash < 0 ? undefined : text.slice(slash + 1);
  if (head === "" || subresource === "" || subresource?.includes("/") === true)
    throw new UsageError(`resource ${JSON.stringify(text)} is not RESOURCE[.GROUP][/SUBRESOURCE]`);
  const dot = head.indexOf(".");
  const resource = dot < 0 ? head : head.slice(0, dot);
  let apiGroup = dot < 0 ? KNOWN_GROUPS[resource] : head.slice(dot + 1);
  if (apiGroup === undefined) {
    if (resource !== "*")
      throw new UsageError(
        `resource ${JSON.stringify(resource)}: say its API group (${resource}.GROUP); only well-known resources are looked up`,
      );
    apiGroup = "*";
  }
  return { apiGroup, resource, ...(subresource !== undefined ? { subresource } : {}) };
}

function parseSubject(text: string): SubjectRef {
  const s = parseSubjectKey(text);
  if (s === undefined)
    throw new UsageError(
      `--subject ${JSON.stringify(text)}: expected User:NAME, Group:NAME or ServiceAccount:NAMESPACE/NAME`,
    );
  return s;
}

export async function runAccess(argv: readonly string[], io: Io): Promise<number> {
  const who = takePair(argv, "--who-can");
  const canI = takePair(who.rest, "--can-i");
  const args = parseArgs(canI.rest, {
    values: ["--format", "--subject", "--namespace", "-n", "--name", "--max-file-size", "--config"],
    switches: ["--help", "-h", "--no-bootstrap"],
  });
  if (args.switches.has("--help") || args.switches.has("-h")) {
    io.stdout(ACCESS_USAGE);
    return EXIT_OK;
  }
  const format = oneOf("--format", args.values.get("--format"), ["text", "json"] as const, "text");
  const maxFileBytes = maxFileBytesOption(args.values.get("--max-file-size"));
  if (args.values.has("-n") && args.values.has("--namespace")) throw new UsageError("give -n or --namespace, not both");
  const namespace = namespaceOption(
    args.values.has("-n") ? "-n" : "--namespace",
    args.values.get("-n") ?? args.values.get("--namespace"),
  );
  const name = args.values.get("--name");
  const subjectFlag = args.values.get("--subject");
  const subject = subjectFlag === undefined ? undefined : parseSubject(subjectFlag);
  if (who.pair !== undefined && canI.pair !== undefined) throw new UsageError("give --who-can or --can-i, not both");
  if (canI.pair !== undefined && subject === undefined) throw new UsageError("--can-i needs --subject KIND:NAME");
  if (who.pair !== undefined && subject !== undefined) throw new UsageError("--who-can lists subjects: drop --subject");
  const pair = who.pair ?? canI.pair;
  if ((namespace !== undefined || name !== undefined) && pair === undefined)
    throw new UsageError("--namespace and --name go with --who-can or --can-i");
  const query: WhoCanQuery | undefined =
    pair === undefined
      ? undefined
      : {
          verb: pair.verb,
          ...parseResource(pair.text),
          ...(namespace !== undefined ? { namespace } : {}),
          ...(name !== undefined ? { name } : {}),
        };
  if (args.positional.length === 0) throw new UsageError("no input: give files, directories, or - for standard input");
  const config = readConfigOption(args.values.get("--config"), io);
  if (config === undefined) return EXIT_INPUT;

  const input = await loadForAnalysis(args.positional, {
    maxFileBytes,
    readStdin: io.readStdin,
    podTemplatePaths: config.podTemplatePaths,
    shapeChecked: (item, pod) => (typeof item.kind === "string" && READ_KINDS.has(item.kind)) || pod !== undefined,
  });
  if (input.errors.length > 0) {
    for (const e of input.errors) io.stderr(`palisade: ${e}\n`);
    return EXIT_INPUT;
  }
  const model = buildAccessModel(input.objects, {
    bootstrap: !args.switches.has("--no-bootstrap"),
    stack: { defaultNamespace: config.defaultNamespace, podTemplatePaths: config.podTemplatePaths },
  });
  let code: number = EXIT_OK;
  if (query !== undefined && canI.pair !== undefined && subject !== undefined) {
    const identity = identityOf(subject);
    const decision = model.can({ ...query, user: identity.user ?? "", groups: identity.groups });
    if (format === "json")
      io.stdout(`${JSON.stringify({ subject: subjectKey(subject), request: query, ...decision }, null, 2)}\n`);
    else io.stdout(canIText(subject, query, decision));
    code = decision.allowed ? EXIT_OK : EXIT_FINDINGS;
  } else if (query !== undefined) {
    const answers = model.whoCan(query);
    if (format === "json")
      io.stdout(
        `${JSON.stringify({ request: query, subjects: answers.map((a) => ({ subject: subjectKey(a.subject), ...a.decision })) }, null, 2)}\n`,
      );
    else io.stdout(whoCanText(query, answers));
  } else if (subject !== undefined) {
    const graph = buildEscalationGraph(model);
    if (format === "json") io.stdout(`${JSON.stringify(subjectJson(model, graph, subject), null, 2)}\n`);
    else io.stdout(subjectText(model, graph, subject));
  } else {
    const graph = buildEscalationGraph(model);
    if (format === "json") io.stdout(`${JSON.stringify(summaryJson(model, graph), null, 2)}\n`);
    else io.stdout(summaryText(model, graph));
  }
  for (const note of input.loaded.notes) io.stderr(`palisade: ${note}\n`);
  return code;
}

// ---------------------------------------------------------------- describing

function describeQuery(q: WhoCanQuery): string {
  const res = `${q.resource}${q.subresource !== undefined ? `/${q.subresource}` : ""}${q.apiGroup !== "" ? `.${q.apiGroup}` : ""}`;
  const named = q.name !== undefined ? ` ${JSON.stringify(q.name)}` : "";
  const where = q.namespace !== undefined ? ` in namespace ${JSON.stringify(q.namespace)}` : " cluster-wide";
  return `${q.verb} ${res}${named}${where}`;
}

function decisionLines(d: AccessDecision, indent: string): string[] {
  const out: string[] = [];
  if (d.privilegedGroup !== undefined)
    out.push(`${indent}as a member of ${d.privilegedGroup}: the API server allows it everything, before RBAC`);
  for (const g of d.grants)
    out.push(
      `${indent}${describeChain(g)}${g.subject.startsWith("Group:") ? ` (through ${g.subject})` : ""}${g.bootstrap ? " [bootstrap]" : ""}`,
    );
  if (d.unmodelledRoles !== undefined)
    out.push(`${indent}(bound to built-in ${d.unmodelledRoles.join(", ")}, whose rules Palisade does not model)`);
  return out;
}

function canIText(subject: SubjectRef, q: WhoCanQuery, d: AccessDecision): string {
  const lines = [`${subjectKey(subject)} may ${d.allowed ? "" : "not "}${describeQuery(q)}`];
  lines.push(...decisionLines(d, "  "));
  return `${lines.join("\n")}\n`;
}

function whoCanText(q: WhoCanQuery, answers: readonly { subject: SubjectRef; decision: AccessDecision }[]): string {
  const lines = [`Who may ${describeQuery(q)}: ${answers.length} subject${answers.length === 1 ? "" : "s"}`];
  for (const a of answers) {
    lines.push(`  ${subjectKey(a.subject)}`);
    lines.push(...decisionLines(a.decision, "    "));
  }
  return `${lines.join("\n")}\n`;
}

function describeRule(p: EffectivePermission): string {
  const list = (xs: readonly string[]): string => xs.join(",");
  if (p.nonResourceURLs.length > 0 && p.resources.length === 0) return `${list(p.verbs)} on ${list(p.nonResourceURLs)}`;
  const groups = p.apiGroups.map((g) => (g === "" ? "core" : g));
  const names = p.resourceNames.length > 0 ? ` named ${list(p.resourceNames)}` : "";
  return `${list(p.verbs)} on ${list(p.resources)} (${list(groups)})${names}`;
}

function describeEdge(e: EscalationEdge): string {
  const chain = e.grant !== undefined ? ` [${describeChain(e.grant)}]` : "";
  return `${e.to === CLUSTER_ADMIN ? CLUSTER_ADMIN : e.to}: ${e.permission}, ${e.how}${chain}`;
}

/** Grants to every authenticated identity (the bootstrap discovery roles) say nothing about one subject. */
function ownPermissions(model: AccessModel, s: SubjectRef): EffectivePermission[] {
  return [...model.permissionsOf(s)].filter((p) => !p.bootstrap || p.subject === "Group:system:masters");
}

function subjectText(model: AccessModel, graph: EscalationGraph, s: SubjectRef): string {
  const key = subjectKey(s);
  const identity = identityOf(s);
  const lines = [
    `${key}`,
    `  authenticates as: ${identity.user !== undefined ? `user ${identity.user}, ` : ""}groups ${identity.groups.join(", ")}`,
  ];
  if (!model.subjects.some((x) => subjectKey(x) === key)) lines.push("  (the set does not name this subject)");
  const all = model.permissionsOf(s);
  // The bootstrap grants every authenticated identity holds (discovery, self-reviews) are counted, not listed.
  const perms = ownPermissions(model, s);
  const common = all.length - perms.length;
  const byScope = new Map<string, EffectivePermission[]>();
  for (const p of perms) byScope.set(p.scope, [...(byScope.get(p.scope) ?? []), p]);
  lines.push(perms.length === 0 ? "  permissions: none" : "  permissions:");
  for (const scope of [...byScope.keys()].sort((a, b) => (a === "*" ? -1 : b === "*" ? 1 : a.localeCompare(b)))) {
    lines.push(`    ${scope === "*" ? "cluster-wide and in every namespace" : `in namespace ${scope}`}:`);
    for (const p of byScope.get(scope) ?? [])
      lines.push(
        `      ${describeRule(p)}  ← ${describeChain(p)}${p.subject !== key ? ` (through ${p.subject})` : ""}${p.bootstrap ? " [bootstrap]" : ""}`,
      );
  }
  if (common > 0)
    lines.push(
      `  and ${common} bootstrap grant${common === 1 ? "" : "s"} every authenticated identity holds (discovery, self-reviews; listed by --format json)`,
    );
  const edges = graph.edgesFrom(key);
  lines.push(edges.length === 0 ? "  can become: nobody" : "  can become:");
  for (const e of edges) lines.push(`    ${describeEdge(e)}`);
  const path = graph.pathTo(key, CLUSTER_ADMIN);
  if (path !== undefined) {
    lines.push(`  cluster-admin-equivalent in ${path.length} step${path.length === 1 ? "" : "s"}:`);
    for (const e of path) lines.push(`    ${e.from} → ${describeEdge(e)}`);
  }
  return `${lines.join("\n")}\n`;
}

function subjectJson(model: AccessModel, graph: EscalationGraph, s: SubjectRef): unknown {
  const key = subjectKey(s);
  return {
    subject: key,
    identity: identityOf(s),
    permissions: model.permissionsOf(s),
    canBecome: graph.edgesFrom(key),
    pathToClusterAdmin: graph.pathTo(key, CLUSTER_ADMIN) ?? null,
  };
}

/** Steps listed in the text summary; JSON has them all. */
const SHOWN_STEPS = 40;

const WRITE_VERBS = new Set([
  "*",
  "create",
  "update",
  "patch",
  "delete",
  "deletecollection",
  "bind",
  "escalate",
  "impersonate",
]);

/** `W` writes something, `R` only reads, `.` nothing; `!` the subject reaches cluster-admin-equivalent. */
function cell(perms: readonly EffectivePermission[]): string {
  if (perms.length === 0) return ".";
  return perms.some((p) => p.verbs.some((v) => WRITE_VERBS.has(v))) ? "W" : "R";
}

function summaryText(model: AccessModel, graph: EscalationGraph): string {
  const lines: string[] = [];
  // The control plane's own bootstrap bindings are decided on but not counted: no set acts as them.
  const bootstrapBindings = model.bindings.filter((b) => b.bootstrap && !b.controlPlane).length;
  const dangling = model.bindings.filter((b) => !b.bootstrap && model.roleOf(b) === undefined);
  const own = model.bindings.filter((b) => !b.bootstrap).length;
  lines.push(
    `${model.subjects.length} subjects, ${own} bindings (+${bootstrapBindings} bootstrap), ${model.namespaces.length} namespaces`,
  );
  const admin = new Set(graph.adminEquivalent.map((p) => subjectKey(p.subject)));
  const rows = model.subjects
    .map((s) => ({ s, perms: ownPermissions(model, s) }))
    .filter((r) => r.perms.length > 0 || admin.has(subjectKey(r.s)));
  const columns = ["*", ...model.namespaces];
  lines.push("");
  lines.push("Permissions (W writes, R reads only, . none; * = cluster-wide; ! = can become cluster-admin-equivalent;");
  lines.push("grants every authenticated identity holds from the bootstrap policy are left out):");
  columns.forEach((c, i) => lines.push(`  ${String(i).padStart(3)} ${c === "*" ? "* (cluster-wide)" : c}`));
  const w = Math.max(8, ...rows.map((r) => subjectKey(r.s).length));
  lines.push(`  ${"".padEnd(w)}  ${columns.map((_, i) => String(i).padStart(3)).join("")}`);
  for (const { s, perms } of rows) {
    const key = subjectKey(s);
    const cells = columns.map((c) => {
      const here = perms.filter((p) => p.scope === c || (c !== "*" && p.scope === "*"));
      return cell(here).padStart(3);
    });
    lines.push(`  ${key.padEnd(w)}  ${cells.join("")}${admin.has(key) ? "  !" : ""}`);
  }
  lines.push("");
  lines.push("Held through:");
  for (const { s, perms } of rows) {
    if (perms.length === 0) continue;
    const seen = new Set<string>();
    const key = subjectKey(s);
    for (const p of perms) {
      const text = `${p.binding} → ${p.role}${p.subject !== key ? ` (through ${p.subject})` : ""}`;
      if (seen.has(text)) continue;
      seen.add(text);
      lines.push(`  ${key}: ${text}`);
    }
  }
  // The steps between identities (system:masters' own is the last section's).
  const steps = graph.edges.filter((e) => e.kind !== "masters");
  lines.push("");
  if (steps.length === 0) lines.push("Can become: no subject can act as another.");
  else {
    lines.push(`Can become (${steps.length} step${steps.length === 1 ? "" : "s"}):`);
    const shown = steps.slice(0, SHOWN_STEPS);
    for (const e of shown) lines.push(`  ${e.from} → ${describeEdge(e)}`);
    if (steps.length > shown.length)
      lines.push(`  … and ${steps.length - shown.length} more (--subject KIND:NAME or --format json lists them)`);
  }
  lines.push("");
  if (graph.adminEquivalent.length === 0)
    lines.push("Nobody can become cluster-admin-equivalent (system:masters aside).");
  else {
    lines.push(`Paths to cluster-admin-equivalent (${graph.adminEquivalent.length}):`);
    for (const p of graph.adminEquivalent) {
      lines.push(`  ${subjectKey(p.subject)}`);
      for (const e of p.edges) lines.push(`    → ${describeEdge(e)}`);
    }
  }
  if (dangling.length > 0) {
    lines.push("");
    lines.push(`Bindings whose role does not resolve (they grant nothing): ${dangling.map((b) => b.id).join(", ")}`);
  }
  return `${lines.join("\n")}\n`;
}

function summaryJson(model: AccessModel, graph: EscalationGraph): unknown {
  return {
    namespaces: model.namespaces,
    subjects: model.subjects.map((s) => ({
      subject: subjectKey(s),
      identity: identityOf(s),
      permissions: model.permissionsOf(s),
    })),
    bindings: model.bindings
      .filter((b) => !b.controlPlane)
      .map((b) => ({
        id: b.id,
        bootstrap: b.bootstrap,
        role: model.roleOf(b)?.id ?? null,
        subjects: b.subjects.map((x) => subjectKey(x.ref)),
      })),
    escalations: graph.edges,
    clusterAdminEquivalent: graph.adminEquivalent.map((p) => ({ subject: subjectKey(p.subject), path: p.edges })),
  };
}
