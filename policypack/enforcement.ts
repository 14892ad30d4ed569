/**
 * The default CrossGuard enforcement of each control: what blocks `pulumi up` out of the box.
 * Pod Security Standards (baseline, restricted) and critical/high RBAC findings block; the rest
 * advise; optional controls are off until configured. Kept free of Pulumi imports so the CLI and the docs can print the same table.
 */
import type { Control } from "./engine/control";

export type Enforcement = "mandatory" | "advisory" | "disabled";

export function defaultEnforcement(control: Control): Enforcement {
  // Optional controls need platform support (user namespaces, sandboxed runtimes, a registry list).
  if (control.optional === true) return "disabled";
  if (control.level === "baseline" || control.level === "restricted") return "mandatory";
  if (control.family === "rbac" && (control.severity === "critical" || control.severity === "high")) return "mandatory";
  return "advisory";
}
