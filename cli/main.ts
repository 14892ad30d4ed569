/**
 * The `palisade` command. Every error a user can cause ends in a one-line message and exit 2;
 * a stack trace here would be a bug.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { catalog } from "../policypack/controls";
import { defaultEnforcement } from "../policypack/enforcement";
import { oneOf, parseArgs, UsageError } from "./args";
import { controlsJson, controlsReference, controlsTable, updateReadme } from "./catalog-doc";
import { repoRoot } from "./paths";
import { runExport } from "./export";
import { runAccess } from "./access";
import { runReach } from "./reach";
import { runUpgrade } from "./upgrade";
import { CHECK_USAGE, EXIT_INPUT, EXIT_OK, packageVersion, runCheck, type Io } from "./check";

const USAGE = `Usage: palisade <command> [options]

Commands:
  check [PATH…]        check manifests against the catalog (palisade check --help)
  reach [PATH…]        the connectivity the NetworkPolicies allow (palisade reach --help)
  access [PATH…]       who can do what, and who can become whom, under RBAC (palisade access --help)
  upgrade [PATH…] --to v1.N  what breaks or drifts at a Kubernetes upgrade (palisade upgrade --help)
  export vap           write ValidatingAdmissionPolicies for the cluster (palisade export --help)
  export pack-config   write the config file as the policy pack's --policy-pack-config
  controls             print the catalog (--format text|markdown|json)
  docs [--write|--check]  regenerate (or verify) docs/controls.md and the README's control table
  version              print the version

${CHECK_USAGE}`;

function runControls(argv: readonly string[], io: Io): number {
  const args = parseArgs(argv, { values: ["--format"], switches: [] });
  if (args.positional.length > 0) throw new UsageError(`controls takes no arguments (got ${args.positional[0]})`);
  const format = oneOf("--format", args.values.get("--format"), ["text", "markdown", "json"] as const, "text");
  if (format === "json") io.stdout(controlsJson(catalog));
  else if (format === "markdown") io.stdout(`${controlsTable(catalog)}\n`);
  else {
    const w = Math.max(...catalog.map((c) => c.id.length));
    for (const c of catalog)
      io.stdout(
        `${c.id.padEnd(w)}  ${c.level.padEnd(10)}  ${c.severity.padEnd(8)}  ${defaultEnforcement(c).padEnd(9)}  ${c.references.catalog.padEnd(8)}  ${c.title}\n`,
      );
    io.stdout(`${catalog.length} controls\n`);
  }
  return EXIT_OK;
}

function runDocs(argv: readonly string[], io: Io): number {
  const args = parseArgs(argv, { values: [], switches: ["--write", "--check"] });
  const root = repoRoot();
  const targets: [string, string][] = [[path.join(root, "docs", "controls.md"), controlsReference(catalog)]];
  const readmePath = path.join(root, "README.md");
  targets.push([readmePath, updateReadme(fs.readFileSync(readmePath, "utf8"), catalog)]);
  if (args.switches.has("--check")) {
    const stale = targets.filter(([file, text]) => !fs.existsSync(file) || fs.readFileSync(file, "utf8") !== text);
    for (const [file] of stale) io.stderr(`palisade: ${path.relative(root, file)} is out of date: run npm run docs\n`);
    return stale.length > 0 ? 1 : EXIT_OK;
  }
  if (args.switches.has("--write")) {
    for (const [file, text] of targets) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
      io.stdout(`wrote ${path.relative(root, file)}\n`);
    }
    return EXIT_OK;
  }
  io.stdout(controlsReference(catalog));
  return EXIT_OK;
}

export async function main(argv: readonly string[], io?: Partial<Io>): Promise<number> {
  const fullIo: Io = {
    stdout: io?.stdout ?? ((t) => process.stdout.write(t)),
    stderr: io?.stderr ?? ((t) => process.stderr.write(t)),
    readStdin: io?.readStdin,
    isTty: io?.isTty ?? process.stdout.isTTY === true,
    cwd: io?.cwd ?? process.cwd(),
    now: io?.now,
  };
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "check":
        return await runCheck(rest, fullIo);
      case "reach":
        return await runReach(rest, fullIo);
      case "access":
        return await runAccess(rest, fullIo);
      case "upgrade":
        return await runUpgrade(rest, fullIo);
      case "export":
        return runExport(rest, fullIo);
      case "controls":
        return runControls(rest, fullIo);
      case "docs":
        return runDocs(rest, fullIo);
      case "version":
      case "--version":
        fullIo.stdout(`palisade ${packageVersion()}\n`);
        return EXIT_OK;
      case undefined:
      case "help":
      case "--help":
      case "-h":
        fullIo.stdout(USAGE);
        return command === undefined ? EXIT_INPUT : EXIT_OK;
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      fullIo.stderr(`palisade: ${err.message}\nRun \`palisade --help\` for usage.\n`);
      return EXIT_INPUT;
    }
    throw err;
  }
}
