/**
 * The Palisade config file as the policy pack's `--policy-pack-config`: one file drives
 * `palisade check`, the cdk8s plugin, `palisade export vap` and, through this translation, the
 * CrossGuard pack. Pure data: `palisade export pack-config` writes it.
 */
import type { Control } from "./engine/control";
import type { PalisadeConfig } from "./engine/config";
import type { JsonValue } from "./engine/types";
import { explicitEnforcement } from "./enforcement";

export type PackPolicyConfig = Record<string, JsonValue>;

/** One entry per control the config says anything about: enforcement, settings, exemptions, psaVersion. */
export function packConfigFrom(config: PalisadeConfig, controls: readonly Control[]): Record<string, PackPolicyConfig> {
  const out: Record<string, PackPolicyConfig> = {};
  const entry = (id: string): PackPolicyConfig => (out[id] ??= {});
  for (const control of controls) {
    const settings = config.controls?.[control.id];
    const explicit = explicitEnforcement(control, config);
    if (settings?.["enforcement"] === "remediate" || settings?.["enforcementLevel"] === "remediate")
      entry(control.id)["enforcementLevel"] = "remediate";
    else if (explicit !== undefined) entry(control.id)["enforcementLevel"] = explicit;
    else if (settings?.enabled === false) entry(control.id)["enforcementLevel"] = "disabled";
    for (const [name, value] of Object.entries(settings ?? {})) {
      if (name === "enforcement" || name === "enforcementLevel" || value === undefined) continue;
      // `enabled: true` turns an optional control on in the pack too; false is expressed as disabled above.
      if (name === "enabled" && (value !== true || control.optional !== true)) continue;
      entry(control.id)[name] = value;
    }
    const exemptions = (config.exemptions ?? [])
      .filter((e) => e.controls.includes("*") || e.controls.includes(control.id))
      .map((e): Record<string, JsonValue> => {
        const x: Record<string, JsonValue> = { reason: e.reason };
        if (e.namespaces !== undefined) x["namespaces"] = [...e.namespaces];
        if (e.names !== undefined) x["names"] = [...e.names];
        if (e.kinds !== undefined) x["kinds"] = [...e.kinds];
        if (e.until !== undefined) x["until"] = e.until;
        return x;
      });
    if (exemptions.length > 0) entry(control.id)["exemptions"] = exemptions;
    if (config.psaVersion !== undefined && control.references.pss !== undefined)
      entry(control.id)["psaVersion"] = config.psaVersion;
  }
  return out;
}
