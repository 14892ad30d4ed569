/** The report shape shared by the JSON and SARIF formats: findings flattened for tools. */
import type { EvaluationResult } from "../policypack/engine/evaluate";
import type { Exemption, Finding, Level, Severity, SkippedObject } from "../policypack/engine/types";
import type { ParseError } from "../policypack/engine/parse";

export interface JsonFinding {
  control: string;
  level: Level;
  severity: Severity;
  message: string;
  file: string | null;
  line: number | null;
  apiVersion: string;
  kind: string;
  namespace: string | null;
  name: string | null;
  path: string | null;
  /** mandatory findings fail the check; advisory ones are reported and do not. */
  enforcement: "mandatory" | "advisory";
  exempted: boolean;
  exemption?: Exemption;
  internalError?: boolean;
}

export interface JsonSkipped {
  apiVersion: string;
  kind: string;
  namespace: string | null;
  name: string | null;
  file: string | null;
  line: number | null;
  reason: string;
}

export interface JsonReport {
  findings: JsonFinding[];
  skipped: JsonSkipped[];
  errors: { file: string; line: number | null; column: number | null; message: string }[];
  warnings: string[];
  summary: EvaluationResult["summary"] & {
    files: number;
    errors: number;
    /** Unexempted findings per control, most first: the top offenders. */
    byControl: { control: string; enforcement: "mandatory" | "advisory"; findings: number }[];
  };
}

/** Unexempted findings per control, most first (ties by id). */
export function countByControl(
  findings: readonly Finding[],
): { control: string; enforcement: "mandatory" | "advisory"; findings: number }[] {
  const counts = new Map<string, { control: string; enforcement: "mandatory" | "advisory"; findings: number }>();
  for (const f of findings) {
    if (f.exempted !== undefined) continue;
    const c = counts.get(f.control) ?? { control: f.control, enforcement: f.enforcement ?? "mandatory", findings: 0 };
    c.findings++;
    counts.set(f.control, c);
  }
  return [...counts.values()].sort((a, b) => b.findings - a.findings || (a.control < b.control ? -1 : 1));
}

export function toJsonFinding(f: Finding): JsonFinding {
  const out: JsonFinding = {
    control: f.control,
    level: f.level,
    severity: f.severity,
    message: f.message,
    file: f.source?.file ?? null,
    line: f.source?.line ?? null,
    apiVersion: f.resource.apiVersion,
    kind: f.resource.kind,
    namespace: f.resource.namespace ?? null,
    name: f.resource.name ?? null,
    path: f.path ?? null,
    enforcement: f.enforcement ?? "mandatory",
    exempted: f.exempted !== undefined,
  };
  if (f.exempted !== undefined) out.exemption = f.exempted;
  if (f.internalError) out.internalError = true;
  return out;
}

function toJsonSkipped(s: SkippedObject): JsonSkipped {
  return {
    apiVersion: s.resource.apiVersion,
    kind: s.resource.kind,
    namespace: s.resource.namespace ?? null,
    name: s.resource.name ?? null,
    file: s.source?.file ?? null,
    line: s.source?.line ?? null,
    reason: s.reason,
  };
}

export function toJsonReport(result: EvaluationResult, errors: readonly ParseError[], files: number): JsonReport {
  return {
    findings: result.findings.map(toJsonFinding),
    skipped: result.skipped.map(toJsonSkipped),
    errors: errors.map((e) => ({
      file: e.file,
      line: e.line > 0 ? e.line : null,
      column: e.column > 0 ? e.column : null,
      message: e.message,
    })),
    warnings: result.warnings,
    summary: { ...result.summary, files, errors: errors.length, byControl: countByControl(result.findings) },
  };
}
