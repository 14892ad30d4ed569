/**
 * SARIF 2.1.0 as GitHub code scanning reads it: rules are the controls, results point at the
 * file and the line of the field the finding names (the object's line when it names none; the
 * CLI locates them, see load.ts locateFindings), exempted findings carry a suppression with the reason.
 */
import * as path from "node:path";
import type { Control } from "../policypack/engine/control";
import type { EvaluationResult } from "../policypack/engine/evaluate";
import type { Finding, Severity } from "../policypack/engine/types";

/**
 * A result's level is its enforcement: mandatory findings fail the check (error), advisory ones
 * do not (warning); how serious each is rides in `security-severity`, which GitHub ranks by.
 */
function sarifLevel(enforcement: Finding["enforcement"]): "error" | "warning" {
  return enforcement === "advisory" ? "warning" : "error";
}
/** GitHub ranks security alerts by this number (critical ≥ 9, high ≥ 7, medium ≥ 4). */
const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = {
  critical: "9.5",
  high: "8.0",
  medium: "5.5",
  low: "3.0",
};

export const INFORMATION_URI = "https://github.com/palisade-dev/palisade";

function uri(file: string, cwd: string): string {
  if (file === "<stdin>") return "stdin";
  const rel = path.isAbsolute(file) ? path.relative(cwd, file) : file;
  return rel.split(path.sep).join("/");
}

export function formatSarif(
  result: EvaluationResult,
  catalog: readonly Control[],
  version: string,
  cwd: string,
): string {
  const used = new Set(result.findings.map((f) => f.control));
  const enforcementOf = new Map(result.findings.map((f) => [f.control, f.enforcement]));
  const rules = catalog.filter((c) => used.has(c.id));
  const pseudo = [...used].filter((id) => !catalog.some((c) => c.id === id));
  const ruleIndex = new Map<string, number>();
  const sarifRules = [
    ...rules.map((c) => ({
      id: c.id,
      name: c.id
        .split("-")
        .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
        .join(""),
      shortDescription: { text: c.title },
      fullDescription: { text: `${c.title} (${c.references.catalog}; level ${c.level})` },
      help: {
        text: c.remediation,
        markdown: `**${c.title}**\n\n${c.remediation}\n\nReferences: ${Object.entries(c.references)
          .map(([k, v]) => `${k} ${v}`)
          .join("; ")}`,
      },
      defaultConfiguration: { level: sarifLevel(enforcementOf.get(c.id)) },
      properties: {
        tags: ["security", "kubernetes", c.family, c.level, enforcementOf.get(c.id) ?? "mandatory"],
        "security-severity": SECURITY_SEVERITY[c.severity],
        precision: "very-high",
      },
    })),
    ...pseudo.map((id) => ({
      id,
      name: id,
      shortDescription: { text: id === "invalid-input" ? "Object has fields of the wrong type" : id },
      defaultConfiguration: { level: "error" as const },
    })),
  ];
  sarifRules.forEach((r, i) => ruleIndex.set(r.id, i));
  const results = result.findings.map((f: Finding) => {
    const location: Record<string, unknown> = {
      logicalLocations: [
        {
          fullyQualifiedName: [f.resource.kind, f.resource.namespace, f.resource.name]
            .filter((x) => x !== undefined)
            .join("/"),
          kind: "resource",
        },
      ],
    };
    if (f.source) {
      location["physicalLocation"] = {
        artifactLocation: { uri: uri(f.source.file, cwd), uriBaseId: "%SRCROOT%" },
        region: { startLine: Math.max(1, f.source.line) },
      };
    }
    const out: Record<string, unknown> = {
      ruleId: f.control,
      ruleIndex: ruleIndex.get(f.control),
      level: sarifLevel(f.enforcement),
      message: { text: f.path ? `${f.message} (at ${f.path})` : f.message },
      locations: [location],
      partialFingerprints: {
        "palisade/v1": [
          f.control,
          f.resource.kind,
          f.resource.namespace ?? "",
          f.resource.name ?? "",
          f.path ?? "",
        ].join("|"),
      },
    };
    if (f.exempted) {
      out["suppressions"] = [
        {
          kind: f.exempted.source === "annotation" ? "inSource" : "external",
          justification: f.exempted.until ? `${f.exempted.reason} (until ${f.exempted.until})` : f.exempted.reason,
        },
      ];
    }
    return out;
  });
  const sarif = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "Palisade",
            informationUri: INFORMATION_URI,
            version,
            semanticVersion: version,
            rules: sarifRules,
          },
        },
        originalUriBaseIds: { "%SRCROOT%": { uri: `file://${cwd.split(path.sep).join("/")}/` } },
        results,
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
