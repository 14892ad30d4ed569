/** `palisade check`: load, evaluate, print, and answer with the exit code CI expects. */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { catalog } from "../policypack/controls";
import { validateConfig, type PalisadeConfig } from "../policypack/engine/config";
import { evaluate, INVALID_INPUT, type EvaluationResult } from "../policypack/engine/evaluate";
import { describe as describeResource, isNamespaced } from "../policypack/engine/kinds";
import type { ParseError } from "../policypack/engine/parse";
import { LEVELS, type KubeObject, type Level } from "../policypack/engine/types";
import { oneOf, parseArgs, UsageError } from "./args";
import { formatSarif } from "./format-sarif";
import { formatText } from "./format-text";
import {
  formatParseError,
  loadManifests,
  locateFindings,
  maxFileBytesOption,
  namespaceOption,
  DEFAULT_MAX_FILE_BYTES,
} from "./load";
import { repoRoot } from "./paths";
import { toJsonReport } from "./report";

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_INPUT = 2;

export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly readStdin?: () => Promise<string>;
  readonly isTty: boolean;
  readonly cwd: string;
  readonly now?: Date;
}

export const CHECK_USAGE = `Usage: palisade check [PATH…] [options]

Checks Kubernetes manifests (files, directories searched for *.yaml, *.yml, *.json, or - for
standard input) against the Palisade catalog.

Options:
  --level baseline|restricted|hardened   profile to check (default: hardened, or the config's level)
  --format text|json|sarif               output format (default: text)
  --config FILE                          YAML or JSON config: psaVersion, controls, exemptions, …
  --max-file-size BYTES                  refuse larger inputs, standard input and pipes included
                                         (default: ${DEFAULT_MAX_FILE_BYTES})
  --allow-empty                          finding no Kubernetes object is not an error (exit 0)
  --fail-on mandatory|advisory           which unexempted findings fail the check (default: mandatory;
                                         advisory: every finding fails)
  --min-severity low|medium|high|critical  show only findings at least this severe (the exit status
                                         still counts every finding)
  --namespace NS                         the namespace of objects that set none, as kubectl apply -n
                                         (default: the config's defaultNamespace, else "default")

Each control is mandatory or advisory (palisade controls lists it; the config's
controls.<id>.enforcement changes it, as the pack's enforcementLevel does): mandatory findings fail
the check, advisory ones are printed as warnings.

Exit status: 0 no failing finding, 1 failing findings, 2 usage or input error (finding no object
at all is one, unless --allow-empty: a CI job pointed at the wrong folder must not pass).
`;

/**
 * A command's `--config FILE`: the config ({} without the flag), or undefined once each error has
 * been named on stderr (the caller exits with EXIT_INPUT). One reading for every command that takes it.
 */
export function readConfigOption(file: string | undefined, io: Io): PalisadeConfig | undefined {
  if (file === undefined) return {};
  const loaded = loadConfigFile(file);
  for (const e of loaded.errors) io.stderr(`palisade: config error: ${e}\n`);
  return loaded.errors.length > 0 ? undefined : loaded.config;
}

export function loadConfigFile(file: string): { config: PalisadeConfig; errors: string[] } {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return {
      config: {},
      errors: [`${file}: ${code === "ENOENT" ? "no such file" : `cannot read: ${code ?? String(err)}`}`],
    };
  }
  let raw: unknown;
  try {
    raw = parseYaml(text, { maxAliasCount: 100 });
  } catch (err) {
    return {
      config: {},
      errors: [`${file}: invalid YAML: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`],
    };
  }
  const { config, errors } = validateConfig(raw, catalog);
  return { config, errors: errors.map((e) => `${file}: ${e}`) };
}

export async function runCheck(argv: readonly string[], io: Io): Promise<number> {
  const args = parseArgs(argv, {
    values: ["--level", "--format", "--config", "--max-file-size", "--fail-on", "--min-severity", "--namespace"],
    switches: ["--help", "-h", "--allow-empty"],
  });
  if (args.switches.has("--help") || args.switches.has("-h")) {
    io.stdout(CHECK_USAGE);
    return EXIT_OK;
  }
  const format = oneOf("--format", args.values.get("--format"), ["text", "json", "sarif"] as const, "text");
  let config = readConfigOption(args.values.get("--config"), io);
  if (config === undefined) return EXIT_INPUT;
  const level: Level = oneOf("--level", args.values.get("--level"), LEVELS, config.level ?? "hardened");
  const failOn = oneOf("--fail-on", args.values.get("--fail-on"), ["mandatory", "advisory"] as const, "mandatory");
  const minSeverity = oneOf("--min-severity", args.values.get("--min-severity"), SEVERITY_ORDER, "low");
  const namespaceFlag = namespaceOption("--namespace", args.values.get("--namespace"));
  if (namespaceFlag !== undefined) config = { ...config, defaultNamespace: namespaceFlag };
  const maxFileBytes = maxFileBytesOption(args.values.get("--max-file-size"));
  if (args.positional.length === 0) throw new UsageError("no input: give files, directories, or - for standard input");

  const loaded = await loadManifests(args.positional, { maxFileBytes, readStdin: io.readStdin });
  const result = evaluate(loaded.objects, {
    controls: catalog,
    config,
    level,
    sourceOf: (o) => loaded.sources.get(o),
    now: io.now,
  });
  const located = locateFindings(result.findings, loaded);
  // Wrong-typed fields are input errors: exit 2 naming file, field line, object and field, never
  // a finding. The same field reached twice (a Pod's metadata is also its template's) prints once.
  const seen = new Set<string>();
  const shapeErrors: ParseError[] = [];
  for (const f of located) {
    if (f.control !== INVALID_INPUT) continue;
    const e: ParseError = {
      file: f.source?.file ?? "<input>",
      line: f.source?.line ?? 0,
      column: 0,
      message: `${describeResource(f.resource)}: ${f.message}`,
    };
    const key = `${e.file}\u0000${e.line}\u0000${e.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    shapeErrors.push(e);
  }
  const errors = [...loaded.errors, ...shapeErrors];
  if (loaded.objects.length === 0 && loaded.errors.length === 0 && !args.switches.has("--allow-empty"))
    errors.push({
      file: args.positional.map((p) => (p === "-" ? "<stdin>" : p)).join(", "),
      line: 0,
      column: 0,
      message:
        loaded.files === 0
          ? "no *.yaml, *.yml or *.json file found: nothing was checked (pass --allow-empty if that is expected)"
          : "no Kubernetes object found: nothing was checked (pass --allow-empty if that is expected)",
    });
  const findings = located.filter((f) => f.control !== INVALID_INPUT);
  const open = findings.filter((f) => f.exempted === undefined);
  const failing = open.filter((f) => failOn === "advisory" || f.enforcement !== "advisory").length;
  const notes = [...loaded.notes];
  if (config.defaultNamespace === undefined && loaded.objects.some(lacksNamespace))
    notes.push(
      'objects without metadata.namespace are judged as landing in "default": pass --namespace NS (as kubectl apply -n) or set defaultNamespace in the config',
    );
  const shown: EvaluationResult = {
    ...result,
    warnings: [...notes, ...result.warnings],
    findings: findings.filter((f) => SEVERITY_ORDER.indexOf(f.severity) >= SEVERITY_ORDER.indexOf(minSeverity)),
    summary: {
      ...result.summary,
      findings: findings.length,
      failing,
      byEnforcement: {
        mandatory: open.filter((f) => f.enforcement !== "advisory").length,
        advisory: open.filter((f) => f.enforcement === "advisory").length,
      },
    },
  };

  if (format === "json") io.stdout(`${JSON.stringify(toJsonReport(shown, errors, loaded.files), null, 2)}\n`);
  else if (format === "sarif") io.stdout(formatSarif(shown, catalog, packageVersion(), io.cwd));
  else
    io.stdout(
      formatText(shown, errors, loaded.files, {
        color: io.isTty && process.env["NO_COLOR"] === undefined,
        failOn,
        remediation: (id) => catalog.find((c) => c.id === id)?.remediation,
      }),
    );
  if (format !== "text") for (const e of errors) io.stderr(`palisade: ${formatParseError(e)}\n`);

  if (errors.length > 0) return EXIT_INPUT;
  return failing > 0 ? EXIT_FINDINGS : EXIT_OK;
}

/** Least severe first, so "at least" is an index comparison. */
const SEVERITY_ORDER = ["low", "medium", "high", "critical"] as const;

/** A namespaced object that names no namespace (it lands where kubectl's context or -n says). */
function lacksNamespace(o: KubeObject): boolean {
  return isNamespaced(o) === true && typeof o.metadata?.namespace !== "string";
}

let version: string | undefined;
export function packageVersion(): string {
  if (version === undefined) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot(), "package.json"), "utf8")) as { version?: string };
      version = pkg.version ?? "0.0.0";
    } catch {
      version = "0.0.0";
    }
  }
  return version;
}
