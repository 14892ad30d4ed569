/**
 * `palisade export vap`: the catalog as ValidatingAdmissionPolicies, so the cluster enforces at
 * admission what `palisade check` and the policy pack enforce before deploy.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import { catalog } from "../policypack/controls";
import type { PalisadeConfig } from "../policypack/engine/config";
import { LEVELS, type Level } from "../policypack/engine/types";
import {
  exportVap,
  PARAMS_CRD_NAME,
  PART_LABEL,
  VapExportError,
  type ValidationAction,
} from "../policypack/engine/vap";
import { oneOf, parseArgs, UsageError } from "./args";
import { EXIT_INPUT, EXIT_OK, loadConfigFile, type Io } from "./check";

export const EXPORT_USAGE = `Usage: palisade export vap [options]

Writes a ValidatingAdmissionPolicy and its binding for every single-object control CEL can
express, the ControlParameters CRD and one parameters object per configurable control.

Options:
  --level baseline|restricted|hardened   controls up to this level (default: hardened, or the config's level)
  --config FILE                          settings and exemptions to carry into the parameters and match conditions
  --action deny|warn|audit               the bindings' validationActions (default: deny)
  --output FILE                          write there instead of standard output

Install (the CRD first, so the parameters objects have a kind to be):
  palisade export vap --level restricted --output palisade-vap.yaml
  kubectl apply --server-side -f palisade-vap.yaml -l ${PART_LABEL}=crd
  kubectl wait --for condition=established crd/${PARAMS_CRD_NAME}
  kubectl apply --server-side -f palisade-vap.yaml
`;

const ACTIONS: Record<string, ValidationAction> = { deny: "Deny", warn: "Warn", audit: "Audit" };

export function runExport(argv: readonly string[], io: Io): number {
  const args = parseArgs(argv, { values: ["--level", "--config", "--action", "--output"], switches: ["--help"] });
  if (args.switches.has("--help")) {
    io.stdout(EXPORT_USAGE);
    return EXIT_OK;
  }
  const [target, ...extra] = args.positional;
  if (target !== "vap")
    throw new UsageError(
      target === undefined
        ? "export needs a target: vap"
        : `unknown export target ${JSON.stringify(target)} (known: vap)`,
    );
  if (extra.length > 0) throw new UsageError(`export vap takes no further arguments (got ${extra[0]})`);
  let config: PalisadeConfig = {};
  const configFile = args.values.get("--config");
  if (configFile !== undefined) {
    const loaded = loadConfigFile(path.resolve(io.cwd, configFile));
    if (loaded.errors.length > 0) {
      for (const e of loaded.errors) io.stderr(`palisade: config error: ${e}\n`);
      return EXIT_INPUT;
    }
    config = loaded.config;
  }
  const level: Level = oneOf("--level", args.values.get("--level"), LEVELS, config.level ?? "hardened");
  const action = ACTIONS[oneOf("--action", args.values.get("--action"), ["deny", "warn", "audit"] as const, "deny")];
  let result;
  try {
    result = exportVap({ controls: catalog, level, config, action });
  } catch (err) {
    if (err instanceof VapExportError) {
      io.stderr(`palisade: export vap: ${configFile === undefined ? "" : `${configFile}: `}${err.message}\n`);
      return EXIT_INPUT;
    }
    throw err;
  }
  const header =
    `# ValidatingAdmissionPolicies exported by palisade at level ${level}: ${result.exported.length} controls.\n` +
    `# Exemption annotations with an end date (palisade.dev/exempt-until) are not honoured here: CEL has no clock.\n`;
  const text = header + result.objects.map((o) => `---\n${stringify(o, { lineWidth: 0 })}`).join("");
  const output = args.values.get("--output");
  if (output === undefined) io.stdout(text);
  else {
    const file = path.resolve(io.cwd, output);
    try {
      fs.writeFileSync(file, text);
    } catch (err) {
      io.stderr(
        `palisade: export vap: cannot write ${output}: ${(err as NodeJS.ErrnoException).code ?? String(err)}\n`,
      );
      return EXIT_INPUT;
    }
  }
  io.stderr(
    `palisade: exported ${result.exported.length} controls as ValidatingAdmissionPolicies (${result.objects.length} objects); ` +
      `${result.notExported.length} not exported:\n` +
      result.notExported.map((n) => `  ${n.id}: ${n.reason}\n`).join(""),
  );
  return EXIT_OK;
}
