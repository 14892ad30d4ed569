import type { Control } from "../../engine/control";

/** The secrets family, in catalog order. */
export const secretsControls: readonly Control[] = [];
