/**
 * `palisade upgrade --to v1.N`: what a set of manifests meets when the cluster moves to v1.N —
 * removed and deprecated API versions, Pod Security drift between the pinned (or current) policy
 * version and the target's, lagging and floating PSA pins. Text grouped by what to do first, JSON,
 * SARIF. The analysis is policypack/analysis/upgrade; this file only loads and prints. See docs/upgrade.md.
 */
import * as path from "node:path";
import {
  analyzeUpgrade,
  type ApiItem,
  type DriftItem,
  type PinItem,
  type UpgradeReport,
} from "../policypack/analysis/upgrade";
import { describe as describeResource, resourceRef } from "../policypack/engine/kinds";
import { formatPolicyVersion, NEWEST_KNOWN_MINOR } from "../policypack/engine/psa-version";
import { StackIndex } from "../policypack/engine/stack";
import type { KubeObject, ResourceRef, SourceLocation } from "../policypack/engine/types";
import { oneOf, parseArgs, UsageError } from "./args";
import { EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, packageVersion, readConfigOption, type Io } from "./check";
import { INFORMATION_URI } from "./format-sarif";
import { DEFAULT_MAX_FILE_BYTES, loadForAnalysis, maxFileBytesOption, namespaceOption } from "./load";

export const UPGRADE_USAGE = `Usage: palisade upgrade [PATH…] --to v1.N [options]

Reports what the manifests (files, directories searched for *.yaml, *.yml, *.json, or - for
standard input) meet when the cluster is upgraded to Kubernetes v1.N:
  - API versions v1.N no longer serves (with the replacement and what moved), and those it
    still serves while a replacement is due;
  - Pod Security drift: pods and pod templates that pass at a namespace's pinned (or current)
    policy version and fail at v1.N's (newly rejected), or the reverse (newly allowed);
  - PSA pins more than one minor behind v1.N, and namespaces that float with the cluster.

Options:
  --to v1.N               the target Kubernetes version (v1.16 to v1.${NEWEST_KNOWN_MINOR}; required)
  --from v1.M             the version the cluster runs now, for namespaces without a pin
                          (default: the oldest version the namespaces pin, else the config's psaVersion)
  --format text|json|sarif  output format (default: text)
  --config FILE           the palisade config file (psaVersion, defaultNamespace, podTemplatePaths)
  --namespace NS          namespace of objects that set none (default: the config's, else "default")
  --max-file-size BYTES   refuse larger files (default: ${DEFAULT_MAX_FILE_BYTES})

Exit status: 0 nothing breaks at v1.N, 1 something would (a removed API version, a pod a
floating namespace newly rejects), 2 usage or input error.
`;

const OLDEST_TARGET = 16;

/** `v1.N` (or `1.N`, `v1.N.P`) → N within what Palisade knows; a usage error otherwise. */
function parseMinor(flag: string, text: string): number {
  const m = /^v?1\.(\d{1,3})(?:\.\d+)?$/.exec(text.trim());
  const minor = m ? Number(m[1]) : NaN;
  if (!Number.isInteger(minor) || minor > NEWEST_KNOWN_MINOR)
    throw new UsageError(
      `${flag} must be a Kubernetes version v1.N up to v1.${NEWEST_KNOWN_MINOR} (got ${JSON.stringify(text)})`,
    );
  return minor;
}

export async function runUpgrade(argv: readonly string[], io: Io): Promise<number> {
  const args = parseArgs(argv, {
    values: ["--to", "--from", "--format", "--config", "--namespace", "--max-file-size"],
    switches: ["--help", "-h"],
  });
  if (args.switches.has("--help") || args.switches.has("-h")) {
    io.stdout(UPGRADE_USAGE);
    return EXIT_OK;
  }
  const format = oneOf("--format", args.values.get("--format"), ["text", "json", "sarif"] as const, "text");
  const toText = args.values.get("--to");
  if (toText === undefined) throw new UsageError("--to v1.N is required: the Kubernetes version to upgrade to");
  const to = parseMinor("--to", toText);
  if (to < OLDEST_TARGET) throw new UsageError(`--to must be v1.${OLDEST_TARGET} or newer (got ${toText})`);
  const fromText = args.values.get("--from");
  const from = fromText === undefined ? undefined : parseMinor("--from", fromText);
  if (from !== undefined && from >= to)
    throw new UsageError(`--from (${fromText}) must be older than --to (${toText})`);
  const maxFileBytes = maxFileBytesOption(args.values.get("--max-file-size"));
  if (args.positional.length === 0) throw new UsageError("no input: give files, directories, or - for standard input");

  let config = readConfigOption(args.values.get("--config"), io);
  if (config === undefined) return EXIT_INPUT;
  const namespaceFlag = namespaceOption("--namespace", args.values.get("--namespace"));
  if (namespaceFlag !== undefined) config = { ...config, defaultNamespace: namespaceFlag };

  const { loaded, objects, sources, errors } = await loadForAnalysis(args.positional, {
    maxFileBytes,
    readStdin: io.readStdin,
    podTemplatePaths: config.podTemplatePaths,
    shapeChecked: (item, pod) => item.kind === "Namespace" || pod !== undefined,
  });
  if (errors.length > 0) {
    for (const e of errors) io.stderr(`palisade: ${e}\n`);
    return EXIT_INPUT;
  }
  const stack = new StackIndex(objects, {
    defaultNamespace: config.defaultNamespace,
    podTemplatePaths: config.podTemplatePaths,
  });
  const report = analyzeUpgrade(stack, { to, ...(from !== undefined ? { from } : {}), config });
  const where = (object: KubeObject, fieldPath?: string): SourceLocation | undefined => {
    const at = sources.get(object);
    if (at === undefined) return undefined;
    const line = fieldPath !== undefined ? loaded.fieldLine(at, fieldPath) : undefined;
    return { file: at.file, line: line ?? at.line };
  };
  if (format === "json") io.stdout(`${JSON.stringify(upgradeJson(report, where), null, 2)}\n`);
  else if (format === "sarif") io.stdout(`${JSON.stringify(upgradeSarif(report, where, io.cwd), null, 2)}\n`);
  else io.stdout(upgradeText(report, where, io.cwd));
  for (const note of loaded.notes) io.stderr(`palisade: ${note}\n`);
  return report.breaking > 0 ? EXIT_FINDINGS : EXIT_OK;
}

type Where = (object: KubeObject, fieldPath?: string) => SourceLocation | undefined;

const API_PATH = "apiVersion";

function resourceJson(r: ResourceRef, at: SourceLocation | undefined): Record<string, unknown> {
  return { ...r, ...(at !== undefined ? { source: at } : {}) };
}

/** The report without the objects themselves: what a pipeline needs, stable keys. */
export function upgradeJson(report: UpgradeReport, where: Where): Record<string, unknown> {
  return {
    from: report.from === undefined ? null : formatPolicyVersion(report.from),
    to: formatPolicyVersion(report.to),
    breaking: report.breaking,
    apis: report.apis.map((a) => ({
      resource: resourceJson(a.resource, where(a.object, API_PATH)),
      status: a.status,
      apiVersion: a.apiVersion,
      kind: a.kind,
      removedIn: `v1.${a.removedIn}`,
      replacement: a.replacement,
      ...(a.changes !== undefined ? { changes: a.changes } : {}),
      moved: a.moved,
      message: a.message,
    })),
    drift: report.drift.map((d) => ({
      resource: resourceJson(d.resource, where(d.object)),
      namespace: d.namespace,
      modes: d.modes,
      level: d.level,
      pinned: d.pinned,
      from: formatPolicyVersion(d.from),
      to: formatPolicyVersion(d.to),
      trigger: d.trigger,
      verdict: d.verdict,
      breaking: d.breaking,
      checks: d.checks,
      details: d.details,
    })),
    pins: report.pins.map((p) => ({
      namespace: p.namespace,
      ...(p.mode !== undefined ? { mode: p.mode } : {}),
      kind: p.kind,
      ...(p.pinned !== undefined ? { pinned: p.pinned } : {}),
      message: p.message,
      ...(where(p.object, p.path) !== undefined ? { source: where(p.object, p.path) } : {}),
    })),
    notes: report.notes,
  };
}

function at(where: Where, object: KubeObject, cwd: string, fieldPath?: string): string {
  const s = where(object, fieldPath);
  if (s === undefined) return "";
  const file = path.isAbsolute(s.file) ? path.relative(cwd, s.file) : s.file;
  return `  ${file}:${s.line}`;
}

/** Text for people, in the order to act: what breaks, what a raised pin changes, then housekeeping. */
export function upgradeText(report: UpgradeReport, where: Where, cwd: string): string {
  const target = formatPolicyVersion(report.to);
  const lines: string[] = [
    `Upgrade to ${target}${report.from !== undefined ? ` from ${formatPolicyVersion(report.from)}` : ""}`,
    "",
  ];
  const section = (title: string, items: string[][]): void => {
    if (items.length === 0) return;
    lines.push(`${title} (${items.length})`, ...items.flat(), "");
  };
  const api = (a: ApiItem) => [
    `  ${describeResource(a.resource)}: ${a.apiVersion} → ${a.replacement}${at(where, a.object, cwd, API_PATH)}`,
    ...a.moved.map((m) => `      ${m.path} → ${m.to}`),
    ...(a.changes !== undefined ? [`      what moved: ${a.changes}`] : []),
  ];
  const drift = (d: DriftItem) => [
    `  ${describeResource(d.resource)}: ${d.verdict.replace("-", " ")} by ${d.level} (${d.modes.join(", ")}) ${formatPolicyVersion(d.from)} → ${formatPolicyVersion(d.to)}${at(where, d.object, cwd)}`,
    ...d.details.map((x) => `      ${x}`),
  ];
  const pin = (p: PinItem) => [`  ${p.message}${at(where, p.object, cwd, p.path)}`];

  const removed = report.apis.filter((a) => a.status === "removed");
  const breakingDrift = report.drift.filter((d) => d.breaking);
  section(`1. Breaks at ${target}: API versions no longer served`, removed.map(api));
  section(
    `2. Breaks at ${target}: pods newly rejected in namespaces that follow the cluster (no pin)`,
    breakingDrift.map(drift),
  );
  section(
    `3. Before raising pins to ${target}: newly rejected once the label says ${target}`,
    report.drift.filter((d) => !d.breaking && d.verdict === "newly-rejected").map(drift),
  );
  section(
    `4. Deprecated at ${target} (still served): move before the version that removes them`,
    report.apis.filter((a) => a.status === "deprecated").map(api),
  );
  section(`5. Pins`, report.pins.map(pin));
  section(
    `6. Newly allowed at ${target} (nothing to do; fewer warnings)`,
    report.drift.filter((d) => d.verdict === "newly-allowed").map(drift),
  );
  section(
    "Notes",
    report.notes.map((n) => [`  ${n}`]),
  );
  const total = report.apis.length + report.drift.length + report.pins.length;
  lines.push(
    total === 0
      ? `Nothing changes at ${target}.`
      : `${report.breaking} breaking at ${target}; ${report.apis.length} API version(s), ${report.drift.length} Pod Security change(s), ${report.pins.length} pin(s) to review.`,
  );
  return `${lines.join("\n")}\n`;
}

// ---------------------------------------------------------------- SARIF

const RULES = [
  ["upgrade-api-removed", "API version not served at the target", "error"],
  ["upgrade-api-deprecated", "API version deprecated at the target", "warning"],
  ["upgrade-pss-newly-rejected", "Pod newly rejected by Pod Security at the target's policy version", "error"],
  ["upgrade-pss-newly-allowed", "Pod newly allowed by Pod Security at the target's policy version", "note"],
  ["upgrade-pin-lagging", "Pod Security pin more than one minor behind the target", "warning"],
  ["upgrade-pin-unpinned", "Pod Security level that floats with the cluster", "warning"],
] as const;

export function upgradeSarif(report: UpgradeReport, where: Where, cwd: string): Record<string, unknown> {
  const index = new Map<string, number>(RULES.map(([id], i) => [id, i]));
  const result = (ruleId: string, level: string, message: string, object: KubeObject, fieldPath?: string) => {
    const s = where(object, fieldPath);
    const r = resourceRef(object);
    const location: Record<string, unknown> = {
      logicalLocations: [
        { fullyQualifiedName: [r.kind, r.namespace, r.name].filter((x) => x !== undefined).join("/") },
      ],
    };
    if (s !== undefined) {
      const file = path.isAbsolute(s.file) ? path.relative(cwd, s.file) : s.file;
      location["physicalLocation"] = {
        artifactLocation: { uri: s.file === "<stdin>" ? "stdin" : file.split(path.sep).join("/") },
        region: { startLine: s.line },
      };
    }
    return { ruleId, ruleIndex: index.get(ruleId), level, message: { text: message }, locations: [location] };
  };
  const results = [
    ...report.apis.map((a) =>
      a.status === "removed"
        ? result("upgrade-api-removed", "error", a.message, a.object, API_PATH)
        : result("upgrade-api-deprecated", "warning", a.message, a.object, API_PATH),
    ),
    ...report.drift.map((d) =>
      d.verdict === "newly-rejected"
        ? result(
            "upgrade-pss-newly-rejected",
            d.breaking ? "error" : "warning",
            `${d.message}: ${d.details.join("; ")}`,
            d.object,
          )
        : result("upgrade-pss-newly-allowed", "note", d.message, d.object),
    ),
    ...report.pins.map((p) =>
      result(
        p.kind === "lagging" ? "upgrade-pin-lagging" : "upgrade-pin-unpinned",
        "warning",
        p.message,
        p.object,
        p.path,
      ),
    ),
  ];
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "palisade",
            version: packageVersion(),
            informationUri: INFORMATION_URI,
            rules: RULES.map(([id, text, level]) => ({
              id,
              shortDescription: { text },
              defaultConfiguration: { level },
            })),
          },
        },
        results,
      },
    ],
  };
}
