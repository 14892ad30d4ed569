/**
 * The enforcement of each control: what blocks a change and what only advises. One model for
 * every enforcement point (the CLI, the cdk8s plugin, the CrossGuard pack, the exported
 * admission policies), so a platform team decides once, in one config file.
 *
 * Pod Security Standards (baseline, restricted) and critical/high RBAC findings block; the rest
 * advise; optional controls are off until configured. Kept free of Pulumi imports so the CLI and
 * the docs can print the same table.
 */
import type { Control } from "./engine/control";
import type { PalisadeConfig } from "./engine/config";

export type Enforcement = "mandatory" | "advisory" | "disabled";
export const ENFORCEMENTS: readonly Enforcement[] = ["mandatory", "advisory", "disabled"];
/** What a config may say: the pack's levels, `remediate` meaning "fix, and block what remains". */
export const ENFORCEMENT_SETTINGS: readonly string[] = [...ENFORCEMENTS, "remediate"];

/** The enforcement a control has by its level, family and severity: an optional one's, once turned on. */
export function enforcementByRank(control: Control): Exclude<Enforcement, "disabled"> {
  if (control.level === "baseline" || control.level === "restricted") return "mandatory";
  if (control.family === "rbac" && (control.severity === "critical" || control.severity === "high")) return "mandatory";
  return "advisory";
}

export function defaultEnforcement(control: Control): Enforcement {
  // Optional controls need platform support (user namespaces, sandboxed runtimes, a registry list).
  if (control.optional === true) return "disabled";
  return enforcementByRank(control);
}

/** The enforcement a config sets explicitly (`controls.<id>.enforcement`, or the pack's `enforcementLevel`). */
export function explicitEnforcement(control: Control, config: PalisadeConfig): Enforcement | undefined {
  const settings = config.controls?.[control.id];
  const value = settings?.["enforcement"] ?? settings?.["enforcementLevel"];
  if (typeof value !== "string") return undefined;
  if (value === "remediate") return "mandatory";
  return (ENFORCEMENTS as readonly string[]).includes(value) ? (value as Enforcement) : undefined;
}

/**
 * The enforcement under a config: an explicit setting wins; `enabled: false` disables; an
 * optional control that the config turns on (by giving it a setting) gets the enforcement its
 * level and severity give any other control.
 */
export function effectiveEnforcement(control: Control, config: PalisadeConfig): Enforcement {
  const explicit = explicitEnforcement(control, config);
  if (explicit !== undefined) return explicit;
  const settings = config.controls?.[control.id];
  if (settings?.enabled === false) return "disabled";
  if (control.optional !== true) return enforcementByRank(control);
  const turnedOn =
    settings !== undefined &&
    (settings.enabled === true ||
      Object.keys(settings).some((k) => k !== "enabled" && k !== "enforcement" && k !== "enforcementLevel"));
  return turnedOn ? enforcementByRank(control) : "disabled";
}
