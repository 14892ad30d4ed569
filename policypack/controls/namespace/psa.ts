/**
 * Pod Security Admission's namespace labels and the rules Palisade holds them to: enforce at
 * or above a minimum level, enforce-version pinned to `v1.N`, audit and warn at restricted.
 * Levels and versions are parsed as PSA parses them (api.ParseLevel, api.ParseVersion).
 */
import { isRecord } from "../../engine/access";
import type { ConfigProperty } from "../../engine/control";
import type { KubeObject } from "../../engine/types";

export const ENFORCE = "pod-security.kubernetes.io/enforce";
export const ENFORCE_VERSION = "pod-security.kubernetes.io/enforce-version";
export const AUDIT = "pod-security.kubernetes.io/audit";
export const WARN = "pod-security.kubernetes.io/warn";

export type PsaLevel = "privileged" | "baseline" | "restricted";
export const PSA_LEVELS: readonly PsaLevel[] = ["privileged", "baseline", "restricted"];

export function levelRank(level: PsaLevel): number {
  return PSA_LEVELS.indexOf(level);
}

export function parseLevel(value: unknown): PsaLevel | undefined {
  return PSA_LEVELS.find((l) => l === value);
}

/** `v1.N` → N, `latest` → "latest"; anything else (`1.30`, `v1.030`) → undefined, as in PSA. */
export function parseVersion(value: unknown): number | "latest" | undefined {
  if (value === "latest") return "latest";
  if (typeof value !== "string") return undefined;
  const m = /^v1\.(0|[1-9][0-9]*)$/.exec(value);
  return m ? Number(m[1]) : undefined;
}

/** Path of a label, keyed the way findings spell map keys: `metadata.labels["k"]`. */
export function labelPath(key: string): string {
  return `metadata.labels[${JSON.stringify(key)}]`;
}

export function labelsOf(object: KubeObject): Record<string, unknown> {
  const labels = object.metadata?.labels;
  return isRecord(labels) ? labels : {};
}

export interface LabelProblem {
  readonly key: string;
  readonly message: string;
  /** The label is unset (as opposed to set to a wrong value). */
  readonly missing: boolean;
}

/** What is wrong with a namespace's PSA labels, one problem per label. */
export function psaLabelProblems(labels: Readonly<Record<string, unknown>>, minimum: PsaLevel): LabelProblem[] {
  const out: LabelProblem[] = [];
  const enforce = labels[ENFORCE];
  const level = parseLevel(enforce);
  if (enforce === undefined || enforce === null) {
    out.push({
      key: ENFORCE,
      missing: true,
      message: `${ENFORCE} is not set: pods are admitted at the cluster default (privileged unless configured); set it to "${minimum}"`,
    });
  } else if (level === undefined) {
    out.push({ key: ENFORCE, missing: false, message: `${ENFORCE}=${JSON.stringify(enforce)} is not a PSA level` });
  } else if (levelRank(level) < levelRank(minimum)) {
    out.push({
      key: ENFORCE,
      missing: false,
      message: `${ENFORCE}=${JSON.stringify(level)} is below the required level "${minimum}"`,
    });
  }
  const versionValue = labels[ENFORCE_VERSION];
  const version = parseVersion(versionValue);
  if (versionValue === undefined || versionValue === null) {
    out.push({
      key: ENFORCE_VERSION,
      missing: true,
      message: `${ENFORCE_VERSION} is not set: it means "latest", so each cluster upgrade may reject running workloads; pin it to v1.N`,
    });
  } else if (version === "latest") {
    out.push({
      key: ENFORCE_VERSION,
      missing: false,
      message: `${ENFORCE_VERSION}="latest" changes with each cluster upgrade; pin it to v1.N`,
    });
  } else if (version === undefined) {
    out.push({
      key: ENFORCE_VERSION,
      missing: false,
      message: `${ENFORCE_VERSION}=${JSON.stringify(versionValue)} is not a PSA version (v1.N)`,
    });
  }
  for (const key of [AUDIT, WARN]) {
    const value = labels[key];
    if (value === "restricted") continue;
    const missing = value === undefined || value === null;
    out.push({
      key,
      missing,
      message: missing
        ? key === WARN
          ? `${key} is not set: set it to "restricted" so that applying a workload whose pod template the strictest level would reject warns (enforce judges Pods only)`
          : `${key} is not set: set it to "restricted" so that the audit log records what the strictest level would reject`
        : `${key}=${JSON.stringify(value)} must be "restricted"`,
    });
  }
  return out;
}

/** Namespaces that may run privileged pods, which the PSA label controls leave alone. */
export const PRIVILEGED_NAMESPACES_CONFIG: ConfigProperty = {
  type: "array",
  items: { type: "string" },
  description:
    "Namespaces exempt from this control because they may run privileged pods (keep in step with namespace-privileged-allowlist).",
  default: ["kube-system"],
};

/** The settings namespace-psa-labels and its stack twin namespace-psa-declared share. */
export const PSA_NAMESPACE_CONFIG: Readonly<Record<string, ConfigProperty>> = {
  level: {
    type: "string",
    description: 'The minimum enforce level: "restricted", or "baseline" where restricted cannot be met yet.',
    enum: ["baseline", "restricted"],
    default: "restricted",
  },
  privilegedNamespaces: PRIVILEGED_NAMESPACES_CONFIG,
};
