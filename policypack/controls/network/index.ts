import type { Control } from "../../engine/control";

/** The network family, in catalog order. */
export const networkControls: readonly Control[] = [];
