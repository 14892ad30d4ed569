import { configString } from "../../engine/control";
import { NEWEST_KNOWN_MINOR } from "../../engine/psa-version";
import type { Violation } from "../../engine/types";
import { analyzeUpgrade, oldestPin } from "../../analysis/upgrade";
import { POD_KINDS } from "../../engine/pod";
import { DEPRECATED_APIS } from "../../analysis/upgrade/apis";
import { stackControl } from "../define";

/** `v1.N` (or `1.N`, `v1.N.P`) → N; undefined for "" (unset); an error naming the setting otherwise. */
function minorSetting(key: string, text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  const m = /^v?1\.(\d{1,3})(?:\.\d+)?$/.exec(text.trim());
  const minor = m ? Number(m[1]) : NaN;
  if (!Number.isInteger(minor) || minor > NEWEST_KNOWN_MINOR)
    throw new Error(
      `controls.upgrade-readiness.${key} must be v1.N up to v1.${NEWEST_KNOWN_MINOR} (got ${JSON.stringify(text)})`,
    );
  return minor;
}

/**
 * Before a cluster upgrade to `targetVersion`, the stack breaks nothing and drifts nowhere
 * unnoticed: no API version the target stops serving, no pod or pod template that the target's
 * Pod Security policy version newly rejects (in a namespace that follows the cluster, or once
 * its pin is raised), no PSA pin more than one minor behind the target and no namespace that
 * floats with the cluster. The analysis of `palisade upgrade` (policypack/analysis/upgrade).
 * Optional: it means something only once a platform team names the version it upgrades to.
 */
export const upgradeReadiness = stackControl({
  id: "upgrade-readiness",
  title: "Ready for the next Kubernetes version",
  family: "namespace",
  level: "hardened",
  severity: "medium",
  references: {
    catalog: "OPS-005",
    nsaCisa: "Upgrading and application security practices",
  },
  remediation:
    "Before upgrading: move objects to the API versions the target serves, fix the pods the target's Pod Security policy rejects, and pin each namespace's pod-security.kubernetes.io/*-version labels within one minor of the target (palisade upgrade --to shows the whole report).",
  kinds: ["Namespace", ...new Set([...POD_KINDS, ...DEPRECATED_APIS.flatMap((api) => api.kinds)])],
  optional: true,
  config: {
    targetVersion: {
      type: "string",
      description: 'The Kubernetes version the cluster is upgraded to: "v1.N" (unset: the control reports nothing).',
      default: "",
    },
    fromVersion: {
      type: "string",
      description:
        'The version the cluster runs now, for namespaces without a pin: "v1.N" (default: the oldest pin, else psaVersion).',
      default: "",
    },
  },
  checkStack(stack, ctx) {
    const to = minorSetting("targetVersion", configString(ctx.config, "targetVersion"));
    if (to === undefined) return [];
    const configured = Number.isFinite(ctx.policyVersion) ? ctx.policyVersion : undefined;
    const from = minorSetting("fromVersion", configString(ctx.config, "fromVersion")) ?? oldestPin(stack) ?? configured;
    const report = analyzeUpgrade(stack, { to, ...(from !== undefined && from < to ? { from } : {}) });
    const out: Violation[] = [];
    for (const a of report.apis)
      if (a.status === "removed") out.push({ message: a.message, path: "apiVersion", object: a.object });
    for (const d of report.drift)
      if (d.verdict === "newly-rejected")
        out.push({ message: `${d.message}: ${d.details.join("; ")}`, object: d.object });
    for (const p of report.pins)
      out.push({ message: p.message, ...(p.path !== undefined ? { path: p.path } : {}), object: p.object });
    return out;
  },
});
