import type { Control } from "../../engine/control";

/** The workload family, in catalog order. */
export const workloadControls: readonly Control[] = [];
