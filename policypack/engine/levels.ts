import type { Level, Severity } from "./types";

const LEVEL_RANK: Readonly<Record<Level, number>> = { baseline: 0, restricted: 1, hardened: 2 };
const SEVERITY_RANK: Readonly<Record<Severity, number>> = { low: 0, medium: 1, high: 2, critical: 3 };

/** True when a control of level `control` runs at evaluation level `at` (levels nest). */
export function levelIncludes(at: Level, control: Level): boolean {
  return LEVEL_RANK[control] <= LEVEL_RANK[at];
}

export function compareSeverity(a: Severity, b: Severity): number {
  return SEVERITY_RANK[a] - SEVERITY_RANK[b];
}
