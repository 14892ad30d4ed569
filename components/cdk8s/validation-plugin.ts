/**
 * The cdk8s synth validation plugin: runs the Palisade catalog over the synthesized manifests,
 * all of them together (so stack controls see each namespace with its workloads), and fails
 * `cdk8s synth` when an unexempted finding of a mandatory control remains (every finding with
 * `failOn: advisory`). Advisory findings are logged as warnings, exempted ones with their reason.
 *
 * cdk8s.yaml:
 *
 *   validations:
 *     - package: ./node_modules/palisade-k8s   # or `palisade-k8s`: cdk8s installs it from npm
 *       version: 0.1.0
 *       class: PalisadeValidation
 *       properties:
 *         level: hardened            # baseline | restricted | hardened (default: the config's, else hardened)
 *         config: palisade.yaml      # optional; relative to the directory cdk8s runs in
 *         failOn: mandatory          # or advisory: every finding fails the synth
 *
 * The CLI loads a local plugin with `require` (a path that is absolute or starts with `./`; the
 * package's `main` exports this class), a named one from its plugins folder (installing it from
 * npm the first time), instantiates `class` with `properties`, and calls `validate(context)`; the
 * version must be exact (a range is refused), and is only shown in the report.
 */
import * as path from "node:path";
import type { Validation, ValidationContext } from "cdk8s-cli/lib/plugins";
import { loadConfigFile } from "../../cli/check";
import { formatParseError, loadManifests, locateFindings } from "../../cli/load";
import { catalog } from "../../policypack/controls";
import type { PalisadeConfig } from "../../policypack/engine/config";
import { evaluate, INVALID_INPUT } from "../../policypack/engine/evaluate";
import { describe } from "../../policypack/engine/kinds";
import { LEVELS, type Finding, type Level } from "../../policypack/engine/types";

/** The plugin's `properties` in cdk8s.yaml. */
export interface PalisadeValidationProperties {
  /**
   * Level to check.
   * @default - the config file's level, else "hardened"
   */
  readonly level?: Level;
  /**
   * Path of a Palisade config file (YAML or JSON), relative to the directory cdk8s runs in.
   * @default - no config: every control at its defaults
   */
  readonly config?: string;
  /**
   * Which unexempted findings fail the synth: those of mandatory controls, or every finding.
   * Advisory findings that do not fail are logged as warnings.
   * @default "mandatory"
   */
  readonly failOn?: "mandatory" | "advisory";
}

const PROPERTY_KEYS = ["level", "config", "failOn"];

export class PalisadeValidation implements Validation {
  private readonly level: Level;
  private readonly config: PalisadeConfig;
  private readonly configFile: string | undefined;
  private readonly failOn: "mandatory" | "advisory";

  /** Validates the properties and loads the config at once, so a typo fails before synthesis is checked. */
  constructor(properties: PalisadeValidationProperties = {}) {
    const props = (properties ?? {}) as Record<string, unknown>;
    for (const key of Object.keys(props))
      if (!PROPERTY_KEYS.includes(key))
        throw new Error(
          `PalisadeValidation: unknown property ${JSON.stringify(key)} (known: ${PROPERTY_KEYS.join(", ")})`,
        );
    if (props["config"] !== undefined && typeof props["config"] !== "string")
      throw new Error("PalisadeValidation: property config must be the path of a config file");
    this.configFile = props["config"] as string | undefined;
    let config: PalisadeConfig = {};
    if (this.configFile !== undefined) {
      const loaded = loadConfigFile(path.resolve(process.cwd(), this.configFile));
      if (loaded.errors.length > 0) throw new Error(`PalisadeValidation: config error: ${loaded.errors.join("; ")}`);
      config = loaded.config;
    }
    const level = props["level"] ?? config.level ?? "hardened";
    if (!LEVELS.includes(level as Level))
      throw new Error(
        `PalisadeValidation: property level must be one of ${LEVELS.join(", ")}, found ${JSON.stringify(level)}`,
      );
    this.level = level as Level;
    this.config = config;
    const failOn = props["failOn"] ?? "mandatory";
    if (failOn !== "mandatory" && failOn !== "advisory")
      throw new Error(
        `PalisadeValidation: property failOn must be mandatory or advisory, found ${JSON.stringify(failOn)}`,
      );
    this.failOn = failOn;
  }

  async validate(context: ValidationContext): Promise<void> {
    const loaded = await loadManifests([...context.manifests]);
    const result = evaluate(loaded.objects, {
      controls: catalog,
      config: this.config,
      level: this.level,
      sourceOf: (o) => loaded.sources.get(o),
    });
    // Each finding at its field's own line in the synthesized file, not its object's first line.
    const findings = locateFindings(result.findings, loaded);
    const open = findings.filter((f) => f.exempted === undefined);
    const failing = open.filter((f) => this.failOn === "advisory" || f.enforcement !== "advisory");
    const advisory = open.filter((f) => !failing.includes(f));
    const exempted = findings.filter((f) => f.exempted !== undefined);
    for (const e of loaded.errors) failing.push(inputError(formatParseError(e), e.file));

    const byControl = new Map<string, Finding[]>();
    for (const f of failing) {
      const list = byControl.get(f.control);
      if (list === undefined) byControl.set(f.control, [f]);
      else list.push(f);
    }
    for (const [id, findings] of byControl) {
      const control = catalog.find((c) => c.id === id);
      context.report.addViolation({
        ruleName: id,
        recommendation:
          control !== undefined
            ? `${control.title} (${control.level}, ${control.severity}; ${control.references.catalog})`
            : "Fix the input: the field has the wrong type or the file cannot be read",
        fix: control?.remediation ?? "See the message at each location.",
        violatingResources: findings.map((f) => ({
          resourceName: f.resource.name ?? describe(f.resource),
          locations: [
            `${f.path ?? "(object)"}${f.source !== undefined ? ` (line ${f.source.line})` : ""}: ${f.message}`,
          ],
          manifestPath: f.source?.file ?? "<synthesized>",
        })),
      });
    }
    for (const f of exempted) {
      context.logger.log(
        `palisade: exempted ${f.control} on ${describe(f.resource)}: ${f.message} — reason: ${f.exempted?.reason ?? ""}${f.exempted?.until !== undefined ? ` (until ${f.exempted.until})` : ""}`,
      );
    }
    for (const f of advisory)
      context.logger.log(
        `palisade: advisory ${f.control} on ${describe(f.resource)}: ${f.path !== undefined ? `${f.path}: ` : ""}${f.message}`,
      );
    for (const w of result.warnings) context.logger.log(`palisade: warning: ${w}`);
    for (const s of result.skipped) context.logger.log(`palisade: skipped ${describe(s.resource)}: ${s.reason}`);
    context.report.submit(failing.length > 0 ? "failure" : "success", {
      level: this.level,
      ...(this.configFile !== undefined ? { config: this.configFile } : {}),
      objects: String(result.summary.objects),
      controls: String(result.summary.controls),
      failing: String(failing.length),
      advisory: String(advisory.length),
      exempted: String(exempted.length),
    });
  }
}

function inputError(message: string, file: string): Finding {
  return {
    control: INVALID_INPUT,
    level: "baseline",
    severity: "high",
    message,
    resource: { apiVersion: "", kind: "File", name: path.basename(file) },
    source: { file, line: 0 },
  };
}
