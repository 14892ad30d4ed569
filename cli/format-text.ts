/** Text output: findings grouped by resource, readable in a terminal, colour only on a TTY. */
import type { EvaluationResult } from "../policypack/engine/evaluate";
import { describe } from "../policypack/engine/kinds";
import type { ParseError } from "../policypack/engine/parse";
import type { Finding, Severity } from "../policypack/engine/types";
import { formatParseError } from "./load";

export interface TextStyle {
  readonly color: boolean;
}

const SEVERITY_COLOR: Readonly<Record<Severity, string>> = { critical: "35", high: "31", medium: "33", low: "36" };

/** The line of the finding's object (load.ts keeps it beside the field's line). */
function objectLine(f: Finding): number {
  return (f.source as { objectLine?: number } | undefined)?.objectLine ?? f.source?.line ?? 0;
}

export function formatText(
  result: EvaluationResult,
  errors: readonly ParseError[],
  files: number,
  style: TextStyle,
): string {
  const paint = (code: string, text: string): string => (style.color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const lines: string[] = [];
  const groups = new Map<string, Finding[]>();
  for (const f of result.findings) {
    // Grouped by object (its document's line); each finding then names its field's own line.
    const where = f.source ? `${f.source.file}:${objectLine(f)}` : "";
    const key = `${where}\u0000${describe(f.resource)}`;
    const list = groups.get(key);
    if (list) list.push(f);
    else groups.set(key, [f]);
  }
  const controlWidth = Math.max(0, ...result.findings.map((f) => f.control.length));
  for (const [key, findings] of groups) {
    const [where, what] = key.split("\u0000") as [string, string];
    lines.push(`${paint("1", what)}${where ? paint("2", `  ${where}`) : ""}`);
    for (const f of findings) {
      const sev = f.exempted
        ? paint("2", "exempted".padEnd(8))
        : paint(SEVERITY_COLOR[f.severity], f.severity.padEnd(8));
      lines.push(`  ${sev}  ${f.control.padEnd(controlWidth)}  ${f.message}`);
      if (f.path) {
        const line = f.source !== undefined && f.source.line !== objectLine(f) ? ` (line ${f.source.line})` : "";
        lines.push(`  ${" ".repeat(8)}  ${" ".repeat(controlWidth)}  ${paint("2", `at ${f.path}${line}`)}`);
      }
      if (f.exempted) {
        const until = f.exempted.until ? ` until ${f.exempted.until}` : "";
        lines.push(
          `  ${" ".repeat(8)}  ${" ".repeat(controlWidth)}  ${paint("2", `exempted by ${f.exempted.source}${until}: ${f.exempted.reason}`)}`,
        );
      }
    }
    lines.push("");
  }
  for (const s of result.skipped) {
    const where = s.source ? `  ${s.source.file}:${s.source.line}` : "";
    lines.push(paint("2", `skipped ${describe(s.resource)}${where}: ${s.reason}`));
  }
  for (const w of result.warnings) lines.push(paint("33", `warning: ${w}`));
  for (const e of errors) lines.push(paint("31", `error: ${formatParseError(e)}`));
  if (result.skipped.length + result.warnings.length + errors.length > 0) lines.push("");
  const s = result.summary;
  const sev = (["critical", "high", "medium", "low"] as const)
    .filter((k) => s.bySeverity[k] > 0)
    .map((k) => `${s.bySeverity[k]} ${k}`)
    .join(", ");
  const verdict =
    errors.length > 0
      ? paint("31", `${errors.length} input error${errors.length === 1 ? "" : "s"}`)
      : s.failing === 0
        ? paint("32", "no failing findings")
        : paint("31", `${s.failing} failing finding${s.failing === 1 ? "" : "s"} (${sev})`);
  lines.push(
    `${verdict}; ${s.exempted} exempted; ${s.evaluated} of ${s.objects} objects checked in ${files} file${files === 1 ? "" : "s"}, ${s.skipped} skipped; level ${s.level}, ${s.controls} controls`,
  );
  return `${lines.join("\n")}\n`;
}
