/**
 * `palisade export vap`: the catalog as ValidatingAdmissionPolicies, so the cluster enforces at
 * admission what `palisade check` and the policy pack enforce before deploy.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import { catalog } from "../policypack/controls";
import { REQUESTER } from "../policypack/engine/config";
import { LEVELS, type Level } from "../policypack/engine/types";
import {
  exportVap,
  PARAMS_CRD_NAME,
  PART_LABEL,
  VapExportError,
  type ValidationAction,
} from "../policypack/engine/vap";
import { packConfigFrom } from "../policypack/pack-config";
import { oneOf, parseArgs, UsageError } from "./args";
import { EXIT_INPUT, EXIT_OK, readConfigOption, type Io } from "./check";

export const EXPORT_USAGE = `Usage: palisade export vap [options]
       palisade export pack-config [--config FILE] [--output FILE]

pack-config writes the config file as the policy pack's --policy-pack-config (JSON): each
control's enforcement as enforcementLevel, its settings, its exemptions and psaVersion, so one
file drives palisade check, the cdk8s plugin, the pack and the admission policies.


Writes a ValidatingAdmissionPolicy and its binding for every single-object control CEL can
express, the ControlParameters CRD and one parameters object per configurable control.

Options:
  --level baseline|restricted|hardened   controls up to this level (default: hardened, or the config's level)
  --config FILE                          settings, enforcement and exemptions (the platform team's file)
  --action deny|warn|audit               one action for every binding, overriding each control's enforcement
  --annotation-exemptions-from LIST      requesters whose palisade.dev/exempt annotations are honoured:
                                         comma-separated user:NAME / group:NAME (default: nobody's)
  --output FILE                          write there instead of standard output

Actions follow each control's enforcement (the config's controls.<id>.enforcement changes it):
  mandatory  ->  validationActions [Deny, Audit]   the request is refused
  advisory   ->  validationActions [Warn, Audit]   admitted with a warning to the requester
  disabled   ->  not exported
Every objection is also written to the API server's audit log.

Exemptions at admission come from the platform's side only: the config's exemptions, and
annotations on the judged object only when the requester is one of --annotation-exemptions-from.
Each request an exemption lets through is recorded in the audit log as the annotation
<policy>/exempted with the exemption's reason. Admission policies have no clock: a dated config
exemption is honoured until the policies are exported again (the export says when), a lapsed one
is left out, and an annotation with palisade.dev/exempt-until is never honoured.

Requests of the control plane's own identities are not judged: system:apiserver,
system:kube-controller-manager, system:kube-scheduler, the controller manager's per-controller
service accounts in kube-system, and a node's kubelet for its own objects. Any other identity,
including other service accounts in kube-system, is judged.

Install (the CRD first, so the parameters objects have a kind to be):
  palisade export vap --level restricted --output palisade-vap.yaml
  kubectl apply --server-side -f palisade-vap.yaml -l ${PART_LABEL}=crd
  kubectl wait --for condition=established crd/${PARAMS_CRD_NAME}
  kubectl apply --server-side -f palisade-vap.yaml
`;

const ACTIONS: Record<string, ValidationAction> = { deny: "Deny", warn: "Warn", audit: "Audit" };

export function runExport(argv: readonly string[], io: Io): number {
  const args = parseArgs(argv, {
    values: ["--level", "--config", "--action", "--annotation-exemptions-from", "--output"],
    switches: ["--help"],
  });
  if (args.switches.has("--help")) {
    io.stdout(EXPORT_USAGE);
    return EXIT_OK;
  }
  const [target, ...extra] = args.positional;
  if (target !== "vap" && target !== "pack-config")
    throw new UsageError(
      target === undefined
        ? "export needs a target: vap or pack-config"
        : `unknown export target ${JSON.stringify(target)} (known: vap, pack-config)`,
    );
  if (extra.length > 0) throw new UsageError(`export ${target} takes no further arguments (got ${extra[0]})`);
  const configFile = args.values.get("--config");
  const config = readConfigOption(configFile === undefined ? undefined : path.resolve(io.cwd, configFile), io);
  if (config === undefined) return EXIT_INPUT;
  if (target === "pack-config") {
    for (const flag of ["--level", "--action", "--annotation-exemptions-from"])
      if (args.values.has(flag)) throw new UsageError(`export pack-config takes no ${flag}`);
    return writeOutput(
      `${JSON.stringify(packConfigFrom(config, catalog), null, 2)}\n`,
      args.values.get("--output"),
      io,
      "pack-config",
    );
  }
  const level: Level = oneOf("--level", args.values.get("--level"), LEVELS, config.level ?? "hardened");
  const actionFlag = args.values.get("--action");
  const action =
    actionFlag === undefined
      ? undefined
      : ACTIONS[oneOf("--action", actionFlag, ["deny", "warn", "audit"] as const, "deny")];
  const fromFlag = args.values.get("--annotation-exemptions-from");
  const requesters = fromFlag
    ?.split(",")
    .map((r) => r.trim())
    .filter((r) => r !== "");
  for (const r of requesters ?? [])
    if (!REQUESTER.test(r))
      throw new UsageError(`--annotation-exemptions-from: expected user:NAME or group:NAME, got ${JSON.stringify(r)}`);
  let result;
  try {
    result = exportVap({
      controls: catalog,
      level,
      config,
      ...(action === undefined ? {} : { action }),
      ...(requesters === undefined ? {} : { annotationExemptionsFrom: requesters }),
    });
  } catch (err) {
    if (err instanceof VapExportError) {
      io.stderr(`palisade: export vap: ${configFile === undefined ? "" : `${configFile}: `}${err.message}\n`);
      return EXIT_INPUT;
    }
    throw err;
  }
  const trusted = requesters ?? config.admission?.annotationExemptionsFrom ?? [];
  const counts = Object.values(result.enforcement).reduce<Record<string, number>>(
    (acc, e) => ({ ...acc, [e]: (acc[e] ?? 0) + 1 }),
    {},
  );
  const header =
    `# ValidatingAdmissionPolicies exported by palisade at level ${level}: ${result.exported.length} controls` +
    (action === undefined
      ? ` (${counts["mandatory"] ?? 0} mandatory: Deny; ${counts["advisory"] ?? 0} advisory: Warn).\n`
      : ` (every binding: ${action}).\n`) +
    (trusted.length === 0
      ? `# palisade.dev/exempt annotations on the judged objects are not honoured: exemptions come from the config.\n`
      : `# palisade.dev/exempt annotations are honoured only in requests of ${trusted.join(", ")}, never with an end date.\n`) +
    result.warnings.map((w) => `# ${w}\n`).join("");
  const text = header + result.objects.map((o) => `---\n${stringify(o, { lineWidth: 0 })}`).join("");
  if (writeOutput(text, args.values.get("--output"), io, "vap") !== EXIT_OK) return EXIT_INPUT;
  for (const w of result.warnings) io.stderr(`palisade: export vap: warning: ${w}\n`);
  io.stderr(
    `palisade: exported ${result.exported.length} controls as ValidatingAdmissionPolicies (${result.objects.length} objects); ` +
      `${result.notExported.length} not exported:\n` +
      result.notExported.map((n) => `  ${n.id}: ${n.reason}\n`).join(""),
  );
  return EXIT_OK;
}

/** Writes to --output, or to standard output without it. */
function writeOutput(text: string, output: string | undefined, io: Io, target: string): number {
  if (output === undefined) {
    io.stdout(text);
    return EXIT_OK;
  }
  try {
    fs.writeFileSync(path.resolve(io.cwd, output), text);
  } catch (err) {
    io.stderr(
      `palisade: export ${target}: cannot write ${output}: ${(err as NodeJS.ErrnoException).code ?? String(err)}\n`,
    );
    return EXIT_INPUT;
  }
  return EXIT_OK;
}
