/**
 * Pod Security Admission policy versions. PSA checks change behaviour by *policy* version
 * (the `pod-security.kubernetes.io/enforce-version` label), not by cluster version, so every
 * version-dependent allowlist is keyed on this number.
 */

/** The minor of a `v1.N` policy version; `Infinity` stands for `latest`. */
export type PolicyVersion = number;

export const LATEST: PolicyVersion = Number.POSITIVE_INFINITY;

/** The newest policy version whose checks Palisade implements (check_sysctls.go lists 1.37). */
export const NEWEST_KNOWN_MINOR = 37;

/** Parses `latest`, `v1.N` or `1.N`; undefined for anything else. */
export function parsePolicyVersion(text: string): PolicyVersion | undefined {
  if (text === "latest") return LATEST;
  const m = /^v?1\.(\d{1,3})$/.exec(text);
  return m ? Number(m[1]) : undefined;
}

export function formatPolicyVersion(v: PolicyVersion): string {
  return v === LATEST ? "latest" : `v1.${v}`;
}

/** True when a check that exists from `v1.minimum` applies at policy version `v`. */
export function atLeast(v: PolicyVersion, minimum: number): boolean {
  return v >= minimum;
}
