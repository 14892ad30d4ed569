/**
 * The builders run the catalog on what they build. Structured arguments are validated up front
 * with messages that name the argument; this is the backstop for the free-form ones (custom RBAC
 * rules, environment values, commands) and for new controls: output that fails the catalog is
 * an error at construction, never a finding at deploy time. Exempted findings (from opt-outs)
 * pass: they are the audit trail the opt-out asked for.
 */
import { catalog } from "../../policypack/controls";
import type { Control } from "../../policypack/engine/control";
import { evaluate } from "../../policypack/engine/evaluate";
import { describe } from "../../policypack/engine/kinds";
import type { Finding, KubeObject } from "../../policypack/engine/types";
import { ArgumentError } from "./validate";

/** Which controls a self-check runs. */
export type CheckScope = "resource" | "all";

export function unexemptedFindings(
  objects: readonly KubeObject[],
  controls: readonly Control[],
  now?: Date,
): Finding[] {
  const result = evaluate(objects, { controls, level: "hardened", ...(now !== undefined ? { now } : {}) });
  return result.findings.filter((f) => f.exempted === undefined);
}

export function describeFindings(findings: readonly Finding[]): string {
  return findings
    .map((f) => `${f.control} on ${describe(f.resource)}${f.path !== undefined ? ` at ${f.path}` : ""}: ${f.message}`)
    .join("; ");
}

/**
 * Throws naming `argument` when the objects fail the catalog at level hardened. `resource`
 * runs only single-object controls (for a workload built without its namespace, whose stack
 * controls need the namespace's objects); `all` adds the stack controls.
 */
export function assertPassesCatalog(
  objects: readonly KubeObject[],
  argument: string,
  scope: CheckScope,
  controls: readonly Control[] = catalog,
): void {
  const selected = scope === "all" ? controls : controls.filter((c) => c.scope === "resource");
  const failing = unexemptedFindings(objects, selected);
  if (failing.length === 0) return;
  throw new ArgumentError(argument, `the output fails the Palisade catalog: ${describeFindings(failing)}`);
}
