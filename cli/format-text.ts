/** Text output: findings grouped by resource, readable in a terminal, colour only on a TTY. */
import type { EvaluationResult } from "../policypack/engine/evaluate";
import { describe } from "../policypack/engine/kinds";
import type { ParseError } from "../policypack/engine/parse";
import type { Finding, Severity } from "../policypack/engine/types";
import { formatParseError } from "./load";
import { countByControl } from "./report";

export interface TextStyle {
  readonly color: boolean;
  /** Which findings fail: mandatory ones only (advisory ones are warnings), or every one. @default "mandatory" */
  readonly failOn?: "mandatory" | "advisory";
  /** A control's remediation, printed once per control under the findings. */
  readonly remediation?: (controlId: string) => string | undefined;
}

const SEVERITY_COLOR: Readonly<Record<Severity, string>> = { critical: "35", high: "31", medium: "33", low: "36" };

/** The line of the finding's object (load.ts keeps it beside the field's line). */
function objectLine(f: Finding): number {
  return (f.source as { objectLine?: number } | undefined)?.objectLine ?? f.source?.line ?? 0;
}

/** An object's findings by field, in order of first appearance; findings without a field stand alone. */
function byField(findings: readonly Finding[]): Finding[][] {
  const groups = new Map<string | Finding, Finding[]>();
  for (const f of findings) {
    const key = f.path ?? f;
    const list = groups.get(key);
    if (list) list.push(f);
    else groups.set(key, [f]);
  }
  return [...groups.values()];
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
  const pad = " ".repeat(8 + 2 + 9 + 2 + controlWidth + 2);
  for (const [key, findings] of groups) {
    const [where, what] = key.split("\u0000") as [string, string];
    lines.push(`${paint("1", what)}${where ? paint("2", `  ${where}`) : ""}`);
    // Findings on the same field share one cause: the field is named once, above them (one
    // `*/*/*` rule, a capabilities list), so the reader fixes the field rather than each finding.
    const fieldLine = (f: Finding): string =>
      f.source !== undefined && f.source.line !== objectLine(f) ? ` (line ${f.source.line})` : "";
    for (const same of byField(findings)) {
      const shared = same.length > 1 ? same[0] : undefined;
      if (shared?.path !== undefined)
        lines.push(`  ${paint("2", `at ${shared.path}${fieldLine(shared)}: ${same.length} findings on this field`)}`);
      for (const f of same) {
        const sev = f.exempted
          ? paint("2", "exempted".padEnd(8))
          : paint(SEVERITY_COLOR[f.severity], f.severity.padEnd(8));
        const enf = f.exempted ? " ".repeat(9) : f.enforcement === "advisory" ? paint("2", "advisory ") : "mandatory";
        lines.push(`  ${sev}  ${enf}  ${f.control.padEnd(controlWidth)}  ${f.message}`);
        if (f.path && shared === undefined) lines.push(`  ${pad}${paint("2", `at ${f.path}${fieldLine(f)}`)}`);
        if (f.exempted) {
          const until = f.exempted.until ? ` until ${f.exempted.until}` : "";
          const via = f.exempted.via ? ` (via ${f.exempted.via})` : "";
          lines.push(`  ${pad}${paint("2", `exempted by ${f.exempted.source}${until}${via}: ${f.exempted.reason}`)}`);
        }
      }
    }
    lines.push("");
  }
  // The top offenders, then each failing control's remediation once (not once per finding).
  const open = result.findings.filter((f) => f.exempted === undefined);
  if (open.length > 0) {
    const byControl = countByControl(open);
    lines.push(paint("1", "By control:"));
    for (const c of byControl.slice(0, 10))
      lines.push(`  ${String(c.findings).padStart(5)}  ${c.enforcement.padEnd(9)}  ${c.control}`);
    if (byControl.length > 10) lines.push(paint("2", `  … and ${byControl.length - 10} more controls`));
    lines.push("");
    if (style.remediation !== undefined) {
      lines.push(paint("1", "How to fix:"));
      for (const c of byControl) {
        const text = style.remediation(c.control);
        if (text !== undefined) lines.push(`  ${c.control}: ${text}`);
      }
      lines.push("");
    }
  }
  for (const s of result.skipped) {
    const where = s.source ? `  ${s.source.file}:${s.source.line}` : "";
    lines.push(paint("2", `skipped ${describe(s.resource)}${where}: ${s.reason}`));
  }
  for (const w of result.warnings) lines.push(paint("33", `warning: ${w}`));
  for (const e of errors) lines.push(paint("31", `error: ${formatParseError(e)}`));
  if (result.skipped.length + result.warnings.length + errors.length > 0) lines.push("");
  const s = result.summary;
  // The severities of the failing findings shown (--min-severity may hide some).
  const failingShown = open.filter((f) => style.failOn === "advisory" || f.enforcement !== "advisory");
  const sev = (["critical", "high", "medium", "low"] as const)
    .map((k) => [k, failingShown.filter((f) => f.severity === k).length] as const)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`)
    .join(", ");
  const advisory = s.byEnforcement.advisory;
  const advisoryNote =
    style.failOn === "advisory" || advisory === 0
      ? ""
      : `; ${advisory} advisory finding${advisory === 1 ? "" : "s"} (warnings: --fail-on advisory fails on them)`;
  const verdict =
    errors.length > 0
      ? paint("31", `${errors.length} input error${errors.length === 1 ? "" : "s"}`)
      : s.failing === 0
        ? paint("32", "no failing findings")
        : paint("31", `${s.failing} failing finding${s.failing === 1 ? "" : "s"} (${sev})`);
  lines.push(
    `${verdict}${advisoryNote}; ${s.exempted} exempted; ${s.evaluated} of ${s.objects} objects checked in ${files} file${files === 1 ? "" : "s"}, ${s.skipped} skipped; level ${s.level}, ${s.controls} controls`,
  );
  return `${lines.join("\n")}\n`;
}
