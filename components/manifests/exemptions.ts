/**
 * Opt-outs become the engine's exemption annotations on the object they weaken, so the CLI, the
 * policy pack and the cdk8s plugin all report the exempted findings with the reason: an opt-out
 * is an audit trail, never a silent gap.
 */
import {
  EXEMPT_ANNOTATION,
  EXEMPT_REASON_ANNOTATION,
  EXEMPT_UNTIL_ANNOTATION,
} from "../../policypack/engine/exemptions";
import type { OptOut } from "./types";

/** One opt-out: the controls it exempts on one object, and why. */
export interface ExemptionEntry {
  /** The setting that was opted out of, e.g. `readOnlyRootFilesystem` (it prefixes the reason). */
  readonly setting: string;
  readonly controls: readonly string[];
  readonly optOut: OptOut;
}

/**
 * The annotations for the opt-outs of one object. The engine takes one reason and one end date
 * per object, so reasons are joined, each prefixed by its setting, and the earliest `until` wins:
 * an exemption never outlives the shortest one it was granted for.
 */
export function exemptionAnnotations(entries: readonly ExemptionEntry[]): Record<string, string> {
  if (entries.length === 0) return {};
  const controls: string[] = [];
  for (const e of entries) for (const c of e.controls) if (!controls.includes(c)) controls.push(c);
  const reason = entries.map((e) => `${e.setting}: ${e.optOut.reason}`).join("; ");
  const untils = entries.map((e) => e.optOut.until).filter((u): u is string => u !== undefined);
  const out: Record<string, string> = {
    [EXEMPT_ANNOTATION]: controls.join(","),
    [EXEMPT_REASON_ANNOTATION]: reason,
  };
  if (untils.length > 0) out[EXEMPT_UNTIL_ANNOTATION] = [...untils].sort()[0] as string;
  return out;
}
